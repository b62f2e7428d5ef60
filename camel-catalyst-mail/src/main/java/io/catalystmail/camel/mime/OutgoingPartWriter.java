package io.catalystmail.camel.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.apache.james.mime4j.codec.QuotedPrintableOutputStream;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * Writes an {@link OutgoingPart} tree as RFC 2045/2046 octets: each part's header lines and the empty line after them,
 * its body in its transfer encoding, and multipart bodies as {@code --boundary} delimited parts closed by
 * {@code --boundary--}, without preamble or epilogue. These are the octets Mime4j's writer gave for the same
 * tree. Everything between two bodies (a closing delimiter, the next delimiter, the next header) goes to the stream in
 * one write; base64 bodies through {@link Base64LineEncoder}, quoted-printable through Mime4j's encoder. One writer
 * renders one message at a time.
 */
final class OutgoingPartWriter {

    /** 64 lines of 78 octets: about 5 KB per write to the DATA stream. */
    private static final int SCRATCH = 64 * 78;
    private static final byte[] CRLF = { '\r', '\n' };
    private static final byte[] DASHES = { '-', '-' };

    /** Header lines and delimiters not yet written. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);
    private byte[] scratch;

    void write(OutgoingPart message, OutputStream out) throws IOException {
        pending.reset();
        writePart(message, out);
        flushPending(out);
    }

    private void writePart(OutgoingPart part, OutputStream out) throws IOException {
        for (HeaderLine field : part.fields()) {
            pending.write(field.octets());
            pending.write(CRLF);
        }
        pending.write(CRLF);
        if (part.isMultipart()) {
            byte[] boundary = part.boundary().getBytes(StandardCharsets.UTF_8);
            for (OutgoingPart child : part.parts()) {
                pending.write(DASHES);
                pending.write(boundary);
                pending.write(CRLF);
                writePart(child, out);
                pending.write(CRLF);
            }
            pending.write(DASHES);
            pending.write(boundary);
            pending.write(DASHES);
            pending.write(CRLF);
            return;
        }
        flushPending(out);
        OutputStream encoded = encoding(out, part);
        try (InputStream in = part.source().open()) {
            in.transferTo(encoded);
        }
        if (encoded != out) {
            encoded.close(); // the encoder's last line; out stays open
        }
    }

    private void flushPending(OutputStream out) throws IOException {
        if (pending.size() > 0) {
            pending.writeTo(out);
            pending.reset();
        }
    }

    private OutputStream encoding(OutputStream out, OutgoingPart part) {
        if (MimeUtil.isBase64Encoding(part.encoding())) {
            if (scratch == null) {
                scratch = new byte[SCRATCH];
            }
            // parts are written one after the other, each encoder closed before the next: one buffer serves them all
            return new Base64LineEncoder(out, scratch);
        }
        if (MimeUtil.isQuotedPrintableEncoded(part.encoding())) {
            return new QuotedPrintableOutputStream(out, part.binary());
        }
        return out;
    }
}
