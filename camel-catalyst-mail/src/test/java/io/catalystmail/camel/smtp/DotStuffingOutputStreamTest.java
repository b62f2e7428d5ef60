package io.catalystmail.camel.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class DotStuffingOutputStreamTest {

    static byte[] stuff(byte[] content) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DotStuffingOutputStream data = new DotStuffingOutputStream(wire);
        data.write(content);
        data.finish();
        return wire.toByteArray();
    }

    static String stuff(String content) throws IOException {
        return new String(stuff(content.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void emptyContentIsJustTheTerminator() throws IOException {
        assertEquals(".\r\n", stuff(""));
    }

    @Test
    void contentWithoutFinalNewlineGetsOne() throws IOException {
        assertEquals("abc\r\n.\r\n", stuff("abc"));
        assertEquals("abc\r\n.\r\n", stuff("abc\r\n"));
    }

    @Test
    void leadingDotsAreDoubledOnEveryLine() throws IOException {
        assertEquals("..\r\n.\r\n", stuff(".\r\n"));
        assertEquals("a\r\n..\r\nb\r\n.\r\n", stuff("a\r\n.\r\nb"));
        assertEquals("...x\r\n..\r\n.\r\n", stuff("..x\n."));
        assertEquals("a.b\r\n.\r\n", stuff("a.b"));
    }

    @Test
    void bareLineEndsBecomeCrlf() throws IOException {
        assertEquals("a\r\nb\r\n.\r\n", stuff("a\nb\n"));
        assertEquals("a\r\nb\r\n.\r\n", stuff("a\rb"));
        assertEquals("a\r\n\r\nb\r\n.\r\n", stuff("a\r\rb"));
        assertEquals("a\r\n\r\nb\r\n.\r\n", stuff("a\n\rb"));
    }

    @Test
    void noSmugglingVariantEndsDataEarly() throws IOException {
        String[] variants = {"\n.\n", "\r.\r", "\r\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r", "\n.\r", "\r.\n"};
        for (String v : variants) {
            byte[] wire = stuff(("Subject: x\r\n\r\nbody" + v + "MAIL FROM:<evil@x>\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertCrlfOnly(wire);
            assertEquals(wire.length - 3, indexOfTerminator(wire), "variant " + printable(v));
        }
    }

    @Test
    void eightBitAndControlOctetsPassUntouched() throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (int i = 0; i < 256; i++) {
            if (i != '\r' && i != '\n') {
                content.write(i);
            }
        }
        byte[] in = content.toByteArray();
        byte[] wire = stuff(in);
        byte[] expected = new byte[in.length + 5];
        System.arraycopy(in, 0, expected, 0, in.length);
        System.arraycopy(new byte[] {'\r', '\n', '.', '\r', '\n'}, 0, expected, in.length, 5);
        assertArrayEquals(expected, wire);
    }

    @Test
    void hugeSingleLineStreamsInLargeWritesEvenWhenFedByteByByte() throws IOException {
        long n = 3_000_000;
        CountingSink sink = new CountingSink();
        DotStuffingOutputStream data = new DotStuffingOutputStream(sink);
        data.write('.');
        for (long i = 1; i < n; i++) {
            data.write('x');
        }
        data.finish();
        assertEquals(n + 1 + 2 + 3, sink.bytes);
        assertEquals(n, data.contentBytes());
        // 64 KB batches: the socket sees a few dozen writes, not millions
        assertTrue(sink.writes <= n / (DotStuffingOutputStream.BUFFER_SIZE - 2) + 2, "writes: " + sink.writes);
        assertEquals("x\r\n.\r\n", sink.tail());
    }

    @Test
    void closeOnlyFlushesAndFinishIsIdempotent() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DotStuffingOutputStream data = new DotStuffingOutputStream(wire);
        data.write("a".getBytes(StandardCharsets.US_ASCII));
        data.close();
        assertEquals("a", wire.toString(StandardCharsets.US_ASCII));
        data.finish();
        data.finish();
        assertEquals("a\r\n.\r\n", wire.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void randomContentRoundTripsThroughAStrictReceiver() throws IOException {
        Random random = new Random(20240601);
        byte[] alphabet = {'\r', '\n', '.', 'a', (byte) 0xC3, ' '};
        for (int round = 0; round < 2000; round++) {
            byte[] content = new byte[random.nextInt(40)];
            for (int i = 0; i < content.length; i++) {
                content[i] = alphabet[random.nextInt(alphabet.length)];
            }
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            DotStuffingOutputStream data = new DotStuffingOutputStream(wire);
            // uneven chunks, to cross a CR LF pair over write calls
            int off = 0;
            while (off < content.length) {
                int len = Math.min(content.length - off, 1 + random.nextInt(3));
                data.write(content, off, len);
                off += len;
            }
            data.finish();
            byte[] out = wire.toByteArray();
            assertCrlfOnly(out);
            assertEquals(out.length - 3, indexOfTerminator(out));
            assertEquals(normalised(content), unstuffed(out), "content " + printable(new String(content,
                    StandardCharsets.ISO_8859_1)));
        }
    }

    @Test
    void longLinesWithABreakOrDotAtEveryOffsetRoundTripWhateverTheWriteSizes() throws IOException {
        // long runs without a line break are scanned eight octets at a time: a CR, LF or dot at each position
        // of such a word, with 8-bit octets around it, must still be found
        Random random = new Random(5321);
        byte[] specials = {'\r', '\n', '.', (byte) 0x8d, (byte) 0x8a, 0x0b, 0x0c, 0x0e};
        for (int offset = 0; offset < 40; offset++) {
            for (byte special : specials) {
                byte[] content = new byte[200];
                for (int i = 0; i < content.length; i++) {
                    content[i] = (byte) (random.nextBoolean() ? 'a' + random.nextInt(26) : 0x80 + random.nextInt(128));
                }
                content[offset] = special;
                content[offset + 1 + random.nextInt(100)] = specials[random.nextInt(3)];
                for (int chunk : new int[] { content.length, 9, 64, 7 }) {
                    ByteArrayOutputStream wire = new ByteArrayOutputStream();
                    DotStuffingOutputStream data = new DotStuffingOutputStream(wire);
                    for (int off = 0; off < content.length; off += chunk) {
                        data.write(content, off, Math.min(chunk, content.length - off));
                    }
                    data.finish();
                    byte[] out = wire.toByteArray();
                    assertCrlfOnly(out);
                    assertEquals(out.length - 3, indexOfTerminator(out));
                    assertEquals(normalised(content), unstuffed(out), "offset " + offset + ", chunks of " + chunk);
                }
            }
        }
    }

    /** What a receiver should reconstruct: lines split at CRLF, bare CR or bare LF, each ended by CRLF. */
    private static String normalised(byte[] content) {
        String s = new String(content, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace('\r', '\n');
        if (!s.isEmpty() && !s.endsWith("\n")) {
            s += "\n";
        }
        return s.replace("\n", "\r\n");
    }

    /** A strict RFC 5321 receiver: lines up to the ".CRLF" line, one leading dot removed. */
    private static String unstuffed(byte[] wire) {
        String s = new String(wire, StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder();
        for (String line : s.split("\r\n", -1)) {
            if (line.equals(".")) {
                break;
            }
            sb.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
        }
        return sb.toString();
    }

    /** Base64 lines of RFC 2045 §6.8 for {@code size} random octets, each ended by CRLF. */
    private static byte[] base64Lines(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        String encoded = java.util.Base64.getMimeEncoder().encodeToString(data);
        return (encoded.isEmpty() ? "" : encoded + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] send(String before, byte[] lines, boolean prepared, String after) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DotStuffingOutputStream data = new DotStuffingOutputStream(wire);
        data.write(before.getBytes(StandardCharsets.ISO_8859_1));
        if (prepared) {
            data.writePreparedLines(lines, 0, lines.length);
        } else {
            data.write(lines);
        }
        data.write(after.getBytes(StandardCharsets.ISO_8859_1));
        data.finish();
        return wire.toByteArray();
    }

    @Test
    void preparedLinesGiveTheOctetsOfAnOrdinaryWriteWhateverCameBeforeAndAfter() throws IOException {
        int[] sizes = {1, 2, 3, 56, 57, 58, 114, 20 * 1024, 64 * 1024 - 7, 200_000};
        String[] before = {"", "x", "x\r", "x\n", ".", "Content-Transfer-Encoding: base64\r\n\r\n", "a".repeat(65_530)};
        String[] after = {"", ".", "\r\n.\r\n", "--boundary--\r\n"};
        for (int size : sizes) {
            byte[] lines = base64Lines(size);
            for (String b : before) {
                for (String a : after) {
                    assertArrayEquals(send(b, lines, false, a), send(b, lines, true, a),
                            size + " octets after " + b.length() + " and before " + a.length());
                }
            }
        }
    }

    @Test
    void aBlockNotEndedByCrlfIsNormalisedAndStuffedAsAnyOther() throws IOException {
        for (String block : new String[] {".a\nb", ".\n.", "x\r", "\r\n.\r"}) {
            byte[] octets = block.getBytes(StandardCharsets.ISO_8859_1);
            assertArrayEquals(send("", octets, false, ""), send("", octets, true, ""), block);
        }
    }

    @Test
    void preparedLinesWaitForTheGateAndAreNeverSentAfterItRefused() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DotStuffingOutputStream data = new DotStuffingOutputStream(wire, new byte[DotStuffingOutputStream.BUFFER_SIZE],
                () -> {
                    throw new IOException("550 refused");
                });
        byte[] lines = base64Lines(200_000);
        IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> data.writePreparedLines(lines, 0, lines.length));
        assertEquals("550 refused", refused.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> data.writePreparedLines(lines, 0, lines.length));
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, data::finish);
        assertEquals(0, wire.size(), "not one octet of message data");
    }

    static void assertCrlfOnly(byte[] wire) {
        for (int i = 0; i < wire.length; i++) {
            if (wire[i] == '\r') {
                assertTrue(i + 1 < wire.length && wire[i + 1] == '\n', "bare CR at " + i);
            }
            if (wire[i] == '\n') {
                assertTrue(i > 0 && wire[i - 1] == '\r', "bare LF at " + i);
            }
        }
    }

    /** Index of the first line that is exactly "." (where a strict server sees the end of data). */
    static int indexOfTerminator(byte[] wire) {
        for (int i = 0; i + 2 < wire.length; i++) {
            boolean lineStart = i == 0 || wire[i - 1] == '\n';
            if (lineStart && wire[i] == '.' && wire[i + 1] == '\r' && wire[i + 2] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static String printable(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static final class CountingSink extends OutputStream {
        long bytes;
        int writes;
        private final byte[] last = new byte[8];

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes++;
            bytes += len;
            int keep = Math.min(len, last.length);
            System.arraycopy(last, keep, last, 0, last.length - keep);
            System.arraycopy(b, off + len - keep, last, last.length - keep, keep);
        }

        String tail() {
            return new String(last, 2, 6, StandardCharsets.ISO_8859_1);
        }
    }
}
