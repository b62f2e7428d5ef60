package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the parser decides at multipart delimiters (RFC 2046 section 5.1.1), on real bytes: which line is a
 * delimiter, which line break belongs to it, where nested and unterminated multiparts end, and that nothing changes
 * when a delimiter straddles the parser's buffer.
 */
class PartReaderDelimiterTest {

    private final MessageBodies bodies = new TempBodyStore(1 << 20).newMessage(-1);

    @AfterEach
    void release() {
        bodies.release();
    }

    private List<PartReader.Part> parts(String message) throws Exception {
        return parts(message.getBytes(StandardCharsets.ISO_8859_1), MimeLimits.defaults());
    }

    private List<PartReader.Part> parts(byte[] message, MimeLimits limits) throws Exception {
        return new PartReader(limits).read(new ByteArrayInputStream(message), bodies).parts();
    }

    private static String text(PartReader.Part part) throws IOException {
        return new String(part.body().toBytes(), StandardCharsets.ISO_8859_1);
    }

    private static final String HEADER = "Subject: t\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n";

    @Test
    void theLineBreakBeforeADelimiterBelongsToIt() throws Exception {
        List<PartReader.Part> parts = parts(HEADER + "--b\r\n\r\nline one\r\n\r\n--b\r\n\r\nsecond\r\n--b--\r\n");

        assertEquals(2, parts.size());
        assertEquals("line one\r\n", text(parts.get(0)), "only the CRLF right before the delimiter is taken");
        assertEquals("second", text(parts.get(1)));
    }

    @Test
    void bareLineFeedsDelimitLeniently() throws Exception {
        List<PartReader.Part> parts = parts("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n\n--b\n\nsecond\r\n--b--\n");

        assertEquals("first\n", text(parts.get(0)));
        assertEquals("second", text(parts.get(1)));
    }

    @Test
    void transportPaddingIsSkippedAndALongerBoundaryIsContent() throws Exception {
        List<PartReader.Part> parts = parts(HEADER + "--b \t \r\n\r\nkeeps\r\n--bc\r\n-b\r\n--b-\r\n--b\r\n\r\nnext\r\n--b--  \r\n");

        assertEquals(2, parts.size());
        assertEquals("keeps\r\n--bc\r\n-b\r\n--b-", text(parts.get(0)), "--bc, -b and --b- are no delimiters of b");
        assertEquals("next", text(parts.get(1)));
    }

    @Test
    void preambleAndEpilogueAreNotParts() throws Exception {
        List<PartReader.Part> parts = parts(HEADER + "preamble text\r\n--b\r\n\r\nonly\r\n--b--\r\nepilogue\r\n--b\r\n\r\nnot a part\r\n");

        assertEquals(1, parts.size());
        assertEquals("only", text(parts.get(0)));
    }

    @Test
    void aNestedMultipartWithoutItsCloseDelimiterEndsAtItsParents() throws Exception {
        List<PartReader.Part> parts = parts(HEADER + "--b\r\nContent-Type: multipart/alternative; boundary=in\r\n\r\n"
                + "--in\r\nContent-Type: text/plain\r\n\r\ninner\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>outer</p>\r\n--b--\r\n");

        assertEquals(2, parts.size());
        assertEquals("inner", text(parts.get(0)));
        assertEquals("text/html", parts.get(1).mimeType());
        assertEquals("<p>outer</p>", text(parts.get(1)));
    }

    @Test
    void anOuterBoundaryIsTriedFirst() throws Exception {
        // the inner multipart reuses its parent's boundary: the delimiters are the parent's, the inner one is empty
        List<PartReader.Part> parts = parts(HEADER + "--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\n\r\nfirst\r\n--b\r\n\r\nsecond\r\n--b--\r\n");

        assertEquals(List.of("first", "second"), List.of(text(parts.get(0)), text(parts.get(1))));
    }

    @Test
    void aDelimiterAcrossTheBufferEdgeIsFound() throws Exception {
        for (int size = 16 * 1024 - 200; size < 16 * 1024 + 40; size++) {
            String filler = "x".repeat(size % 70) + ("\r\n" + "y".repeat(68)).repeat(size / 70);
            List<PartReader.Part> parts = parts(HEADER + "--b\r\n\r\n" + filler + "\r\n--b\r\n\r\nafter\r\n--b--\r\n");

            assertEquals(filler, text(parts.get(0)), "size " + size);
            assertEquals("after", text(parts.get(1)), "size " + size);
        }
    }

    @Test
    void aPartHeaderEndsAtTheNextDelimiter() throws Exception {
        List<PartReader.Part> parts = parts(HEADER + "--b\r\nContent-Type: text/html\r\n--b\r\n\r\nbody\r\n--b--\r\n");

        assertEquals(2, parts.size());
        assertEquals("text/html", parts.get(0).mimeType());
        assertEquals("", text(parts.get(0)));
        assertEquals("body", text(parts.get(1)));
    }

    @Test
    void foldedFieldsAreOneFieldAndAFoldedFieldHasTheFieldLimit() throws Exception {
        List<PartReader.Part> parts = parts("Content-Type: multipart/mixed;\r\n\tboundary=\"b\"\r\n\r\n--b\r\n"
                + "Content-Disposition: attachment;\r\n filename=\"a.txt\"\r\n\r\nx\r\n--b--\r\n");
        assertEquals("attachment; filename=\"a.txt\"", parts.get(0).contentDisposition());

        byte[] longFolded = ("X-Folded: " + "a".repeat(600) + "\r\n " + "b".repeat(600) + "\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII);
        MessageParseException tooLong = assertThrows(MessageParseException.class,
                () -> parts(longFolded, new MimeLimits(1_000, 100, 10, 1024)));
        assertEquals("Malformed message: a header field is longer than 1000 bytes (maxHeaderLineLength)", tooLong.getMessage());
    }
}
