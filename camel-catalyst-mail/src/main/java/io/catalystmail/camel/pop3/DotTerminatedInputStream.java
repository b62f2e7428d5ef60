package io.catalystmail.camel.pop3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of a POP3 multi-line response as the original bytes (RFC 1939 §3): a line that starts with '.'
 * loses that '.', and a line that is exactly "." ends the body. Works on bytes, so 8-bit and binary content
 * passes untouched, and streams: nothing is held beyond the connection's read buffer.
 *
 * <p>A line starts after every LF, bare or not. RFC 1939 lines end in CRLF, and for such traffic both rules
 * agree; taking a bare LF as a line end too means that a server which ends its lines (and the terminating
 * ".") with bare LF is still understood, instead of the read running into the timeout. The CRLF in front of
 * the terminating "." belongs to the last line, so the content always ends with a line break when the server
 * follows RFC 1939, which adds one to a message that lacks it.
 *
 * <p>{@link #close()} skips to the end of the body instead of closing anything, so the next response can be
 * read; a failure of the connection while reading is remembered and reported again by {@link #drain()}.
 */
final class DotTerminatedInputStream extends InputStream {

    private final Pop3Input in;
    private final byte[] one = new byte[1];
    private boolean atLineStart = true;
    private boolean ended;
    private IOException failure;

    /** Hand over every complete line already buffered in one read, not one line per read (message bodies). */
    private final boolean manyLinesPerRead;

    /** One line per {@link #read(byte[], int, int)}: callers that split a listing into lines rely on it. */
    DotTerminatedInputStream(Pop3Input in) {
        this(in, false);
    }

    DotTerminatedInputStream(Pop3Input in, boolean manyLinesPerRead) {
        this.in = in;
        this.manyLinesPerRead = manyLinesPerRead;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            // the text names the first failure (a reset, a timeout): the caller's error often quotes only this one
            throw new IOException("the connection failed earlier while reading this message: "
                    + (failure.getMessage() == null ? failure : failure.getMessage()), failure);
        }
        if (ended) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        try {
            return readBody(b, off, len);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    private int readBody(byte[] b, int off, int len) throws IOException {
        if (atLineStart) {
            int c = in.peek();
            if (c < 0) {
                throw truncated();
            }
            if (c == '.') {
                in.read();
                int next = in.peek();
                if (next == '\n') {
                    in.read();
                    ended = true;
                    return -1;
                }
                if (next == '\r') {
                    in.read();
                    if (in.peek() == '\n') {
                        in.read();
                        ended = true;
                        return -1;
                    }
                    // ".\r" not followed by LF: the dot was stuffing, the CR is content
                    atLineStart = false;
                    b[off] = '\r';
                    return 1;
                }
                // any other line starting with '.' was dot-stuffed: the first dot is dropped
            }
            atLineStart = false;
        }
        // a message body goes on with the lines already buffered (a parser reading 4 KB gets 4 KB, not 77 octets,
        // in one copy); a line starting with '.' is left for the next call, which unstuffs it or ends the message
        int n = manyLinesPerRead ? in.readThroughDotLine(b, off, len) : in.readThroughLf(b, off, len);
        if (n < 0) {
            throw truncated();
        }
        atLineStart = b[off + n - 1] == '\n';
        return n;
    }

    private static EOFException truncated() {
        return new EOFException("the connection ended in the middle of a multi-line response (no terminating \".\")");
    }

    /** Reads to the end of the body, so the connection is ready for the next response. */
    void drain() throws IOException {
        // the connection's scratch array: a message read to its end by the route (the usual case) allocates nothing
        byte[] skip = in.skipBuffer();
        while (read(skip, 0, skip.length) >= 0) {
            // discard
        }
    }

    /**
     * Reads to the end of the body, or stops once more than {@code limit} octets were read, into the connection's
     * scratch array (nothing allocated per call).
     *
     * @return the octets read: above {@code limit} when the body went on past it
     */
    long drainAtMost(long limit) throws IOException {
        byte[] skip = in.skipBuffer();
        long read = 0;
        for (int n; read <= limit && (n = read(skip, 0, skip.length)) >= 0; ) {
            read += n;
        }
        return read;
    }

    /** Skips what is left of the body; the connection stays open. */
    @Override
    public void close() throws IOException {
        drain();
    }
}
