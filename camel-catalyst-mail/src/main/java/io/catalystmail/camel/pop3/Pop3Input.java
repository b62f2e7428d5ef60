package io.catalystmail.camel.pop3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;

import io.catalystmail.camel.bytes.ByteSearch;

/**
 * The byte buffer over the server's input. Status lines and multi-line bodies are read from the same buffer,
 * so bytes that arrived together (pipelined replies, a message right behind its +OK) are never lost or
 * decoded as text.
 */
final class Pop3Input {

    private final InputStream in;
    private final String server;
    private final long timeoutMillis;
    /** A few typical messages: each read of the socket is a system call and a copy out of a native buffer. */
    private final byte[] buf = new byte[64 * 1024];
    /** Where the unread rest of a multi-line body is skipped into (one connection, one reader at a time). */
    private final byte[] skip = new byte[8 * 1024];
    /** Where status lines are collected (two per message: RETR's and DELE's); grown up to the caller's limit. */
    private byte[] line = new byte[512];
    private int pos;
    private int limit;

    /**
     * @param server        the server, as named in timeout messages
     * @param timeoutMillis the socket's read timeout, as named in timeout messages
     */
    Pop3Input(InputStream in, String server, long timeoutMillis) {
        this.in = in;
        this.server = server;
        this.timeoutMillis = timeoutMillis;
    }

    /** A scratch array for skipping body bytes nobody reads; its content means nothing. */
    byte[] skipBuffer() {
        return skip;
    }

    /** True when bytes have arrived that nobody has read yet. */
    boolean hasBuffered() {
        return pos < limit;
    }

    /** The next byte without consuming it, or -1 at the end of the stream. */
    int peek() throws IOException {
        return fill() ? buf[pos] & 0xff : -1;
    }

    /** The next byte, or -1 at the end of the stream. */
    int read() throws IOException {
        return fill() ? buf[pos++] & 0xff : -1;
    }

    /**
     * Copies bytes up to and including the next LF, at most {@code len} of them.
     *
     * @return the number copied, -1 at the end of the stream
     */
    int readThroughLf(byte[] b, int off, int len) throws IOException {
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, limit - pos);
        int lf = ByteSearch.indexOf(buf, pos, pos + n, '\n');
        int end = lf < 0 ? pos + n : lf + 1;
        int count = end - pos;
        System.arraycopy(buf, pos, b, off, count);
        pos = end;
        return count;
    }

    /**
     * Copies at most {@code len} of the bytes already buffered, through the first LF that is followed by a '.' or is
     * the last byte buffered: the lines of a message body go over in one copy, and only a line that starts with '.'
     * (dot-stuffed, or the end of the body, RFC 1939 §3) is left for the caller to look at.
     *
     * @return the number copied, -1 at the end of the stream
     */
    int readThroughDotLine(byte[] b, int off, int len) throws IOException {
        if (!fill()) {
            return -1;
        }
        int end = pos + Math.min(len, limit - pos);
        int i = pos;
        while (i < end) {
            // a message is mostly lines of 76 octets: found eight octets per step (ByteSearch)
            int lf = ByteSearch.indexOf(buf, i, end, '\n');
            if (lf < 0) {
                i = end;
                break;
            }
            i = lf + 1;
            if (i == limit || buf[i] == '.') {
                break;
            }
        }
        int count = i - pos;
        System.arraycopy(buf, pos, b, off, count);
        pos = i;
        return count;
    }

    /**
     * Reads one line into {@link #line()} without its CRLF (or bare LF): what is buffered is scanned for the LF and
     * copied at once, not taken byte by byte (two status lines per message).
     *
     * @return the line's length in {@link #line()}
     * @throws EOFException when the connection ends first
     * @throws IOException  when the line is longer than {@code max} octets
     */
    int readLine(int max) throws IOException {
        int len = 0;
        while (true) {
            if (!fill()) {
                throw new EOFException("the server closed the connection");
            }
            int lf = ByteSearch.indexOf(buf, pos, limit, '\n');
            int end = lf < 0 ? limit : lf;
            int n = end - pos;
            if (len + n > max) {
                throw new IOException("the server sent a line longer than " + max + " octets");
            }
            if (len + n > line.length) {
                line = Arrays.copyOf(line, Math.min(max, Math.max(len + n, line.length * 2)));
            }
            System.arraycopy(buf, pos, line, len, n);
            len += n;
            if (end < limit) {
                pos = end + 1; // past the LF
                break;
            }
            pos = end;
        }
        return len > 0 && line[len - 1] == '\r' ? len - 1 : len;
    }

    /** The line {@link #readLine} read last, valid until the next call: its length is what that call returned. */
    byte[] line() {
        return line;
    }

    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        int n;
        try {
            n = in.read(buf, 0, buf.length);
        } catch (SocketTimeoutException e) {
            SocketTimeoutException named = new SocketTimeoutException("POP3 server " + server
                    + " did not answer within readTimeout=" + timeoutMillis + " ms");
            named.initCause(e);
            throw named;
        }
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }
}
