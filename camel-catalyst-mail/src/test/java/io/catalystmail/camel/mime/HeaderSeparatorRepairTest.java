package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class HeaderSeparatorRepairTest {

    private static String repaired(String message, int chunk) throws IOException {
        byte[] bytes = TestMessages.crlf(message);
        InputStream source = new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk)); // the source hands over a few bytes at a time
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new HeaderSeparatorRepair(source)) {
            byte[] buffer = new byte[chunk == 1 ? 1 : 7];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        }
        return out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    @Test
    void theEmptyLineIsPutBackBeforeTheFirstLineThatIsNoField() throws IOException {
        String message = "From: a@example.com\nSubject: x\nHello world\nDate: later\n\nsecond\n";
        for (int chunk : new int[] { 1, 3, 8192 }) {
            assertEquals("From: a@example.com\nSubject: x\n\nHello world\nDate: later\n\nsecond\n", repaired(message, chunk));
        }
    }

    @Test
    void wellFormedMessagesAndFoldedFieldsPassUnchanged() throws IOException {
        String message = "From: a@example.com\nSubject: folded\n over two lines\nObsolete : spaced\n"
                + "Content-Type: multipart/mixed;\n boundary=\"b\"\n\npreamble\n--b\nContent-Type: text/plain\n\n"
                + "no field: here\n--b\n\nno header\n--b--\nepilogue without fields\n";
        for (int chunk : new int[] { 1, 5, 8192 }) {
            assertEquals(message, repaired(message, chunk));
        }
    }

    @Test
    void partHeadersAfterADelimiterAreRepairedAndContentIsNot() throws IOException {
        String message = "Content-Type: multipart/mixed; boundary*0*=us-ascii''%3Db;\n boundary*1=1\n"
                + "--=b1\nContent-Type: text/plain\ntext starts here\n--=b1\nContent-Type: application/octet-stream\n\n"
                + "binary: ÿ\nline\n--=b1--\n";
        assertEquals("Content-Type: multipart/mixed; boundary*0*=us-ascii''%3Db;\n boundary*1=1\n\n"
                + "--=b1\nContent-Type: text/plain\n\ntext starts here\n--=b1\nContent-Type: application/octet-stream\n\n"
                + "binary: ÿ\nline\n--=b1--\n", repaired(message, 2));
    }

    @Test
    void anMboxFromLineAndAMessageWithoutHeader() throws IOException {
        assertEquals("From alice@example.com Tue Nov  4 09:00:00 2025\nSubject: s\n\nbody\n",
                repaired("From alice@example.com Tue Nov  4 09:00:00 2025\nSubject: s\n\nbody\n", 4));
        assertEquals("\nJust text, no header.\n", repaired("Just text, no header.\n", 4));
        assertEquals("Subject: unterminated", repaired("Subject: unterminated", 1));
    }

    @Test
    void everyReadSizeGivesTheSameBytes() throws IOException {
        String message = new String(TestMessages.bytes("nested.eml"), StandardCharsets.UTF_8)
                + "\n-- \nsignature\n--not-a-delimiter\n";
        String whole = repaired(message, 8192);
        for (int chunk = 1; chunk <= 17; chunk++) {
            assertEquals(whole, repaired(message, chunk), "read size " + chunk);
        }
    }

    @Test
    void newlinesAreFoundAtEveryPositionOfAWord() {
        for (int at = 0; at < 20; at++) {
            byte[] bytes = new byte[20];
            java.util.Arrays.fill(bytes, (byte) 0x8a); // '\n' with the high bit set: not a newline
            bytes[at] = '\n';
            assertEquals(at, HeaderSeparatorRepair.indexOf(bytes, 0, 20, '\n'));
            assertEquals(at >= 3 ? at : -1, HeaderSeparatorRepair.indexOf(bytes, 3, 20, '\n'));
            assertEquals(-1, HeaderSeparatorRepair.indexOf(bytes, at + 1, 20, '\n'));
        }
    }

    @Test
    void binaryContentIsByteExact() throws IOException {
        byte[] content = new byte[70_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + (i >> 7));
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.write(TestMessages.crlf("Content-Type: application/octet-stream\n\n"));
        message.write(content);
        byte[] read = new HeaderSeparatorRepair(new ByteArrayInputStream(message.toByteArray())).readAllBytes();
        assertArrayEquals(message.toByteArray(), read);
    }
}
