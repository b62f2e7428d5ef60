package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The decoded content of one part, held in the heap or in a temp file; readable any number of times. */
sealed interface StoredBody {

    long size();

    InputStream open() throws IOException;

    /** All bytes; for a file body, reads the file (callers bound the size first). */
    byte[] toBytes() throws IOException;

    /** Content in the heap. */
    record InMemory(byte[] buffer, int length) implements StoredBody {

        @Override
        public long size() {
            return length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(buffer, 0, length);
        }

        @Override
        public byte[] toBytes() {
            return buffer.length == length ? buffer : Arrays.copyOf(buffer, length);
        }
    }

    /** Content in a temp file owned by a {@link MessageBodies}, which deletes it. */
    record InFile(Path file, long size) implements StoredBody {

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }

        @Override
        public byte[] toBytes() throws IOException {
            return Files.readAllBytes(file);
        }
    }
}
