package io.catalystmail.camel.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.mime4j.codec.QuotedPrintableOutputStream;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * Writes an {@link OutgoingPart} tree as RFC 2045/2046 octets: each part's header lines and the empty line after them,
 * its body in its transfer encoding, and multipart bodies as {@code --boundary} delimited parts closed by
 * {@code --boundary--}, without preamble or epilogue. These are the octets Mime4j's writer gave for the same tree.
 *
 * <p>The tree is first laid out flat: the octets between two bodies (a closing delimiter, the next delimiter, the next
 * header) joined into one write, then the body. Writing is then one loop without recursion, which the JIT compiler
 * compiles once and small (a recursive writer that encoded bodies was compiled three times, 78 KB each, while a
 * benchmark was being measured). Base64 bodies go through {@link Base64LineEncoder}, quoted-printable through Mime4j's
 * encoder, 7bit text held as a String ({@link SevenBitText}) through the scratch array. One writer renders one
 * message at a time.
 */
final class OutgoingPartWriter {

    /** 64 lines of 78 octets: about 5 KB per write to the DATA stream. */
    private static final int SCRATCH = 64 * 78;
    private static final byte[] CRLF = { '\r', '\n' };
    private static final byte[] DASHES = { '-', '-' };

    /**
     * The base64 encoder's room for its lines, one per sending thread: a writer renders one message and is gone, and a
     * new array per message was a fifth of what a sent message allocated.
     */
    private static final SpareBuffers SCRATCH_BUFFERS = new SpareBuffers(SCRATCH);

    /** Header lines and delimiters not yet laid out as a step. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);
    private byte[] scratch;

    void write(OutgoingPart message, OutputStream out) throws IOException {
        List<Object> steps = new ArrayList<>();
        pending.reset();
        layOut(message, steps);
        if (pending.size() > 0) {
            steps.add(pending.toByteArray()); // the closing delimiters after the last body
        }
        try {
            for (int i = 0, n = steps.size(); i < n; i++) {
                Object step = steps.get(i);
                if (step instanceof byte[] octets) {
                    out.write(octets);
                } else {
                    writeBody((OutgoingPart) step, out);
                }
            }
        } finally {
            SCRATCH_BUFFERS.giveBack(scratch);
            scratch = null;
        }
    }

    /** Adds the part's octets to {@code steps}: before each single body, what precedes it as one array. */
    private void layOut(OutgoingPart part, List<Object> steps) {
        for (HeaderLine field : part.fields()) {
            pending.writeBytes(field.octets());
            pending.writeBytes(CRLF);
        }
        pending.writeBytes(CRLF);
        if (!part.isMultipart()) {
            steps.add(pending.toByteArray());
            steps.add(part);
            pending.reset();
            return;
        }
        byte[] boundary = part.boundary().getBytes(StandardCharsets.UTF_8);
        for (OutgoingPart child : part.parts()) {
            pending.writeBytes(DASHES);
            pending.writeBytes(boundary);
            pending.writeBytes(CRLF);
            layOut(child, steps);
            pending.writeBytes(CRLF);
        }
        pending.writeBytes(DASHES);
        pending.writeBytes(boundary);
        pending.writeBytes(DASHES);
        pending.writeBytes(CRLF);
    }

    private void writeBody(OutgoingPart part, OutputStream out) throws IOException {
        if (part.source() instanceof SevenBitText text) {
            text.writeTo(out, scratch());
            return;
        }
        OutputStream encoded = encoding(out, part);
        try (InputStream in = part.source().open()) {
            in.transferTo(encoded);
        }
        if (encoded != out) {
            encoded.close(); // the encoder's last line; out stays open
        }
    }

    /** The scratch array of this message's writing: the base64 encoder's lines, 7bit text's octets. */
    private byte[] scratch() {
        if (scratch == null) {
            scratch = SCRATCH_BUFFERS.take();
        }
        return scratch;
    }

    private OutputStream encoding(OutputStream out, OutgoingPart part) {
        if (MimeUtil.isBase64Encoding(part.encoding())) {
            // bodies are written one after the other, each encoder closed before the next: one buffer serves them all
            return new Base64LineEncoder(out, scratch());
        }
        if (MimeUtil.isQuotedPrintableEncoded(part.encoding())) {
            return new QuotedPrintableOutputStream(out, part.binary());
        }
        return out;
    }
}
