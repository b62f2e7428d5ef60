package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
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
    private static final byte[] NOTHING = {};

    /**
     * The base64 encoder's room for its lines, one per sending thread: a writer renders one message and is gone, and a
     * new array per message was a fifth of what a sent message allocated.
     */
    private static final SpareBuffers SCRATCH_BUFFERS = new SpareBuffers(SCRATCH);

    /**
     * Header lines and delimiters not yet laid out as a step, in {@code pending[0, pendingCount)}. A plain array:
     * ByteArrayOutputStream locks on every write, and the lock code of its inlined writes made the layout the
     * largest compilation of a sending JVM (56 KB of code, 2.5 s of the compiler while 8 threads were sending).
     */
    private byte[] pending = new byte[1024];
    private int pendingCount;

    void write(OutgoingPart message, OutputStream out) throws IOException {
        List<Object> steps = new ArrayList<>();
        pendingCount = 0;
        layOut(message, steps);
        if (pendingCount > 0) {
            steps.add(takePending()); // the closing delimiters after the last body
        }
        // taken once for the message, not where a body first needs it: one inlined thread-local look-up, not one
        // per place that may need it, in the per-message code the JIT compiler compiles
        SpareBuffers.Slot slot = SCRATCH_BUFFERS.slot();
        byte[] scratch = slot.take();
        try {
            for (int i = 0, n = steps.size(); i < n; i++) {
                Object step = steps.get(i);
                if (step instanceof byte[] octets) {
                    out.write(octets);
                } else {
                    writeBody((OutgoingPart) step, out, scratch);
                }
            }
        } finally {
            slot.giveBack(scratch);
        }
    }

    /** Adds the part's octets to {@code steps}: before each single body, what precedes it as one array. */
    private void layOut(OutgoingPart part, List<Object> steps) {
        for (HeaderLine field : part.fields()) {
            appendLine(field.octets());
        }
        appendLine(NOTHING); // the empty line that ends the header
        if (!part.isMultipart()) {
            steps.add(takePending());
            steps.add(part);
            return;
        }
        byte[] boundary = part.boundary();
        for (OutgoingPart child : part.parts()) {
            appendDelimiter(boundary, false);
            layOut(child, steps);
            appendLine(NOTHING); // the CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1)
        }
        appendDelimiter(boundary, true);
    }

    /** {@code octets} and CRLF. */
    private void appendLine(byte[] octets) {
        int n = octets.length;
        byte[] to = room(n + 2);
        System.arraycopy(octets, 0, to, pendingCount, n);
        to[pendingCount + n] = '\r';
        to[pendingCount + n + 1] = '\n';
        pendingCount += n + 2;
    }

    /** A delimiter line, {@code --boundary CRLF}, or the close delimiter line {@code --boundary-- CRLF}. */
    private void appendDelimiter(byte[] boundary, boolean close) {
        int n = boundary.length;
        byte[] to = room(n + 6);
        int at = pendingCount;
        to[at++] = '-';
        to[at++] = '-';
        System.arraycopy(boundary, 0, to, at, n);
        at += n;
        if (close) {
            to[at++] = '-';
            to[at++] = '-';
        }
        to[at++] = '\r';
        to[at++] = '\n';
        pendingCount = at;
    }

    /** The pending array with room for {@code octets} more. */
    private byte[] room(int octets) {
        if (pendingCount + octets > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingCount + octets));
        }
        return pending;
    }

    /** The pending octets as one step; pending is empty after. */
    private byte[] takePending() {
        byte[] step = Arrays.copyOf(pending, pendingCount);
        pendingCount = 0;
        return step;
    }

    /** @param scratch the base64 encoder's lines, 7bit text's octets */
    private static void writeBody(OutgoingPart part, OutputStream out, byte[] scratch) throws IOException {
        if (part.source() instanceof SevenBitText text) {
            text.writeTo(out, scratch);
            return;
        }
        OutputStream encoded = encoding(out, part, scratch);
        try (InputStream in = part.source().open()) {
            in.transferTo(encoded);
        }
        if (encoded != out) {
            encoded.close(); // the encoder's last line; out stays open
        }
    }

    /**
     * The encoder of the part's Content-Transfer-Encoding. The composer's encodings are {@link MimeUtil}'s constants,
     * so they are recognised by identity first: the case-insensitive comparison is left for any other string, and
     * is not compiled into the per-part code while it never runs.
     */
    private static OutputStream encoding(OutputStream out, OutgoingPart part, byte[] scratch) {
        String encoding = part.encoding();
        if (encoding == MimeUtil.ENC_BASE64 || MimeUtil.isBase64Encoding(encoding)) {
            // bodies are written one after the other, each encoder closed before the next: one buffer serves them all
            return new Base64LineEncoder(out, scratch);
        }
        if (encoding == MimeUtil.ENC_QUOTED_PRINTABLE || MimeUtil.isQuotedPrintableEncoded(encoding)) {
            return new QuotedPrintableOutputStream(out, part.binary());
        }
        return out;
    }
}
