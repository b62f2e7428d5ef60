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
        InputStream in = new Base64DecodingInputStream(new ByteArrayInputStream(Base64.getEncoder().encode(data)));
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

    private static String decode(String encoded) throws IOException {
        return new String(decodeAll(new ByteArrayInputStream(encoded.getBytes(StandardCharsets.ISO_8859_1)), 64),
                StandardCharsets.ISO_8859_1);
    }

    private static byte[] decodeAll(InputStream source, int bufferSize) throws IOException {
        try (InputStream in = new Base64DecodingInputStream(source)) {
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
