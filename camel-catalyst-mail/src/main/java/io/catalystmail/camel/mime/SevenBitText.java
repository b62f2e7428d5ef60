package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A text body held as a String that goes out as 7bit (RFC 2045 §2.7): ASCII only, no NUL, no CR outside CRLF, no
 * line over 998 octets, in a charset that writes ASCII characters as themselves. Its octets are its characters, so
 * {@link OutgoingPartWriter} copies them through its scratch array instead of the composer encoding them into a new
 * array per message: the plain text and HTML alternative of a sent message were a fifth of what composing it
 * allocated.
 */
final class SevenBitText implements BodySource {

    private final String text;

    private SevenBitText(String text) {
        this.text = text;
    }

    /** The text as a 7bit body, or null when it is not one (it then gets encoded as before). */
    static SevenBitText of(String text, Charset charset) {
        if (!charset.equals(StandardCharsets.UTF_8) && !charset.equals(StandardCharsets.US_ASCII)
                && !charset.equals(StandardCharsets.ISO_8859_1)) {
            return null;
        }
        int lineLength = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                lineLength = 0;
            } else if (c == '\r') {
                if (i + 1 >= n || text.charAt(i + 1) != '\n') {
                    return null;
                }
            } else if (c == 0 || c >= 0x80 || ++lineLength > TransferEncoding.MAX_LINE_OCTETS) {
                return null;
            }
        }
        return new SevenBitText(text);
    }

    /** For a writer that reads every source as a stream (the writer itself uses {@link #writeTo}). */
    @Override
    public InputStream open() {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes the characters as octets, {@code scratch.length} at a time. */
    void writeTo(OutputStream out, byte[] scratch) throws IOException {
        for (int start = 0, n = text.length(); start < n; start += scratch.length) {
            int end = Math.min(n, start + scratch.length);
            for (int i = start; i < end; i++) {
                scratch[i - start] = (byte) text.charAt(i);
            }
            out.write(scratch, 0, end - start);
        }
    }
}
