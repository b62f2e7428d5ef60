package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.OutputStream;

import io.catalystmail.camel.smtp.MessageContent;

/**
 * A composed message. Its parts read their sources only when written, so {@link #writeTo} streams
 * attachments and stream bodies to the server, encoding them on the fly; nothing holds the encoded message.
 */
final class ComposedContent implements MessageContent {

    private final OutgoingPart message;
    private final boolean smtpUtf8;
    private final boolean sizeCheap;
    private final boolean repeatable;
    private long size = -2;
    /** The message as rendered when it was counted, kept for writing when small. */
    private RenderingSink rendered;

    /** Renderings up to this size are kept between counting and writing. */
    static final int KEPT_RENDERING = 4 * 1024 * 1024;

    /**
     * @param message   the composed message
     * @param smtpUtf8  an address in the headers has a non-ASCII local part
     * @param sizeCheap every part is in memory, so writing the message once to count it costs little
     * @param repeatable no part reads a stream that can be read only once (attachments' data sources give a new
     *                   stream on each read)
     */
    ComposedContent(OutgoingPart message, boolean smtpUtf8, boolean sizeCheap, boolean repeatable) {
        this.message = message;
        this.smtpUtf8 = smtpUtf8;
        this.sizeCheap = sizeCheap;
        this.repeatable = repeatable;
    }

    @Override
    public boolean repeatable() {
        return repeatable;
    }

    /**
     * The exact size for SMTP SIZE (RFC 1870); -1 when counting would mean reading a stream or file. Counting
     * renders the message, so a message up to {@value #KEPT_RENDERING} octets keeps its rendering for
     * {@link #writeTo} instead of being encoded twice.
     */
    @Override
    public synchronized long size() {
        if (!sizeCheap) {
            return -1;
        }
        if (size == -2) {
            RenderingSink sink = new RenderingSink(KEPT_RENDERING);
            try {
                new OutgoingPartWriter().write(message, sink);
                size = sink.count;
                rendered = sink.kept() ? sink : null;
            } catch (IOException e) {
                size = -1;
            }
        }
        return size;
    }

    /** Never: every part is 7bit, quoted-printable or base64. */
    @Override
    public boolean needs8BitMime() {
        return false;
    }

    @Override
    public boolean needsSmtpUtf8() {
        return smtpUtf8;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        RenderingSink ready;
        synchronized (this) {
            ready = rendered;
        }
        if (ready != null) {
            out.write(ready.buffer, 0, (int) ready.count);
        } else {
            new OutgoingPartWriter().write(message, out);
        }
    }

    /** Counts what is written and keeps it while it fits the limit. */
    private static final class RenderingSink extends OutputStream {
        private final int limit;
        private byte[] buffer = new byte[8192];
        private long count;

        RenderingSink(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (buffer != null) {
                if (count + len > limit) {
                    buffer = null; // too large to keep: only count from here on
                } else {
                    if (count + len > buffer.length) {
                        int grown = (int) Math.min(limit, Math.max(buffer.length * 2L, count + len));
                        buffer = java.util.Arrays.copyOf(buffer, grown);
                    }
                    System.arraycopy(b, off, buffer, (int) count, len);
                }
            }
            count += len;
        }

        /** True when the whole rendering is in {@code buffer[0, count)}. */
        boolean kept() {
            return buffer != null;
        }
    }
}
