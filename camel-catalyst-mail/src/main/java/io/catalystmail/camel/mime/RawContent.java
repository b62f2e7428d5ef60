package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.catalystmail.camel.smtp.MessageContent;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * A complete RFC 5322 message supplied by the route (raw mode), sent as it is except for any Bcc header
 * line, which is dropped so blind recipients stay blind. Only the header section is read in advance (to find
 * recipients and the Message-ID); the body streams from its source when the message is written.
 */
final class RawContent implements MessageContent {

    /** Upper bound on the header section read in advance, so a body without a blank line cannot fill the heap. */
    static final int MAX_HEADER_SECTION = 1024 * 1024;

    private final List<byte[]> fields;
    private final byte[] separator;
    private final InputStream body;
    private final long bodyLength;
    private final boolean bodyHas8Bit;
    private boolean written;

    private RawContent(List<byte[]> fields, byte[] separator, InputStream body, long bodyLength, boolean bodyHas8Bit) {
        this.fields = fields;
        this.separator = separator;
        this.body = body;
        this.bodyLength = bodyLength;
        this.bodyHas8Bit = bodyHas8Bit;
    }

    /** A message held in memory: its size is known and its body can be checked for 8-bit octets. */
    static RawContent of(byte[] message) throws IOException {
        return read(new ByteArrayInputStream(message), message.length);
    }

    /** A message read from a stream that is consumed once, when the message is written. */
    static RawContent of(InputStream message) throws IOException {
        return read(message, -1);
    }

    private static RawContent read(InputStream in, long totalLength) throws IOException {
        List<byte[]> fields = new ArrayList<>();
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int headerBytes = 0;
        byte[] separator = new byte[0];
        while (true) {
            line.reset();
            int b;
            while ((b = in.read()) != -1) {
                line.write(b);
                if (b == '\n') {
                    break;
                }
            }
            headerBytes += line.size();
            if (headerBytes > MAX_HEADER_SECTION) {
                throw new MailCompositionException("The raw message's header section is larger than "
                        + MAX_HEADER_SECTION + " bytes or has no blank line after it");
            }
            byte[] bytes = line.toByteArray();
            boolean blank = bytes.length == 0 || isLineBreakOnly(bytes);
            boolean continuation = bytes.length > 0 && (bytes[0] == ' ' || bytes[0] == '\t');
            if (!continuation && field.size() > 0) {
                fields.add(field.toByteArray());
                field.reset();
            }
            if (blank) {
                separator = bytes;
                break;
            }
            field.write(bytes);
        }
        long bodyLength = totalLength < 0 ? -1 : totalLength - headerBytes;
        boolean bodyHas8Bit;
        if (in instanceof ByteArrayInputStream memory) {
            memory.mark(0);
            bodyHas8Bit = has8Bit(memory.readAllBytes());
            memory.reset();
        } else {
            // a stream cannot be inspected without reading it twice: trust what the message declares
            String encoding = fieldValue(fields, "Content-Transfer-Encoding");
            bodyHas8Bit = encoding != null && (encoding.trim().equalsIgnoreCase(MimeUtil.ENC_8BIT)
                    || encoding.trim().equalsIgnoreCase(MimeUtil.ENC_BINARY));
        }
        return new RawContent(fields, separator, in, bodyLength, bodyHas8Bit);
    }

    /** The unfolded value of the first field of this name, decoded as UTF-8 (RFC 6532), or null. */
    String field(String name) {
        return fieldValue(fields, name);
    }

    @Override
    public long size() {
        if (bodyLength < 0) {
            return -1;
        }
        long headerLength = separator.length;
        for (byte[] f : fields) {
            if (!isBcc(f)) {
                headerLength += f.length;
            }
        }
        return headerLength + bodyLength;
    }

    @Override
    public boolean needs8BitMime() {
        return bodyHas8Bit;
    }

    /** RFC 6532: 8-bit octets in the header section are UTF-8 headers, which need SMTPUTF8. */
    @Override
    public boolean needsSmtpUtf8() {
        for (byte[] f : fields) {
            if (!isBcc(f) && has8Bit(f)) {
                return true;
            }
        }
        return false;
    }

    /** A message given in memory can be written again (its body stream is reset to the mark set after the header). */
    @Override
    public boolean repeatable() {
        return body instanceof ByteArrayInputStream;
    }

    @Override
    public synchronized void writeTo(OutputStream out) throws IOException {
        if (written && !repeatable()) {
            throw new IllegalStateException("The raw message stream was already sent and cannot be read again");
        }
        written = true;
        for (byte[] f : fields) {
            if (!isBcc(f)) {
                out.write(f);
            }
        }
        out.write(separator);
        if (body instanceof ByteArrayInputStream memory) {
            memory.reset();
            memory.transferTo(out);
            return;
        }
        try (InputStream in = body) {
            in.transferTo(out);
        }
    }

    private static String fieldValue(List<byte[]> fields, String name) {
        for (byte[] f : fields) {
            String text = new String(f, StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon > 0 && text.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return MimeUtil.unfold(text.substring(colon + 1)).trim();
            }
        }
        return null;
    }

    private static boolean isBcc(byte[] field) {
        if (field.length < 4) {
            return false;
        }
        String start = new String(field, 0, Math.min(field.length, 8), StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        return start.startsWith("bcc:") || start.startsWith("bcc ");
    }

    private static boolean isLineBreakOnly(byte[] line) {
        return (line.length == 1 && line[0] == '\n') || (line.length == 2 && line[0] == '\r' && line[1] == '\n');
    }

    private static boolean has8Bit(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
