package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Base64;

import io.catalystmail.camel.bytes.ByteSearch;

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
 * (about 100 times faster than a loop over the characters on AVX-512). The first block the strict decoder refuses
 * (junk, padding, a character of another alphabet) and every character after it in the part go through the lenient
 * loop, so what a part decodes to does not depend on which path read it.
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
     * fixed size and a part's last characters (fewer than a block) go through the lenient loop. Its output is at most
     * this block's 3/4 more than a chunk's in one {@link #decode} call (the carried block, decoded leniently when it
     * is refused), hence the buffer's room for it.
     */
    private static final int BLOCK = 1024;
    private static final Base64.Decoder STRICT = Base64.getDecoder();
    /** The block being gathered, and the strict decoder's output, one of each per parsing thread. */
    private static final SpareBuffers BLOCKS = new SpareBuffers(BLOCK);
    private static final SpareBuffers BLOCK_OUTPUTS = new SpareBuffers(BLOCK / 4 * 3);

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
    private static final SpareBuffers BUFFERS = new SpareBuffers(DECODED_START + ENCODED_CHUNK / 4 * 3 + 3 + 1
                                                                 + BLOCK / 4 * 3);

    private final InputStream in;
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
    /** Characters gathered in {@link #block}, which come before any the lenient loop has seen. */
    private int gathered;
    /** False from the first block the strict decoder refused on: the rest of the part goes the lenient way. */
    private boolean strict = true;

    Base64DecodingInputStream(InputStream in) {
        this.in = in;
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

    /** Decodes chunks until at least one byte is ready; false at the end of the data. */
    private boolean fill() throws IOException {
        position = DECODED_START;
        limit = DECODED_START;
        while (limit == DECODED_START) {
            if (endOfInput) {
                return false;
            }
            int n = in.read(buffer, 0, ENCODED_CHUNK);
            if (n < 0) {
                endOfInput = true;
                if (!padded) {
                    decodeLeniently(block, 0, gathered); // the part's last characters, fewer than a block
                    gathered = 0;
                }
                finishQuantum();
            } else if (!padded) {
                decode(n);
            }
            // after the padding the rest is only drained, so the parser can move on to the next part
        }
        return true;
    }

    /** Decodes the chunk {@code buffer[0, length)}: gathered into blocks while the strict decoder takes them. */
    private void decode(int length) {
        int i = 0;
        int lineLength = 0;
        while (strict && i < length) {
            // a line's characters up to its CR LF; a CR or LF is never base64, and the lenient loop skips it too.
            // Encoders write lines of one length, so the CR LF is looked for there first; should the line hold
            // another line break after all, the strict decoder refuses its block and the lenient loop reads it
            int guess = i + lineLength;
            int end;
            int runEnd;
            if (lineLength > 0 && guess + 1 < length && buffer[guess] == '\r' && buffer[guess + 1] == '\n') {
                end = guess + 1;
                runEnd = guess;
            } else {
                int newline = ByteSearch.indexOf(buffer, i, length, '\n');
                end = newline < 0 ? length : newline;
                runEnd = end > i && buffer[end - 1] == '\r' ? end - 1 : end;
            }
            lineLength = runEnd - i;
            while (i < runEnd) {
                int n = Math.min(runEnd - i, BLOCK - gathered);
                System.arraycopy(buffer, i, block, gathered, n);
                gathered += n;
                i += n;
                if (gathered == BLOCK) {
                    gathered = 0;
                    if (!decodeBlock() || padded) {
                        decodeLeniently(buffer, i, length);
                        return;
                    }
                }
            }
            i = end + 1;
        }
        if (i < length) {
            decodeLeniently(buffer, i, length);
        }
    }

    /**
     * The gathered block through the strict decoder; true when it took it. A refused block goes through the lenient
     * loop (which may meet the padding), and the part leaves the strict path.
     */
    private boolean decodeBlock() {
        // a block ending in padding would be taken, but the lenient loop must see the padding to end the data
        if (block[BLOCK - 1] != '=' && block[BLOCK - 2] != '=') {
            try {
                int n = STRICT.decode(block, blockOutput);
                System.arraycopy(blockOutput, 0, buffer, limit, n);
                limit += n;
                return true;
            } catch (IllegalArgumentException refused) {
                // junk, padding or another alphabet inside the block: decoded leniently below
            }
        }
        strict = false;
        decodeLeniently(block, 0, BLOCK);
        return false;
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
