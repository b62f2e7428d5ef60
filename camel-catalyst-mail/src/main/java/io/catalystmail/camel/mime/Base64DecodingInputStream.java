package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Decodes the base64 content-transfer-encoding (RFC 2045 §6.8) of one part while it streams in, a buffer at a
 * time: the decoder that sits under nearly every attachment, so it works on whole chunks instead of single
 * bytes. Lenient as mail demands: characters outside the base64 alphabet (line breaks, spaces, stray junk) are
 * skipped, a final quantum that lost its padding still yields its bytes, and the first {@code =} ends the data
 * (§6.8: "the occurrence of any '=' characters may be taken as evidence that the end of the data has been
 * reached"); whatever follows it is read and ignored.
 *
 * <p>Most parts are clean base64 in lines of 76 characters: their characters, line breaks left out, go in blocks of
 * {@value #BLOCK} to the JDK's strict decoder, which HotSpot compiles to vector instructions where the CPU has them
 * (about 100 times faster than a loop over the characters on AVX-512). The blocks are gathered straight from the
 * parser's buffer ({@link LineBlocks}), which spares them the search for delimiters. The first block the strict
 * decoder refuses (junk, padding, a character of another alphabet) or the lines do not fill (the part's last lines),
 * and every character after it in the part, go through the lenient loop, so what a part decodes to does not depend
 * on which path read it.
 */
final class Base64DecodingInputStream extends InputStream {

    private static final int SKIP = -1;
    private static final int PAD = -2;
    private static final byte[] VALUES = new byte[256];

    /**
     * The fast path's tables: a character's six bits already at their place in a quantum's 24 (first, second, third,
     * fourth character), -1 for anything outside the alphabet, so one OR of four look-ups is the quantum and its
     * sign says whether all four were alphabet characters.
     */
    private static final int[] FIRST = new int[256];
    private static final int[] SECOND = new int[256];
    private static final int[] THIRD = new int[256];
    private static final int[] FOURTH = new int[256];
    /** Writes a quantum's three bytes as one big-endian int whose fourth byte the next quantum overwrites. */
    private static final VarHandle INT_AT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    static {
        java.util.Arrays.fill(VALUES, (byte) SKIP);
        java.util.Arrays.fill(FIRST, -1);
        java.util.Arrays.fill(SECOND, -1);
        java.util.Arrays.fill(THIRD, -1);
        java.util.Arrays.fill(FOURTH, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            char c = alphabet.charAt(i);
            VALUES[c] = (byte) i;
            FIRST[c] = i << 18;
            SECOND[c] = i << 12;
            THIRD[c] = i << 6;
            FOURTH[c] = i;
        }
        VALUES['='] = (byte) PAD;
    }

    /**
     * Characters decoded at once by the strict decoder, whole quanta: it takes only a whole array, so the block has a
     * fixed size and a part's last characters (fewer than a block) go through the lenient loop.
     */
    private static final int BLOCK = 1024;
    private static final int BLOCK_OUTPUT = BLOCK / 4 * 3;
    private static final Base64.Decoder STRICT = Base64.getDecoder();
    /** The block being gathered, and the strict decoder's output, one of each per parsing thread. */
    private static final SpareBuffers BLOCKS = new SpareBuffers(BLOCK);
    private static final SpareBuffers BLOCK_OUTPUTS = new SpareBuffers(BLOCK_OUTPUT);

    private static final int ENCODED_CHUNK = 8192;
    /**
     * Where the decoded bytes of the last chunk start in the buffer: after the encoded chunk. They take at most the
     * chunk's 3/4 plus the bytes of a carried quantum, and one byte more for the fast path's four-byte writes.
     */
    private static final int DECODED_START = ENCODED_CHUNK;

    /**
     * The chunk buffers, one per parsing thread (see {@link #release}): the encoded chunk and its decoded bytes
     * share one array, so a part takes and gives back one spare (each take is a thread-local look-up that the JIT
     * compiler inlines where a part is read).
     */
    private static final SpareBuffers BUFFERS = new SpareBuffers(DECODED_START + ENCODED_CHUNK / 4 * 3 + 3 + 1);

    private final DelimitedInput in;
    private final LineBlocks lines;
    /** This thread's slot of {@link #BUFFERS}, where the buffer goes back to. */
    private final SpareBuffers.Slot spare = BUFFERS.slot();
    private byte[] buffer = spare.take();
    /** The decoded bytes not yet read: {@code buffer[position, limit)}, within the decoded half. */
    private int position = DECODED_START;
    private int limit = DECODED_START;
    /** Bits of the quantum being assembled, and how many of its four characters have been seen. */
    private int quantum;
    private int quantumChars;
    private boolean padded;
    private boolean endOfInput;
    private final SpareBuffers.Slot blockSpare = BLOCKS.slot();
    private final SpareBuffers.Slot blockOutputSpare = BLOCK_OUTPUTS.slot();
    private byte[] block = blockSpare.take();
    private byte[] blockOutput = blockOutputSpare.take();
    /** False from the first block not decoded strictly: the rest of the part goes the lenient way. */
    private boolean strict = true;

    /** @param in the part's content, at its start */
    Base64DecodingInputStream(DelimitedInput in) {
        this.in = in;
        this.lines = new LineBlocks(in);
    }

    /** Gives the chunk buffers back for the next part on this thread; the stream is not read afterwards. */
    void release() {
        spare.giveBack(buffer);
        buffer = null;
        blockSpare.giveBack(block);
        blockOutputSpare.giveBack(blockOutput);
        block = null;
        blockOutput = null;
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, target.length);
        if (length == 0) {
            return 0;
        }
        if (position == limit && !fill()) {
            return -1;
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, target, offset, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return limit - position;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Decodes blocks or chunks until at least one byte is ready; false at the end of the data. */
    private boolean fill() throws IOException {
        position = DECODED_START;
        limit = DECODED_START;
        while (limit == DECODED_START) {
            if (strict) {
                decodeBlocks();
                continue;
            }
            if (endOfInput) {
                return false;
            }
            int n = in.read(buffer, 0, ENCODED_CHUNK);
            if (n < 0) {
                endOfInput = true;
                finishQuantum();
            } else if (!padded) {
                decodeLeniently(buffer, 0, n);
            }
            // after the padding the rest is only drained, so the parser can move on to the next part
        }
        return true;
    }

    /**
     * Whole blocks through the strict decoder while the lines carry them and it takes them, as many as the decoded
     * half has room for; at the first that does not, the part leaves the strict path, that block's characters not
     * passed over (whole quanta went before them, so the lenient loop starts on a quantum's first character).
     */
    private void decodeBlocks() throws IOException {
        while (limit + BLOCK_OUTPUT <= buffer.length) {
            if (!lines.gather(block) || !decodeBlock()) {
                strict = false;
                return;
            }
            lines.passGathered();
        }
    }

    /** The gathered block through the strict decoder, into the decoded half; false when it refuses it. */
    private boolean decodeBlock() {
        // a block ending in padding would be taken, but the lenient loop must see the padding to end the data
        if (block[BLOCK - 1] == '=' || block[BLOCK - 2] == '=') {
            return false;
        }
        try {
            int n = STRICT.decode(block, blockOutput);
            System.arraycopy(blockOutput, 0, buffer, limit, n);
            limit += n;
            return true;
        } catch (IllegalArgumentException refused) {
            return false; // junk, padding, a line break or another alphabet inside the block: read leniently
        }
    }

    /** The lenient character loop over {@code src[from, to)}: skips what is not base64, ends at the padding. */
    private void decodeLeniently(byte[] src, int from, int to) {
        if (padded) {
            return;
        }
        int q = quantum;
        int chars = quantumChars;
        int out = limit;
        byte[] dst = buffer;
        for (int i = from; i < to; i++) {
            if (chars == 0) {
                // fast path: whole quanta of four alphabet characters (a MIME line is 19 of them), decoded without a
                // branch per character; a line break, padding or junk drops to the character loop below
                while (i + 4 <= to) {
                    int bits = FIRST[src[i] & 0xff] | SECOND[src[i + 1] & 0xff] | THIRD[src[i + 2] & 0xff]
                               | FOURTH[src[i + 3] & 0xff];
                    if (bits < 0) {
                        break;
                    }
                    // one store instead of three; the fourth byte is overwritten by the next quantum or left
                    // beyond limit
                    INT_AT.set(dst, out, bits << 8);
                    out += 3;
                    i += 4;
                }
                if (i >= to) {
                    break;
                }
            }
            int value = VALUES[src[i] & 0xff];
            if (value >= 0) {
                q = q << 6 | value;
                if (++chars == 4) {
                    dst[out++] = (byte) (q >> 16);
                    dst[out++] = (byte) (q >> 8);
                    dst[out++] = (byte) q;
                    q = 0;
                    chars = 0;
                }
            } else if (value == PAD) {
                quantum = q;
                quantumChars = chars;
                limit = out;
                finishQuantum();
                padded = true;
                return;
            }
        }
        quantum = q;
        quantumChars = chars;
        limit = out;
    }

    /** The bytes of an incomplete last quantum: two characters carry one byte, three carry two. */
    private void finishQuantum() {
        if (quantumChars == 2) {
            buffer[limit++] = (byte) (quantum >> 4);
        } else if (quantumChars == 3) {
            buffer[limit++] = (byte) (quantum >> 10);
            buffer[limit++] = (byte) (quantum >> 2);
        }
        // a lone character holds only six bits, not a byte: dropped
        quantum = 0;
        quantumChars = 0;
    }
}
