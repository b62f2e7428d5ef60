package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.StreamCache;

/**
 * The body of a large message in raw mode, or a large text body (its text in its charset): bytes in a temp file, as
 * a stream Camel can read again ({@link StreamCache}, so stream caching leaves it alone and converters to String or
 * byte[] work). The file
 * belongs to the exchange's {@link MessageBodies} and is gone once the exchange completes.
 */
final class RawMessageStream extends InputStream implements StreamCache {

    private final Path file;
    private final long length;
    private InputStream in;
    private long position;

    RawMessageStream(Path file, long length) {
        this.file = file;
        this.length = length;
    }

    private InputStream in() throws IOException {
        if (in == null) {
            in = Files.newInputStream(file);
            in.skipNBytes(position);
        }
        return in;
    }

    @Override
    public int read() throws IOException {
        int b = in().read();
        if (b >= 0) {
            position++;
        }
        return b;
    }

    @Override
    public int read(byte[] bytes, int offset, int count) throws IOException {
        int n = in().read(bytes, offset, count);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(Integer.MAX_VALUE, length - position);
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
            in = null;
        }
    }

    /** Back to the first byte. */
    @Override
    public void reset() {
        try {
            close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        position = 0;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        Files.copy(file, out);
    }

    @Override
    public StreamCache copy(Exchange exchange) {
        return new RawMessageStream(file, length);
    }

    @Override
    public boolean inMemory() {
        return false;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public String toString() {
        return "RawMessageStream[" + length + " bytes]";
    }
}
