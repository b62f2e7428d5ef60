package io.catalystmail.camel.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Counts the part files in the catalystmail spool directories (catalystmail-* under java.io.tmpdir) of this JVM and
 * of earlier runs. The build points java.io.tmpdir of the test JVM into target/, so other builds on the machine do
 * not move the count: a test compares the count before and after what it does.
 */
public final class SpoolFiles {

    private SpoolFiles() {
    }

    public static long count() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> directories = Files.list(tmp)) {
            return directories.filter(d -> d.getFileName().toString().startsWith("catalystmail-") && Files.isDirectory(d))
                    .mapToLong(SpoolFiles::countIn).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the count is back to {@code before}: every file spooled since then was deleted. */
    public static void awaitBackTo(long before, String what) {
        Eventually.await(() -> count() == before, () -> (count() - before) + " spooled part file(s) left after " + what);
    }

    private static long countIn(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        } catch (IOException e) {
            return 0;
        }
    }
}
