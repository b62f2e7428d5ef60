package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A header section missing its empty line ends before the first line that cannot be a field (RFC 5322 section 2.1,
 * RFC 2046 section 5.1.1), in the message's header and in each part's; the content stays byte-exact. Read through
 * the parser, from a source that hands over a few bytes at a time.
 */
class HeaderSeparatorRepairTest {

    private final MessageBodies bodies = new TempBodyStore(1 << 20).newMessage(-1);

    @AfterEach
    void release() {
        bodies.release();
    }

    /** Header names, then each part as "type: content", line breaks as LF. */
    private List<String> read(String message, int chunk) throws Exception {
        return read(TestMessages.crlf(message), chunk);
    }

    private List<String> read(byte[] bytes, int chunk) throws Exception {
        InputStream source = new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk)); // the source hands over a few bytes at a time
            }
        };
        PartReader.ParsedMessage message = new PartReader(MimeLimits.defaults()).read(source, bodies);
        List<String> read = new ArrayList<>();
        StringBuilder names = new StringBuilder();
        for (PartReader.HeaderField field : message.headers()) {
            names.append(field.name()).append(';');
        }
        read.add(names.toString());
        for (PartReader.Part part : message.parts()) {
            read.add(part.mimeType() + ": " + new String(part.body().toBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n"));
        }
        return read;
    }

    @Test
    void theHeaderEndsBeforeTheFirstLineThatIsNoField() throws Exception {
        String message = "From: a@example.com\nSubject: x\nHello world\nDate: later\n\nsecond\n";
        for (int chunk : new int[] { 1, 3, 8192 }) {
            assertEquals(List.of("From;Subject;", "text/plain: Hello world\nDate: later\n\nsecond\n"), read(message, chunk));
        }
    }

    @Test
    void wellFormedMessagesAndFoldedFieldsAreReadAsSent() throws Exception {
        String message = "From: a@example.com\nSubject: folded\n over two lines\nObsolete : spaced\n"
                + "Content-Type: multipart/mixed;\n boundary=\"b\"\n\npreamble\n--b\nContent-Type: text/plain\n\n"
                + "no field: here\n--b\n\nno header\n--b--\nepilogue without fields\n";
        for (int chunk : new int[] { 1, 5, 8192 }) {
            assertEquals(List.of("From;Subject;Obsolete;Content-Type;", "text/plain: no field: here",
                    "text/plain: no header"), read(message, chunk));
        }
    }

    @Test
    void partHeadersEndBeforeTheirFirstLineThatIsNoFieldAndContentIsKept() throws Exception {
        // the message's header runs straight into the first delimiter of the multipart it declares
        String message = "Content-Type: multipart/mixed; boundary*0*=us-ascii''%3Db;\n boundary*1=1\n"
                + "--=b1\nContent-Type: text/plain\ntext starts here\n--=b1\nContent-Type: application/octet-stream\n\n"
                + "binary: \u00ff\nline\n--=b1--\n";
        for (int chunk : new int[] { 1, 2, 8192 }) {
            assertEquals(List.of("Content-Type;", "text/plain: text starts here",
                    "application/octet-stream: binary: \u00ff\nline"), read(message, chunk));
        }
    }

    @Test
    void aNameLongerThanALineOrWithASpaceInsideStartsTheBody() throws Exception {
        String longName = "x".repeat(999);
        assertEquals(List.of("Subject;", "text/plain: " + longName + ": no field\n"),
                read("Subject: s\n" + longName + ": no field\n", 64));
        assertEquals(List.of("Subject;Obsolete;", "text/plain: two words: no field\n"),
                read("Subject: s\nObsolete  : spaced\ntwo words: no field\n", 7));
    }

    @Test
    void anMboxFromLineAndAMessageWithoutHeader() throws Exception {
        assertEquals(List.of("Subject;", "text/plain: body\n"),
                read("From alice@example.com Tue Nov  4 09:00:00 2025\nSubject: s\n\nbody\n", 4));
        assertEquals(List.of("", "text/plain: Just text, no header.\n"), read("Just text, no header.\n", 4));
        assertEquals(List.of("Subject;", "text/plain: "), read("Subject: unterminated", 1));
    }

    @Test
    void everyReadSizeGivesTheSameParts() throws Exception {
        byte[] message = (new String(TestMessages.bytes("nested.eml"), StandardCharsets.UTF_8)
                + "\n-- \nsignature\n--not-a-delimiter\n").getBytes(StandardCharsets.UTF_8);
        List<String> whole = read(message, 8192);
        for (int chunk = 1; chunk <= 17; chunk++) {
            assertEquals(whole, read(message, chunk), "read size " + chunk);
        }
    }

    @Test
    void binaryContentIsByteExact() throws Exception {
        byte[] content = new byte[70_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + (i >> 7));
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.write(TestMessages.crlf("Content-Type: application/octet-stream\n\n"));
        message.write(content);
        PartReader.ParsedMessage parsed = new PartReader(MimeLimits.defaults())
                .read(new ByteArrayInputStream(message.toByteArray()), bodies);
        assertArrayEquals(content, parsed.parts().get(0).body().toBytes());
    }
}
