package io.catalystmail.camel.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The DATA writer: makes any byte sequence safe to send between DATA and the final dot (RFC 5321 §4.5.2).
 * <ul>
 * <li>every bare LF and every bare CR becomes CRLF, so the only line end on the wire is CRLF and no variant of
 * {@code <LF>.<LF>}, {@code <CR>.<CR>} or {@code <CR><LF>.<LF>} can be read as end of data by a lenient server
 * ("SMTP smuggling");</li>
 * <li>a dot at the start of a line is doubled (transparency);</li>
 * <li>{@link #finish()} ends the last line if needed and writes {@code .CRLF}.</li>
 * </ul>
 * Other octets, 8-bit ones included, pass untouched. Output is collected in a 64 KB buffer and handed to the socket
 * in large writes; memory use is constant whatever the message size.
 *
 * <p>With a {@link Gate}, nothing reaches the socket before the gate opened: the content is rendered and stuffed
 * into the buffer while the server still works on the pipelined MAIL, RCPT and DATA, and the gate, which reads
 * their replies, opens when the buffer first needs emptying or at {@link #openGate()}. A gate that refuses leaves
 * the buffered octets unsent for good (RFC 2920 §3.1: no message data unless DATA got its 354).
 */
final class DotStuffingOutputStream extends OutputStream implements PreparedLinesOutput {

    static final int BUFFER_SIZE = 64 * 1024;
    private static final VarHandle EIGHT_OCTETS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.nativeOrder());
    private static final long EIGHT_CRS = 0x0d0d0d0d0d0d0d0dL;
    private static final long EIGHT_LFS = 0x0a0a0a0a0a0a0a0aL;
    private static final long EIGHT_ONES = 0x0101010101010101L;
    private static final long EIGHT_HIGH_BITS = 0x8080808080808080L;

    private final OutputStream out;
    private final byte[] buffer;
    private final byte[] single = new byte[1];
    private int count;
    private boolean atLineStart = true;
    private boolean afterCr;
    private boolean finished;
    private long contentBytes;
    private IOException transportFailure;
    /** Still to be opened before the first socket write; null once opened, or when there is none. */
    private Gate gate;
    /** Why the gate did not open: the message data must never be sent. */
    private IOException gateFailure;

    /** What must succeed before the first octet of message data goes to the socket. */
    interface Gate {
        /** Returns when message data may be sent; throws (and nothing is sent) when it may not. */
        void open() throws IOException;
    }

    DotStuffingOutputStream(OutputStream out) {
        this(out, new byte[BUFFER_SIZE]);
    }

    /**
     * @param buffer at least {@value #BUFFER_SIZE} octets, reused by the caller between messages (a connection sends
     *               one message at a time), so a message does not cost a new 64 KB array
     */
    DotStuffingOutputStream(OutputStream out, byte[] buffer) {
        if (buffer.length < BUFFER_SIZE) {
            throw new IllegalArgumentException("buffer of " + buffer.length + " octets, needs " + BUFFER_SIZE);
        }
        this.out = out;
        this.buffer = buffer;
    }

    /**
     * @param gate opened before the first socket write (see the class comment); null to write from the start
     */
    DotStuffingOutputStream(OutputStream out, byte[] buffer, Gate gate) {
        this(out, buffer);
        this.gate = gate;
    }

    @Override
    public void write(int b) throws IOException {
        single[0] = (byte) b;
        write(single, 0, 1);
    }

    @Override
    public void write(byte[] data, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("message data already ended");
        }
        refuseAfterClosedGate();
        java.util.Objects.checkFromIndexSize(off, len, data.length);
        contentBytes += len;
        byte[] buf = buffer;
        int c = count;
        boolean lineStart = atLineStart;
        boolean cr = afterCr;
        for (int i = off, end = off + len; i < end; ) {
            // one input octet becomes at most two (CR LF, or "..")
            if (c > BUFFER_SIZE - 2) {
                count = c;
                drain();
                c = 0;
            }
            byte b = data[i];
            if (b == '\r') {
                buf[c++] = '\r';
                buf[c++] = '\n';
                lineStart = true;
                cr = true;
                i++;
            } else if (b == '\n') {
                if (!cr) {
                    buf[c++] = '\r';
                    buf[c++] = '\n';
                }
                // after a CR the line end is already written: CRLF stays one line end
                lineStart = true;
                cr = false;
                i++;
            } else {
                if (lineStart && b == '.') {
                    buf[c++] = '.';
                }
                // the rest of the line up to its end (or the buffer's) needs no change: copied as one run
                int run = lineBreakOrEnd(data, i + 1, Math.min(end, i + (BUFFER_SIZE - c)));
                System.arraycopy(data, i, buf, c, run - i);
                c += run - i;
                i = run;
                lineStart = false;
                cr = false;
            }
        }
        count = c;
        atLineStart = lineStart;
        afterCr = cr;
    }

    /**
     * Copies lines that need no change (see {@link PreparedLinesOutput}); their octets are what {@link #write} would
     * make of them whatever the state, as they hold no dot at a line start and no CR or LF but their CRLFs. Most of a
     * mail with attachments is such lines: scanning them was an eighth of a one-thread sender's samples.
     */
    @Override
    public void writePreparedLines(byte[] lines, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, lines.length);
        if (len < 2 || lines[off + len - 2] != '\r' || lines[off + len - 1] != '\n') {
            write(lines, off, len);
            return;
        }
        if (finished) {
            throw new IOException("message data already ended");
        }
        refuseAfterClosedGate();
        contentBytes += len;
        while (len > 0) {
            if (count == BUFFER_SIZE) {
                drain();
            }
            int n = Math.min(len, BUFFER_SIZE - count);
            System.arraycopy(lines, off, buffer, count, n);
            count += n;
            off += n;
            len -= n;
        }
        atLineStart = true;
        afterCr = false;
    }

    /**
     * The index of the first CR or LF in {@code data[from, to)}, or {@code to}. Eight octets are tested at a time:
     * XOR with eight CRs (or LFs) turns a CR (LF) into a zero octet, and {@code (x - 0x01..01) & ~x & 0x80..80} is
     * non-zero exactly when x has a zero octet; the octet loop then finds which one.
     */
    private static int lineBreakOrEnd(byte[] data, int from, int to) {
        int i = from;
        for (; i <= to - 8; i += 8) {
            long word = (long) EIGHT_OCTETS.get(data, i);
            long cr = word ^ EIGHT_CRS;
            long lf = word ^ EIGHT_LFS;
            long zeroOctets = ((cr - EIGHT_ONES) & ~cr) | ((lf - EIGHT_ONES) & ~lf);
            if ((zeroOctets & EIGHT_HIGH_BITS) != 0) {
                break;
            }
        }
        while (i < to && data[i] != '\r' && data[i] != '\n') {
            i++;
        }
        return i;
    }

    /** Hands buffered octets to the socket (the message is not ended); while the gate is shut they stay buffered. */
    @Override
    public void flush() throws IOException {
        refuseAfterClosedGate();
        if (gate != null) {
            return;
        }
        drain();
        transport(() -> out.flush());
    }

    /** Only flushes: the end of data belongs to the session, which calls {@link #finish()}. */
    @Override
    public void close() throws IOException {
        if (!finished) {
            flush();
        }
    }

    /** Ends the last line if the content did not, writes the terminating {@code .CRLF} and flushes. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        openGate();
        if (count > BUFFER_SIZE - 5) {
            drain();
        }
        if (!atLineStart) {
            buffer[count++] = '\r';
            buffer[count++] = '\n';
        }
        buffer[count++] = '.';
        buffer[count++] = '\r';
        buffer[count++] = '\n';
        finished = true;
        flush();
    }

    /** Octets the content wrote, before normalisation and stuffing. */
    long contentBytes() {
        return contentBytes;
    }

    /** The socket write failure, if writing failed on the connection rather than in the content's source. */
    IOException transportFailure() {
        return transportFailure;
    }

    /**
     * Opens the gate if it is still shut (a no-op without one); throws what kept it shut, now and on every later
     * attempt to send, so the staged data can never follow a refusal.
     */
    void openGate() throws IOException {
        refuseAfterClosedGate();
        Gate shut = gate;
        if (shut != null) {
            gate = null; // opened once: its replies are read once
            try {
                shut.open();
            } catch (IOException e) {
                gateFailure = e;
                throw e;
            } catch (RuntimeException e) {
                gateFailure = new IOException(e.toString(), e);
                throw e;
            }
        }
    }

    /** Why the gate stayed shut, or null. */
    IOException gateFailure() {
        return gateFailure;
    }

    private void refuseAfterClosedGate() throws IOException {
        if (gateFailure != null) {
            throw new IOException("message data not sent: " + gateFailure.getMessage(), gateFailure);
        }
    }

    private void drain() throws IOException {
        openGate();
        if (count > 0) {
            int n = count;
            count = 0;
            transport(() -> out.write(buffer, 0, n));
        }
    }

    private interface SocketWrite {
        void run() throws IOException;
    }

    private void transport(SocketWrite write) throws IOException {
        try {
            write.run();
        } catch (IOException e) {
            transportFailure = e;
            throw e;
        }
    }
}
