package io.catalystmail.camel.imap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A literal's content read straight from its tokenizer's buffer and socket, ending with the literal.
 * <p>
 * A failed read of the socket is the connection's failure, not the message's: {@link #finish} throws it again rather
 * than reading on. A server that paused longer than the read timeout and then went on would otherwise let the skip
 * of the rest succeed, and the message whose handler saw the timeout would be failed (and moved by moveFailedTo)
 * for a pause of the network.
 */
final class LiteralStream extends InputStream {
    private final ImapTokenizer source;
    private long remaining;
    private boolean finished;
    /** The socket's failure met while the handler read, thrown again by {@link #finish}. */
    private IOException connectionFailure;

    LiteralStream(ImapTokenizer source, long length) {
        this.source = source;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        checkOpen();
        if (remaining == 0) {
            return -1;
        }
        if (source.pos == source.end && !fill()) {
            throw new EOFException("connection closed inside a message literal");
        }
        remaining--;
        return source.buf[source.pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkOpen();
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        if (source.pos == source.end && !fill()) {
            throw new EOFException("connection closed inside a message literal");
        }
        int n = (int) Math.min(Math.min(len, remaining), source.end - source.pos);
        System.arraycopy(source.buf, source.pos, b, off, n);
        source.pos += n;
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        checkOpen();
        long skipped = 0;
        while (skipped < n && remaining > 0) {
            if (source.pos == source.end && !fill()) {
                throw new EOFException("connection closed inside a message literal");
            }
            int step = (int) Math.min(Math.min(n - skipped, remaining), source.end - source.pos);
            source.pos += step;
            remaining -= step;
            skipped += step;
        }
        return skipped;
    }

    @Override
    public int available() {
        return finished ? 0 : (int) Math.min(remaining, source.end - source.pos);
    }

    /** Closing leaves the connection alone; the rest of the literal is skipped when the consumer returns. */
    @Override
    public void close() {
    }

    private boolean fill() throws IOException {
        if (connectionFailure != null) {
            throw connectionFailure; // a handler reading on after its timeout would wait another readTimeout
        }
        try {
            return source.fill();
        } catch (IOException e) {
            connectionFailure = e;
            throw e;
        }
    }

    private void checkOpen() throws IOException {
        if (finished) {
            throw new IOException("message content is only readable while its handler runs");
        }
    }

    /**
     * Gives up on the rest of the literal: {@link #finish} throws {@code reason} instead of skipping it, so the
     * connection is left out of step and must be dropped. For a literal too long to read past (an announced
     * {5000000000}); returns {@code reason}, for the caller to throw.
     */
    IOException abandon(IOException reason) {
        if (connectionFailure == null) {
            connectionFailure = reason;
        }
        return connectionFailure;
    }

    /**
     * Skips what the consumer left unread and makes the stream unusable; throws the socket's failure instead when a
     * read of the consumer's met one, which ends the fetch.
     */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        if (connectionFailure != null) {
            finished = true;
            throw connectionFailure;
        }
        skip(remaining);
        finished = true;
    }
}
