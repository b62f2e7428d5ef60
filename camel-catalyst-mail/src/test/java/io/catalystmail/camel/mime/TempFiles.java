package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts the part files in this JVM's and earlier runs' catalystmail temp directories. */
final class TempFiles {

    private TempFiles() {
    }

    static long count() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> directories = Files.list(tmp)) {
            return directories.filter(d -> d.getFileName().toString().startsWith("catalystmail-") && Files.isDirectory(d))
                    .mapToLong(TempFiles::countIn).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long countIn(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        } catch (IOException e) {
            return 0;
        }
    }
}
