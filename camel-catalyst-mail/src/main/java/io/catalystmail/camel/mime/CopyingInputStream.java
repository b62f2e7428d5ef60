package io.catalystmail.camel.mime;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes a stream through while copying every byte read into a sink: raw mode keeps the bytes it parses. */
final class CopyingInputStream extends FilterInputStream {

    private final BodySink copy;

    CopyingInputStream(InputStream in, BodySink copy) {
        super(in);
        this.copy = copy;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            copy.write(b);
        }
        return b;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        int n = in.read(bytes, offset, length);
        if (n > 0) {
            copy.write(bytes, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
        int read = n <= 0 ? 0 : read(buffer, 0, (int) Math.min(buffer.length, n));
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Closes the copy only; the source belongs to the caller. */
    @Override
    public void close() throws IOException {
        copy.close();
    }
}
