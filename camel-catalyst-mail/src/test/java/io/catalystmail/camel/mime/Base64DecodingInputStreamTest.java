package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Base64DecodingInputStreamTest {

    @Test
    void decodesWhatTheJdkEncodesForEveryLengthAndLineWidth() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int size : new int[] {0, 1, 2, 3, 4, 5, 57, 76, 6143, 6144, 6145, 8192, 20_480, 100_003}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            // width 0: one line without breaks, so a whole chunk decodes on the fast path up to the buffer's end
            for (int lineWidth : new int[] {0, 4, 76, 1000}) {
                byte[] encoded = Base64.getMimeEncoder(lineWidth, "\r\n".getBytes(StandardCharsets.US_ASCII))
                        .encode(data);
                assertArrayEquals(data, decodeAll(new ByteArrayInputStream(encoded), 16 * 1024),
                        size + " bytes, lines of " + lineWidth);
                // the source hands out 1 to 7 bytes per read, splitting quanta and line breaks anywhere
                assertArrayEquals(data, decodeAll(new TricklingInputStream(encoded, random.split()), 5),
                        size + " bytes trickled, lines of " + lineWidth);
            }
        }
    }

    @Test
    void singleByteReadsSeeTheSameBytes() throws IOException {
        byte[] data = "single bytes, one at a time".getBytes(StandardCharsets.UTF_8);
        InputStream in = new Base64DecodingInputStream(
                new DelimitedInput(new ByteArrayInputStream(Base64.getEncoder().encode(data))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            out.write(b);
        }
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void junkBetweenCharactersIsSkipped() throws IOException {
        assertEquals("Hello world", decode("SGVs !!bG8*g\td29y\r\nbGQ="));
    }

    @Test
    void aFinalQuantumWithoutPaddingStillCounts() throws IOException {
        assertEquals("ab", decode("YWI"));
        assertEquals("a", decode("YQ"));
        // six bits are not a byte
        assertEquals("ab", decode("YWJ"));
        assertEquals("abc", decode("YWJjZ"));
    }

    @Test
    void theFirstPadEndsTheDataAndTheRestIsDrained() throws IOException {
        ByteArrayInputStream source = new ByteArrayInputStream(
                "SGVsbG8gd29ybGQ===garbage===\r\nmore junk".getBytes(StandardCharsets.US_ASCII));
        assertEquals("Hello world", new String(decodeAll(source, 3), StandardCharsets.US_ASCII));
        assertEquals(0, source.available(), "the source was not read to its end");
        assertEquals("", decode("====AAAA"));
    }

    /**
     * Clean blocks go to the JDK's strict decoder, the first one it refuses and all after it to the lenient loop:
     * junk, padding and characters of the URL alphabet anywhere in parts of several blocks must decode as the
     * lenient rules alone decode them (compared with a plain reading of those rules, character by character).
     */
    @Test
    void junkOrPaddingAfterCleanBlocksDecodesAsTheLenientRulesSay() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        byte[] junk = {' ', '\t', '!', '-', '_', '\r', '\n', '=', (byte) 0xc3, '.', '*'};
        for (int round = 0; round < 400; round++) {
            byte[] data = new byte[random.nextInt(12_000)];
            random.nextBytes(data);
            byte[] clean = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encode(data);
            ByteArrayOutputStream encoded = new ByteArrayOutputStream();
            int insertions = random.nextInt(4);
            for (int i = 0; i < clean.length; i++) {
                // mostly after the first blocks: junk in the first ones only tests the lenient loop
                if (insertions > 0 && random.nextInt(Math.max(1, clean.length - i)) == 0) {
                    encoded.write(junk[random.nextInt(junk.length)]);
                    insertions--;
                }
                encoded.write(clean[i]);
            }
            byte[] input = encoded.toByteArray();
            byte[] expected = lenientReference(input);
            assertArrayEquals(expected, decodeAll(new ByteArrayInputStream(input), 16 * 1024), "round " + round);
            assertArrayEquals(expected, decodeAll(new TricklingInputStream(input, random.split()), 5),
                    "round " + round + " trickled");
        }
    }

    @Test
    void paddingRightAtABlocksEndEndsTheData() throws IOException {
        // 1,024 characters in lines of 76, the last two "==": the block's end is the data's end
        byte[] data = new byte[766];
        new SplittableRandom(3).nextBytes(data);
        String encoded = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data);
        assertEquals(1024 + 13 * 2, encoded.length());
        byte[] input = (encoded + "\r\nQUJD").getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(data, decodeAll(new ByteArrayInputStream(input), 64));
    }

    @Test
    void aLineBreakWhereTheLineLengthDoesNotPredictItIsStillSkipped() throws IOException {
        // lines of 76, then one split in 30 + CR LF + 44: its next CR LF sits where a 76-character line would end,
        // so the line break inside goes into a block (the strict decoder refuses it, the lenient loop skips it)
        byte[] data = new byte[3000];
        new SplittableRandom(5).nextBytes(data);
        String encoded = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data);
        int line = 78 * 20;
        String split = encoded.substring(0, line + 30) + "\r\n" + encoded.substring(line + 30);
        assertArrayEquals(data, decodeAll(new ByteArrayInputStream(split.getBytes(StandardCharsets.US_ASCII)), 64));
    }

    /** RFC 2045 section 6.8 as this decoder reads it, one character at a time. */
    static byte[] lenientReference(byte[] encoded) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int quantum = 0;
        int chars = 0;
        for (byte b : encoded) {
            if (b == '=') {
                break;
            }
            int value = alphabet.indexOf((char) (b & 0xff));
            if (value < 0) {
                continue;
            }
            quantum = quantum << 6 | value;
            if (++chars == 4) {
                out.write(quantum >> 16);
                out.write(quantum >> 8);
                out.write(quantum);
                quantum = 0;
                chars = 0;
            }
        }
        if (chars == 2) {
            out.write(quantum >> 4);
        } else if (chars == 3) {
            out.write(quantum >> 10);
            out.write(quantum >> 2);
        }
        return out.toByteArray();
    }

    private static String decode(String encoded) throws IOException {
        return new String(decodeAll(new ByteArrayInputStream(encoded.getBytes(StandardCharsets.ISO_8859_1)), 64),
                StandardCharsets.ISO_8859_1);
    }

    private static byte[] decodeAll(InputStream source, int bufferSize) throws IOException {
        // as the parser hands a part over: a region of the message, here one without delimiters
        try (InputStream in = new Base64DecodingInputStream(new DelimitedInput(source))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[bufferSize];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                assertEquals(true, n > 0, "read returned 0 for a non-empty buffer");
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** Hands out its bytes a few at a time, like a socket that delivers small segments. */
    private static final class TricklingInputStream extends FilterInputStream {
        private final SplittableRandom random;

        TricklingInputStream(byte[] bytes, SplittableRandom random) {
            super(new ByteArrayInputStream(bytes));
            this.random = random;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(7)));
        }
    }
}
