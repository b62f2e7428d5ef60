package io.catalystmail.camel.mime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where part bodies too large for the heap go: files in a private directory (created 0700 by
 * {@link Files#createTempDirectory}, so other local users can neither read mail nor plant links). Mime4j's
 * TempFileStorageProvider is not used: it marks every file delete-on-exit, and the JVM remembers each such path
 * until it exits, a leak for a consumer that runs for months. Here each message's files are deleted by its
 * {@link MessageBodies} when the exchange completes.
 */
final class TempBodyStore {

    private final int threshold;
    private Path directory;

    TempBodyStore(int threshold) {
        this.threshold = threshold;
    }

    /** Storage for the parts of one message of {@code size} bytes on the wire (-1: unknown). */
    MessageBodies newMessage(long size) {
        return new MessageBodies(this, threshold, size);
    }

    /** A new empty temp file; recreates the directory if a temp cleaner removed it. */
    Path createFile() throws IOException {
        try {
            return Files.createTempFile(directory(), "part-", ".tmp");
        } catch (NoSuchFileException directoryGone) {
            synchronized (this) {
                directory = null;
            }
            return Files.createTempFile(directory(), "part-", ".tmp");
        }
    }

    private synchronized Path directory() throws IOException {
        if (directory == null) {
            directory = Files.createTempDirectory("catalystmail-");
            directory.toFile().deleteOnExit(); // one path per store, removed at exit once its files are gone
        }
        return directory;
    }
}
