package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.CatalystMailConstants;
import jakarta.activation.DataHandler;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.Attachment;
import org.apache.camel.attachment.AttachmentMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(TestMessages.CompleteExchanges.class)
class MessageMapperTest {

    private final MessageMapper mapper = new MessageMapper(MimeLimits.defaults(), false, false);

    private static Map<String, Attachment> attachments(Message message) {
        return message instanceof AttachmentMessage a ? a.getAttachmentObjects() : Map.of();
    }

    private static byte[] content(Attachment attachment) throws IOException {
        try (InputStream in = attachment.getDataHandler().getInputStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void plainAsciiMessageGivesBodyHeadersAndMessageId() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes("plain-ascii.eml"));

        assertEquals("Hi Bob,\r\n\r\nare you free for lunch on Thursday? The usual place at noon.\r\n\r\nAlice\r\n",
                message.getBody());
        assertEquals("Lunch on Thursday?", message.getHeader("Subject"));
        assertEquals("Alice Example <alice@example.org>", message.getHeader("From"));
        assertEquals("<20251104081240.12345@mail.example.org>", message.getHeader(CatalystMailConstants.MESSAGE_ID));
        assertEquals("from mail.example.org (mail.example.org [192.0.2.10])\tby mx.example.com with ESMTPS id 4F2A1C0042"
                + "\tfor <bob@example.com>; Tue, 4 Nov 2025 09:12:44 +0100 (CET)", message.getHeader("Received"),
                "folded header unfolded");
        assertTrue(message.getHeaders().containsKey("Return-Path"));
        assertTrue(attachments(message).isEmpty());
        assertNull(message.getHeader(CatalystMailConstants.ALTERNATIVE_BODY));
    }

