package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A base64 part's lines are gathered into blocks without the parser's search for delimiters ({@link LineBlocks}):
 * whatever the lines look like, the part must end at the first delimiter line (RFC 2046 section 5.1.1) and decode to
 * what the lenient rules make of the bytes before it, and the part after it must be intact.
 */
class Base64PartDelimitersTest {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final String HEADER = "Subject: t\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
            + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    private static final String AFTER = "\r\n--b\r\nContent-Type: text/plain\r\n\r\nafter\r\n--b--\r\n";

    private final MessageBodies bodies = new TempBodyStore(1 << 24).newMessage(-1);

    @AfterEach
    void release() {
        bodies.release();
    }

    @Test
    void cleanBodiesOfEveryLengthEndAtTheirDelimiter() throws Exception {
        SplittableRandom random = new SplittableRandom(17);
        for (byte[] lineBreak : new byte[][] {CRLF, {'\n'}}) {
            for (int lineWidth : new int[] {76, 64, 4}) {
                // sizes around whole lines and whole blocks: the last line full, so the delimiter follows a line
                // of the expected length right where the next line would start
                for (int size = 0; size < 4000; size += 1 + random.nextInt(40)) {
                    byte[] data = new byte[size];
                    random.nextBytes(data);
                    byte[] body = Base64.getMimeEncoder(lineWidth, lineBreak).encode(data);
                    List<PartReader.Part> parts = parts(body);
                    assertArrayEquals(data, parts.get(0).body().toBytes(), size + " bytes in lines of " + lineWidth);
                    assertEquals("after", new String(parts.get(1).body().toBytes(), StandardCharsets.US_ASCII));
                }
            }
        }
    }

    @Test
    void delimitersAndDashesAnywhereInTheLinesAreFoundOrKeptAsTheLenientRulesSay() throws Exception {
        SplittableRandom random = new SplittableRandom(23);
        String[] insertions = {"-", "\r\n-", "\n-", "\r\n--b\r\n", "\n--b\n", "\r\n--b--\r\n", "\r\n--bx\r\n",
            "\r\n--b \r\n", " ", "=", "\r\n", "\r\n\r\n", "\r", "*"};
        for (int round = 0; round < 600; round++) {
            byte[] data = new byte[random.nextInt(9000)];
            random.nextBytes(data);
            byte[] lineBreak = random.nextBoolean() ? CRLF : new byte[] {'\n'};
            byte[] clean = Base64.getMimeEncoder(random.nextBoolean() ? 76 : 72, lineBreak).encode(data);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int left = 1 + random.nextInt(3);
            for (int i = 0; i < clean.length; i++) {
                if (left > 0 && random.nextInt(Math.max(1, clean.length - i)) < 2) {
                    body.writeBytes(insertions[random.nextInt(insertions.length)].getBytes(StandardCharsets.US_ASCII));
                    left--;
                }
                body.write(clean[i]);
            }
            byte[] bytes = body.toByteArray();
            int end = firstDelimiter(bytes);
            byte[] expected = Base64DecodingInputStreamTest.lenientReference(java.util.Arrays.copyOf(bytes, end));
            List<PartReader.Part> parts = parts(bytes);
            assertArrayEquals(expected, parts.get(0).body().toBytes(), "round " + round);
            if (end == bytes.length) {
                // no delimiter inserted (one may have closed the multipart, leaving "after" in the epilogue)
                assertEquals(2, parts.size(), "round " + round);
                assertEquals("after", new String(parts.get(1).body().toBytes(), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void linesLongerThanTheFirstKeepEveryCharacter() throws Exception {
        SplittableRandom random = new SplittableRandom(29);
        for (int round = 0; round < 300; round++) {
            byte[] data = new byte[1 + random.nextInt(9000)];
            random.nextBytes(data);
            byte[] lineBreak = random.nextBoolean() ? CRLF : new byte[] {'\n'};
            String chars = Base64.getEncoder().encodeToString(data);
            // hand-made lines: the first shorter than the rest, or one line in the middle longer than the others
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int first = 4 + random.nextInt(72);
            int width = first + 1 + random.nextInt(80);
            int at = 0;
            for (int line = 0; at < chars.length(); line++) {
                int n = Math.min(chars.length() - at, line == 0 ? first : width);
                body.writeBytes(chars.substring(at, at + n).getBytes(StandardCharsets.US_ASCII));
                body.writeBytes(lineBreak);
                at += n;
            }
            assertArrayEquals(data, parts(body.toByteArray()).get(0).body().toBytes(),
                    "round " + round + ": first line " + first + ", then " + width);
        }
    }

    private List<PartReader.Part> parts(byte[] body) throws Exception {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes(HEADER.getBytes(StandardCharsets.US_ASCII));
        message.writeBytes(body);
        message.writeBytes(AFTER.getBytes(StandardCharsets.US_ASCII));
        return new PartReader(MimeLimits.defaults()).read(new ByteArrayInputStream(message.toByteArray()), bodies)
                .parts();
    }

    /**
     * Where the first delimiter line of boundary "b" starts in a body that starts at a line start, or the body's
     * length: "--b" at a line start, then white space, "--" or a line break (RFC 2046 section 5.1.1, read leniently:
     * a bare LF ends a line too). The line break before it belongs to it, which the lenient rules skip anyway.
     */
    private static int firstDelimiter(byte[] body) {
        for (int i = 0; i + 3 <= body.length; i++) {
            boolean lineStart = i == 0 || body[i - 1] == '\n';
            if (lineStart && body[i] == '-' && body[i + 1] == '-' && body[i + 2] == 'b') {
                int next = i + 3 < body.length ? body[i + 3] : '\r'; // AFTER's CR LF follows the body
                if (next == ' ' || next == '\t' || next == '\r' || next == '\n'
                        || next == '-' && i + 4 < body.length && body[i + 4] == '-') {
                    return i;
                }
            }
        }
        return body.length;
    }
}
