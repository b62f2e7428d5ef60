package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.OutputStream;

import io.catalystmail.camel.smtp.MessageContent;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.message.DefaultMessageWriter;

/**
 * A message composed with Mime4j. Its parts read their sources only when written, so {@link #writeTo} streams
 * attachments and stream bodies to the server, encoding them on the fly; nothing holds the encoded message.
 */
final class ComposedContent implements MessageContent {

    private final Message message;
    private final boolean smtpUtf8;
    private final boolean sizeCheap;
    private long size = -2;

    /**
     * @param message   the composed message
     * @param smtpUtf8  an address in the headers has a non-ASCII local part
     * @param sizeCheap every part is in memory, so writing the message once to count it costs little
     */
    ComposedContent(Message message, boolean smtpUtf8, boolean sizeCheap) {
        this.message = message;
        this.smtpUtf8 = smtpUtf8;
        this.sizeCheap = sizeCheap;
    }

    /** The size for SMTP SIZE (RFC 1870, an estimate); -1 when counting would mean reading a stream or file. */
    @Override
    public synchronized long size() {
        if (!sizeCheap) {
            return -1;
        }
        if (size == -2) {
            CountingSink sink = new CountingSink();
            try {
                new DefaultMessageWriter().writeMessage(message, sink);
                size = sink.count;
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
        new DefaultMessageWriter().writeMessage(message, out);
    }

    private static final class CountingSink extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