    @Test
    void eightBitUtf8BodyAndEncodedWordHeaders() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes("utf8-8bit.eml"));

        assertEquals("Grüße aus München! 🍺\r\nΕλληνικά, русский, 日本語.\r\n", message.getBody());
        assertEquals("Grüße aus München 🍺", message.getHeader("Subject"), "adjacent encoded-words joined");
        assertEquals("Jürgen Müller <juergen@example.de>", message.getHeader("From"));
    }

    @Test
    void quotedPrintableLatin1Body() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes("latin1-qp.eml"));

        assertEquals("Bonjour,\n\r\nvoici le résumé de la réunion de lundi. Le café était très bon, merci à tous.\r\n",
                message.getBody());
        assertEquals("Résumé de la réunion", message.getHeader("Subject"));
    }

    @Test
    void base64Utf8Body() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes("base64-utf8.eml"));

        assertEquals("Zürich – 北京 – Москва\n", message.getBody());
    }

    @Test
    void shiftJisBodyIn8BitAndBase64() throws Exception {
        String japanese = "お世話になっております。会議の資料を送ります。";
        byte[] sjis = japanese.getBytes(Charset.forName("Shift_JIS"));
        ByteArrayOutputStream eightBit = new ByteArrayOutputStream();
        eightBit.write(TestMessages.crlf("From: a@example.jp\nSubject: =?Shift_JIS?B?"
                + Base64.getEncoder().encodeToString("会議".getBytes(Charset.forName("Shift_JIS")))
                + "?=\nContent-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: 8bit\n\n"));
        eightBit.write(sjis);
        Message message = TestMessages.map(mapper, eightBit.toByteArray());
        assertEquals(japanese, message.getBody());
        assertEquals("会議", message.getHeader("Subject"));

        byte[] base64 = TestMessages.crlf("From: a@example.jp\nContent-Type: text/plain; charset=\"shift_jis\"\n"
                + "Content-Transfer-Encoding: base64\n\n" + Base64.getMimeEncoder().encodeToString(sjis) + "\n");
        assertEquals(japanese, TestMessages.map(mapper, base64).getBody());
    }

    @Test
    void undeclaredOrUnknownCharsetFallsBackWithoutFailing() throws Exception {
        byte[] utf8Undeclared = TestMessages.crlf("From: a@example.com\n\nnaïve café\n");
        assertEquals("naïve café\r\n", TestMessages.map(mapper, utf8Undeclared).getBody());

        byte[] latin1Unknown = "From: a@example.com\r\nContent-Type: text/plain; charset=x-no-such\r\n\r\ncaf\u00e9"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("café", TestMessages.map(mapper, latin1Unknown).getBody());
    }

    @Test
    void alternativePrefersPlainTextByDefault() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes("alternative.eml"));

        assertEquals("Plain digest: café", message.getBody());
        assertEquals("<html><body><p>HTML digest: café</p></body></html>",
                message.getHeader(CatalystMailConstants.ALTERNATIVE_BODY));
        assertTrue(attachments(message).isEmpty());
    }

    @Test
    void alternativePrefersHtmlWhenAsked() throws Exception {
        MessageMapper htmlMapper = new MessageMapper(MimeLimits.defaults(), true, false);
        Message message = TestMessages.map(htmlMapper, TestMessages.bytes("alternative.eml"));

        assertEquals("<html><body><p>HTML digest: café</p></body></html>", message.getBody());
        assertEquals("Plain digest: café", message.getHeader(CatalystMailConstants.ALTERNATIVE_BODY));
    }

    @Test
    void mixedAttachmentsAreNamedDecodedSanitisedAndUnique() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes("mixed-attachments.eml"));

        assertEquals("Here are the documents.", message.getBody());
        Map<String, Attachment> attachments = attachments(message);
        assertEquals(List.of("Bericht März €.pdf", "€ rates.txt", "Längere Tabelle mit Umlauten ü.csv", "part-5.pdf",
                "a.txt", "A (1).txt", "evil.exe", "part-9.png"), List.copyOf(attachments.keySet()));

        Attachment report = attachments.get("Bericht März €.pdf");
        assertTrue(new String(content(report), StandardCharsets.ISO_8859_1).startsWith("%PDF-1.4"));
        assertEquals("application/pdf; name=\"=?UTF-8?B?QmVyaWNodCBNw6RyeiDigqwucGRm?=\"", report.getHeader("Content-Type"));
        // the type as sent, its name= not decoded, as camel-mail's (Jakarta Mail's MimePartDataSource) gives it: the
        // decoded name is the handler's name and the attachment's key (attachments.adoc, "Names and content types")
        assertEquals(report.getHeader("Content-Type"), report.getDataHandler().getContentType());
        assertEquals("Bericht März €.pdf", report.getDataHandler().getName());
        assertTrue(report.getHeader("Content-Disposition").startsWith("attachment;"));
        assertArrayEquals(content(report), content(attachments.get("part-5.pdf")));
        assertEquals("first a\r\n".trim(), new String(content(attachments.get("a.txt")), StandardCharsets.US_ASCII));
        assertEquals("second a", new String(content(attachments.get("A (1).txt")), StandardCharsets.US_ASCII));
        assertEquals("<logo@example.org>", attachments.get("part-9.png").getHeader("Content-ID"));
        assertEquals("a,b\r\n1,2", new String(content(attachments.get("Längere Tabelle mit Umlauten ü.csv")),
                StandardCharsets.US_ASCII));
        DataHandler handler = attachments.get("€ rates.txt").getDataHandler();
        assertEquals("€ rates.txt", handler.getName());
        assertEquals("text/plain; charset=utf-8", handler.getContentType());
    }

    @Test
    void aLongJapaneseFileNameIsCutToWhatAFileSystemTakes() throws Exception {
        // as Python's email wrote it (RFC 2231 continuations) and Dovecot served it: 99 characters, 279 bytes in
        // UTF-8, more than the 255 bytes a Linux file name may have, so attachments.adoc's Files.copy failed with
        // "File name too long" and the message failed every poll
        Message message = TestMessages.map(mapper, TestMessages.bytes("long-japanese-filename.eml"));

        String name = List.copyOf(attachments(message).keySet()).get(0);
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 240, name);
        assertTrue(name.startsWith("【重要】2026年度第3四半期の売上報告書"), name);
        assertTrue(name.endsWith("ご確認くださいますようお願い申し上.pdf"), name);
    }

    @Test
    void shiftJisIsReadAsWindows31jAsMailReadersDo() throws Exception {
        // Japanese mail labelled Shift_JIS carries Windows' additions (NEC's circled digits and ㈱, IBM's 髙):
        // Java's Shift_JIS lacked them and lost the next character with each ("�@番 株式会社 �� �煖ｴ"); the WHATWG
        // Encoding Standard reads the label as windows-31j
        Message message = TestMessages.map(mapper, TestMessages.bytes("shift-jis-with-cp932-characters.eml"));

        assertEquals("①番 株式会社 ㈱ 髙橋", message.getBody());
        assertNull(message.getHeader(CatalystMailConstants.CHARSET_FALLBACK));
    }

    @Test
    void iso2022JpIsReadWithTheNecRowAsMailReadersDo() throws Exception {
        // Outlook and Japanese mailers write ① and ㈱ under ISO-2022-JP as JIS X 0208 row 13 (NEC), which Java's
        // ISO-2022-JP lacks; the WHATWG decoder's index has it, as Java's x-windows-50220 has
        Message message = TestMessages.map(mapper, TestMessages.bytes("iso-2022-jp-with-nec-characters.eml"));

        assertEquals("①㈱ 2026\r\n", message.getBody());
        assertEquals("①㈱", message.getHeader("Subject"));
    }

    @Test
    void xMacRomanIsReadAsMacRoman() throws Exception {
        // Apple's old mailers label it x-mac-roman (WHATWG: macintosh, mac, x-mac-roman); Java knows it as x-MacRoman
        Message message = TestMessages.map(mapper, TestMessages.bytes("x-mac-roman.eml"));

        assertEquals("Grüße ƒ π", message.getBody());
        assertNull(message.getHeader(CatalystMailConstants.CHARSET_FALLBACK));
    }

    @Test
    void nestedMultipartsFindBodyAlternativeAndAttachments() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes("nested.eml"));

        assertEquals("See the logo.", message.getBody());
        assertEquals("<p>See the logo: <img src=\"cid:logo@example.com\"></p>",
                message.getHeader(CatalystMailConstants.ALTERNATIVE_BODY));
        Map<String, Attachment> attachments = attachments(message);
        assertEquals(List.of("part-3.gif", "archive.zip"), List.copyOf(attachments.keySet()));
        assertEquals("<logo@example.com>", attachments.get("part-3.gif").getHeader("Content-ID"));
        assertArrayEquals(Base64.getDecoder().decode("R0lGODlhAQABAAAAACw="), content(attachments.get("part-3.gif")));
    }

    @Test
    void attachedMessagesKeepTheirBytesAndAreNamedBySubject() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes("forwarded.eml"));

        assertEquals("Forwarding these two.", message.getBody());
        Map<String, Attachment> attachments = attachments(message);
        assertEquals(List.of("Quarterly report _ Q3.eml", "message-3.eml"), List.copyOf(attachments.keySet()));
        String inner = new String(content(attachments.get("Quarterly report _ Q3.eml")), StandardCharsets.US_ASCII);
        assertTrue(inner.startsWith("From: Frank <frank@example.com>\r\n"), inner);
        assertTrue(inner.contains("--inner\r\nContent-Type: application/pdf; name=\"q3.pdf\"\r\n\r\n%PDF-1.4 pretend\r\n--inner--"));
        assertEquals("message/rfc822", attachments.get("message-3.eml").getDataHandler().getContentType());
    }

    /**
     * The first inline text/plain and text/html parts are decoded as they are read; later text parts stay
     * attachments with their bytes, also when an earlier multipart without a matching delimiter gave its preamble
     * as the first text/plain part.
     */
    @Test
    void onlyTheFirstInlineTextPartOfEachTypeIsTheBodyOrAlternative() throws Exception {
        String message = "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Grüße\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>first</p>\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nsecond plain\r\n"
                + "--b\r\nContent-Type: text/html\r\n\r\n<p>second</p>\r\n--b--\r\n";
        Message mapped = TestMessages.map(mapper, message.getBytes(StandardCharsets.UTF_8));

        assertEquals("Grüße", mapped.getBody());
        assertEquals("<p>first</p>", mapped.getHeader(CatalystMailConstants.ALTERNATIVE_BODY));
        Map<String, Attachment> attachments = attachments(mapped);
        assertEquals(2, attachments.size(), attachments.keySet().toString());
        List<Attachment> kept = List.copyOf(attachments.values());
        assertEquals("second plain", new String(content(kept.get(0)), StandardCharsets.US_ASCII));
        assertEquals("<p>second</p>", new String(content(kept.get(1)), StandardCharsets.US_ASCII));

        String preambleFirst = "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: multipart/alternative; boundary=never\r\n\r\nonly a preamble\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nlater plain\r\n--b--\r\n";
        Message fromPreamble = TestMessages.map(mapper, preambleFirst.getBytes(StandardCharsets.US_ASCII));

        assertEquals("only a preamble", fromPreamble.getBody());
        List<Attachment> later = List.copyOf(attachments(fromPreamble).values());
        assertEquals(1, later.size());
        assertEquals("later plain", new String(content(later.get(0)), StandardCharsets.US_ASCII));
    }

    @Test
    void singleNonTextPartBecomesAttachmentWithEmptyBody() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes("pdf-only.eml"));

        assertEquals("", message.getBody());
        assertEquals(List.of("part-1.pdf"), List.copyOf(attachments(message).keySet()));
    }

    @Test
    void messageWithoutTextPartHasEmptyBody() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes("attachments-only.eml"));

        assertEquals("", message.getBody());
        assertEquals(List.of("scan1.jpg", "scan2.jpg"), List.copyOf(attachments(message).keySet()));
    }

    @Test
    void repeatedHeadersBecomeListsInOrder() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes("received.eml"));

        assertEquals(List.of("from c.example.net by d.example.net; Tue, 4 Nov 2025 09:00:03 +0000",
                "from b.example.net by c.example.net; Tue, 4 Nov 2025 09:00:02 +0000",
                "from a.example.net by b.example.net; Tue, 4 Nov 2025 09:00:01 +0000"), message.getHeader("Received"));
        assertEquals("0.1", message.getHeader("X-Spam-Score"));
        assertEquals("hops", message.getHeader("subject"), "Camel headers are case-insensitive");
        assertTrue(message.getHeaders().keySet().stream().anyMatch("Received"::equals), "named as it came first");
    }

    @Test
    void encodedWordsDecodedMalformedOnesKeptNoLineBreaksSmuggled() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes("encoded-words.eml"));

        assertEquals("François <francois@example.fr>, 山田 <yamada@example.jp>", message.getHeader("From"));
        assertEquals("日本語 and =?bogus?X?abc?= and =?x-no-such-charset?Q?abc?= café", message.getHeader("Subject"));
        assertEquals("☃", message.getHeader("X-Split"), "a character split across two words");
        assertEquals("line1  Bcc: evil@example.com", message.getHeader("X-Injected"));
    }

    @Test
    void inboundCamelHeadersAreDropped() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes("camel-headers.eml"));

        for (String name : message.getHeaders().keySet()) {
            assertFalse(name.toLowerCase().startsWith("camel") && !name.equals(CatalystMailConstants.MESSAGE_ID), name);
        }
        assertNull(message.getHeader(CatalystMailConstants.DELETE));
        assertNull(message.getHeader(CatalystMailConstants.MOVE_TO));
        assertNull(message.getHeader("CamelFoo"));
        assertNull(message.getHeader(Exchange.FILE_NAME));
        assertEquals("kept", message.getHeader("X-Camel-Ok"));
        assertEquals("<camel@example.net>", message.getHeader(CatalystMailConstants.MESSAGE_ID));
    }

    @Test
    void longHeaderLinesAndManyHeadersAreAccepted() throws Exception {
        String line5000 = "x".repeat(5_000);
        String line1m = "y".repeat(1_000_000);
        Message message = TestMessages.map(mapper, TestMessages.crlf("From: a@example.com\nX-Long: " + line5000
                + "\nX-Huge: " + line1m + "\nSubject: after\n\nbody\n"));
        assertEquals(line5000, message.getHeader("X-Long"));
        assertEquals(line1m, message.getHeader("X-Huge"));
        assertEquals("after", message.getHeader("Subject"));

        StringBuilder many = new StringBuilder("From: a@example.com\n");
        for (int i = 0; i < 2_000; i++) {
            many.append("X-Header-").append(i).append(": value ").append(i).append('\n');
        }
        message = TestMessages.map(mapper, TestMessages.crlf(many + "Subject: last\n\nbody\n"));
        assertEquals("value 1999", message.getHeader("X-Header-1999"));
        assertEquals("last", message.getHeader("Subject"));
    }

    @Test
    void bodyLinesAreNotBoundByTheHeaderLineLimit() throws Exception {
        String line = "<p>" + "z".repeat(3 * 1024 * 1024) + "</p>";
        Message single = TestMessages.map(mapper, TestMessages.crlf("Content-Type: text/html\n\n" + line));
        assertEquals(line, single.getBody());

        Message multipart = TestMessages.map(mapper, TestMessages.crlf("Content-Type: multipart/alternative; boundary=b\n\n"
                + "--b\nContent-Type: text/html\n\n" + line + "\n--b--\n"));
        assertEquals(line, multipart.getBody());
    }

    @Test
    void headerLimitsAreEnforcedWithAClearMessage() {
        MessageMapper strict = new MessageMapper(new MimeLimits(1_000, 50, 10, 1024), false, false);
        MessageParseException tooLong = assertThrows(MessageParseException.class,
                () -> TestMessages.map(strict, TestMessages.crlf("X-Long: " + "x".repeat(2_000) + "\n\nbody\n")));
        assertTrue(tooLong.isInputMalformed());
        assertEquals("Malformed message: a header line is longer than 1000 bytes (maxHeaderLineLength)", tooLong.getMessage());

        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            many.append("X-H").append(i).append(": v\n");
        }
        MessageParseException tooMany = assertThrows(MessageParseException.class,
                () -> TestMessages.map(strict, TestMessages.crlf(many + "\nbody\n")));
        assertEquals("Malformed message: more than 50 header fields in one part (maxHeaderCount)", tooMany.getMessage());
    }

    @Test
    void anAttachmentKeepsItsDeclaredTypeOnlyWhenTheParserReadItAsThatType() throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.crlf("""
                Subject: types
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: Application / PDF; name="sloppy.pdf"
                Content-Transfer-Encoding: base64

                JVBERi0=
                --b
                Content-Type: application/pdf; name="overruled.pdf"
                Content-Transfer-Encoding: x-gzip64

                H4sIAAAA
                --b
                Content-Type: no-media-type; name="first.pdf"
                Content-Type: application/pdf; name="second.pdf"
                Content-Transfer-Encoding: base64

                JVBERi0=
                --b
                Content-Type: application/octet-stream; name="raw.bin"
                Content-Transfer-Encoding: x-gzip64

                H4sIAAAA
                --b
                Content-Type: application/pdf; name="commented.pdf"
                Content-Transfer-Encoding: (sent \\) as) base64

                JVBERi0=
                --b--
                """));

        Map<String, Attachment> attachments = attachments(message);
        assertEquals("Application / PDF; name=\"sloppy.pdf\"", attachments.get("sloppy.pdf").getHeader("Content-Type"),
                "white space around the slash and case: the type the parser read, parameters kept");
        assertEquals("%PDF-", new String(content(attachments.get("sloppy.pdf")), StandardCharsets.US_ASCII));
        assertEquals("application/octet-stream", attachments.get("overruled.pdf").getHeader("Content-Type"),
                "an unknown transfer encoding (RFC 2045 section 6.4): not the sender's type");
        assertEquals("H4sIAAAA", new String(content(attachments.get("overruled.pdf")), StandardCharsets.US_ASCII));
        assertTypes(attachments, Map.of("first.pdf", "application/pdf", // the kept first field names no type
                "raw.bin", "application/octet-stream; name=\"raw.bin\"", // unknown encoding, the declared type anyway
                // RFC 5322 3.2.2: a quoted-pair in the comment before the mechanism closes nothing: base64 is known
                "commented.pdf", "application/pdf; name=\"commented.pdf\""));
        assertEquals("%PDF-", new String(content(attachments.get("commented.pdf")), StandardCharsets.US_ASCII));
    }

    private static void assertTypes(Map<String, Attachment> attachments, Map<String, String> expected) {
        expected.forEach((name, type) -> assertEquals(type, attachments.get(name).getHeader("Content-Type"), name));
    }

    @Test
    void nestingBeyondTheLimitBecomesAnOpaqueAttachment() throws Exception {
        MessageMapper shallow = new MessageMapper(new MimeLimits(1_000_000, 1_000, 1, 1024), false, false);
        Message message = TestMessages.map(shallow, TestMessages.bytes("nested.eml"));

        assertEquals("", message.getBody(), "the text sits deeper than one multipart level");
        Map<String, Attachment> attachments = attachments(message);
        assertEquals(List.of("part-1.bin", "archive.zip"), List.copyOf(attachments.keySet()));
        String opaque = new String(content(attachments.get("part-1.bin")), StandardCharsets.US_ASCII);
        assertTrue(opaque.startsWith("--related\r\nContent-Type: multipart/alternative"), opaque);
        assertTrue(attachments.get("part-1.bin").getHeader("Content-Type").startsWith("multipart/related"));
    }

    @Test
    void readFailureIsNotBlamedOnTheMessage() {
        InputStream failing = new InputStream() {
            private int count;

            @Override
            public int read() throws IOException {
                if (count++ > 20) {
                    throw new IOException("connection reset");
                }
                return 'a';
            }
        };
        Exchange exchange = TestMessages.exchange();
        MessageParseException e = assertThrows(MessageParseException.class, () -> mapper.map(failing, exchange.getIn()));
        assertFalse(e.isInputMalformed());
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertNull(exchange.getIn().getBody(), "target untouched on failure");
    }

    @Test
    void contentIsReadToItsEnd() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(TestMessages.bytes("alternative.eml"));
        mapper.map(in, TestMessages.exchange().getIn());
        assertEquals(0, in.available());
    }

    @Test
    void rawModeKeepsOriginalBytesAndParsesHeaders() throws Exception {
        MessageMapper rawMapper = new MessageMapper(MimeLimits.defaults(), false, true);
        byte[] original = TestMessages.bytes("mixed-attachments.eml");
        Message message = TestMessages.map(rawMapper, original);

        assertArrayEquals(original, message.getBody(byte[].class));
        assertInstanceOf(byte[].class, message.getBody());
        assertEquals("Documents", message.getHeader("Subject"));
        assertEquals("<mixed@example.org>", message.getHeader(CatalystMailConstants.MESSAGE_ID));
        assertTrue(attachments(message).isEmpty());
    }
}
