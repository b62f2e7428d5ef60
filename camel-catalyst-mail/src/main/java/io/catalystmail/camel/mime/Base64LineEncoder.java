package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.catalystmail.camel.smtp.PreparedLinesOutput;

/**
 * The base64 Content-Transfer-Encoding of RFC 2045 §6.8: lines of 76 characters (57 octets each), every line ended
 * by CRLF. Whole lines are encoded straight from the caller's array into a buffer of many lines, which goes to the
 * next stream in one write; only the octets of an incomplete line wait for the next write, so a stream of any
 * length is encoded with constant memory. Nothing is written for an empty body.
 *
 * <p>Mime4j's encoder, which this replaces when a message is written, hands every 76-character line and every
 * line break to the next stream as a write of its own; here a part costs a few large writes.
 */
final class Base64LineEncoder extends OutputStream {

    /** Octets per line: 57 octets make the 76 characters §6.8 allows at most. */
    static final int LINE_OCTETS = 57;
    private static final int LINE_LENGTH = 76 + 2;
    private static final byte[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            .getBytes(StandardCharsets.US_ASCII);
    /** The two characters of every 12 bits, high one first: three octets take two look-ups and one 4-octet store. */
    private static final short[] PAIRS = new short[1 << 12];
    private static final VarHandle FOUR_CHARACTERS = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.BIG_ENDIAN);

    static {
        for (int i = 0; i < PAIRS.length; i++) {
            PAIRS[i] = (short) (ALPHABET[i >>> 6] << 8 | ALPHABET[i & 0x3f]);
        }
    }

    private final OutputStream out;
    private final byte[] lines;
    private final byte[] partial = new byte[LINE_OCTETS];
    private int partialCount;
    private int linesCount;
    private boolean closed;

    /**
     * @param out     where the encoded lines go; not closed by {@link #close()}
     * @param scratch room for the encoded lines between writes to {@code out} (at least one line, {@value #LINE_LENGTH}
     *                octets); may be shared by encoders used one after the other
     */
    Base64LineEncoder(OutputStream out, byte[] scratch) {
        if (scratch.length < LINE_LENGTH) {
            throw new IllegalArgumentException("scratch of " + scratch.length + " octets, needs " + LINE_LENGTH);
        }
        this.out = out;
        this.lines = scratch;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] { (byte) b }, 0, 1);
    }

    @Override
    public void write(byte[] data, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, data.length);
        if (closed) {
            throw new IOException("base64 encoder already closed");
        }
        if (partialCount > 0) {
            int take = Math.min(len, LINE_OCTETS - partialCount);
            System.arraycopy(data, off, partial, partialCount, take);
            partialCount += take;
            off += take;
            len -= take;
            if (partialCount < LINE_OCTETS) {
                return;
            }
            encodeLine(partial, 0, LINE_OCTETS);
            partialCount = 0;
        }
        while (len >= LINE_OCTETS) {
            encodeLine(data, off, LINE_OCTETS);
            off += LINE_OCTETS;
            len -= LINE_OCTETS;
        }
        if (len > 0) {
            System.arraycopy(data, off, partial, 0, len);
            partialCount = len;
        }
    }

    /** Passes on the whole lines encoded so far; the octets of an incomplete line wait for more (or the close). */
    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    /** Encodes the last, shorter line with its padding and passes everything on; {@code out} stays open. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (partialCount > 0) {
            encodeLine(partial, 0, partialCount);
            partialCount = 0;
        }
        drain();
        closed = true;
    }

    /** One line of up to {@value #LINE_OCTETS} octets, padded with '=' when its length is no multiple of three. */
    private void encodeLine(byte[] src, int off, int len) throws IOException {
        if (linesCount > lines.length - LINE_LENGTH) {
            drain();
        }
        byte[] dst = lines;
        int d = linesCount;
        int end = off + len - len % 3;
        for (int s = off; s < end; s += 3) {
            int bits = (src[s] & 0xff) << 16 | (src[s + 1] & 0xff) << 8 | (src[s + 2] & 0xff);
            FOUR_CHARACTERS.set(dst, d, PAIRS[bits >>> 12] << 16 | PAIRS[bits & 0xfff] & 0xffff);
            d += 4;
        }
        int rest = len % 3;
        if (rest > 0) {
            int bits = (src[end] & 0xff) << 16 | (rest == 2 ? (src[end + 1] & 0xff) << 8 : 0);
            dst[d] = ALPHABET[bits >>> 18];
            dst[d + 1] = ALPHABET[(bits >>> 12) & 0x3f];
            dst[d + 2] = rest == 2 ? ALPHABET[(bits >>> 6) & 0x3f] : (byte) '=';
            dst[d + 3] = '=';
            d += 4;
        }
        dst[d] = '\r';
        dst[d + 1] = '\n';
        linesCount = d + 2;
    }

    private void drain() throws IOException {
        if (linesCount > 0) {
            int n = linesCount;
            linesCount = 0;
            if (out instanceof PreparedLinesOutput data) {
                // nothing but the alphabet and CRLF: the DATA stream need not look at these octets again
                data.writePreparedLines(lines, 0, n);
            } else {
                out.write(lines, 0, n);
            }
        }
    }
}
