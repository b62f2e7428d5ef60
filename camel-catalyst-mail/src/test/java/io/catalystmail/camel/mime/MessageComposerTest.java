package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;

import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.smtp.Recipient;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.DefaultAttachment;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.dom.field.ContentDispositionField;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageComposerTest {

    private CamelContext context;
    private CatalystMailConfiguration config;

    @BeforeEach
    void setUp() {
        context = new DefaultCamelContext();
        context.start();
        config = new CatalystMailConfiguration();
        config.setFrom("Sender <sender@example.com>");
        config.setTo("rcpt@example.com");
    }

    @AfterEach
    void tearDown() {
        context.stop();
    }

    private Exchange exchange(Object body) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setBody(body);
        return exchange;
    }

    private OutgoingMail compose(Exchange exchange) throws Exception {
        return new MessageComposer(config, "test.example").compose(exchange.getMessage());
    }

    private static byte[] bytes(OutgoingMail mail) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.content().writeTo(out);
        return out.toByteArray();
    }

    private static Message parse(byte[] bytes) throws IOException {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        return builder.parseMessage(new ByteArrayInputStream(bytes));
    }

    private static String text(Entity entity) throws IOException {
        TextBody body = (TextBody) entity.getBody();
        try (InputStream in = body.getInputStream()) {
            return new String(in.readAllBytes(), body.getCharset() == null ? StandardCharsets.US_ASCII : body.getCharset());
        }
    }

    private static byte[] binary(Entity entity) throws IOException {
        try (InputStream in = ((SingleBody) entity.getBody()).getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static List<String> recipients(OutgoingMail mail) {
        return mail.envelope().recipients().stream().map(Recipient::address).toList();
    }

    @Test
    void plainAsciiTextIsSevenBitWithDateAndMessageId() throws Exception {
        config.setSubject("Hello");
        OutgoingMail mail = compose(exchange("line one\nline two\n"));
        byte[] raw = bytes(mail);
        Message parsed = parse(raw);

        assertEquals("Hello", parsed.getSubject());
        assertEquals("sender@example.com", parsed.getFrom().get(0).getAddress());
        assertEquals("Sender", parsed.getFrom().get(0).getName());
        assertNotNull(parsed.getDate());
        assertEquals(mail.messageId(), "<" + parsed.getMessageId().replaceAll("^<|>$", "") + ">");
        assertTrue(mail.messageId().endsWith("@test.example>"), mail.messageId());
        assertEquals("text/plain", parsed.getMimeType());
        assertEquals("UTF-8", parsed.getCharset());
        assertEquals("7bit", parsed.getContentTransferEncoding());
        assertEquals("line one\nline two\n", text(parsed).replace("\r\n", "\n"));
        assertEquals("sender@example.com", mail.envelope().from());
        assertEquals(List.of("rcpt@example.com"), recipients(mail));
        assertFalse(mail.content().needs8BitMime());
        assertFalse(mail.content().needsSmtpUtf8());
        assertEquals(raw.length, mail.content().size());
    }

    @Test
    void nonAsciiTextIsQuotedPrintableAndLongLinesAreWrapped() throws Exception {
        String body = "Grüße aus Köln. " + "x".repeat(3000) + "\nzweite Zeile\n";
        byte[] raw = bytes(compose(exchange(body)));
        Message parsed = parse(raw);

        assertEquals("quoted-printable", parsed.getContentTransferEncoding());
        assertEquals(body, text(parsed).replace("\r\n", "\n"));
        assertNoLineLongerThan998(raw);
    }

    @Test
    void mostlyNonAsciiTextIsBase64() throws Exception {
        String body = "日本語のテキストです。".repeat(20);
        Message parsed = parse(bytes(compose(exchange(body))));
        assertEquals("base64", parsed.getContentTransferEncoding());
        assertEquals(body, text(parsed));
    }

    @Test
    void streamBodyIsQuotedPrintableText() throws Exception {
        Exchange exchange = exchange(new ByteArrayInputStream("streamed é\n".getBytes(StandardCharsets.UTF_8)));
        OutgoingMail mail = compose(exchange);
        assertEquals(-1, mail.content().size());
        Message parsed = parse(bytes(mail));
        assertEquals("quoted-printable", parsed.getContentTransferEncoding());
        assertEquals("streamed é\n", text(parsed).replace("\r\n", "\n"));
    }

    @Test
    void binaryContentTypeIsBase64() throws Exception {
        config.setContentType("application/octet-stream");
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        Message parsed = parse(bytes(compose(exchange(data))));
        assertEquals("base64", parsed.getContentTransferEncoding());
        assertArrayEquals(data, binary(parsed));
    }

    @Test
    void alternativeBodyMakesMultipartAlternativePlainFirst() throws Exception {
        Exchange exchange = exchange("plain text");
        exchange.getIn().setHeader(CatalystMailConstants.ALTERNATIVE_BODY, "<p>html</p>");
        Message parsed = parse(bytes(compose(exchange)));
        assertEquals("multipart/alternative", parsed.getMimeType());
        Multipart alternative = (Multipart) parsed.getBody();
        assertEquals(2, alternative.getCount());
        assertEquals("text/plain", alternative.getBodyParts().get(0).getMimeType());
        assertEquals("plain text", text(alternative.getBodyParts().get(0)));
        assertEquals("text/html", alternative.getBodyParts().get(1).getMimeType());
        assertEquals("<p>html</p>", text(alternative.getBodyParts().get(1)));
    }

    @Test
    void htmlBodyWithAlternativeKeepsHtmlLast() throws Exception {
        config.setContentType("text/html; charset=UTF-8");
        Exchange exchange = exchange("<b>html</b>");
        exchange.getIn().setHeader(CatalystMailConstants.ALTERNATIVE_BODY, "plain");
        Multipart alternative = (Multipart) parse(bytes(compose(exchange))).getBody();
        assertEquals("text/plain", alternative.getBodyParts().get(0).getMimeType());
        assertEquals("plain", text(alternative.getBodyParts().get(0)));
        assertEquals("text/html", alternative.getBodyParts().get(1).getMimeType());
        assertEquals("<b>html</b>", text(alternative.getBodyParts().get(1)));
    }

    @Test
    void attachmentsWithNonAsciiNamesUseRfc2231() throws Exception {
        Exchange exchange = exchange("see attached");
        AttachmentMessage am = exchange.getIn(AttachmentMessage.class);
        byte[] pdf = "%PDF-1.4 binary \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        String longName = "Übersicht der Quartalszahlen für das Geschäftsjahr zweitausendsechsundzwanzig.pdf";
        am.addAttachment("résumé.pdf", new DataHandler(new BytesSource(pdf, "application/pdf")));
        am.addAttachment(longName, new DataHandler(new BytesSource(pdf, "application/pdf")));
        am.addAttachment("plain.txt", new DataHandler(new BytesSource("text".getBytes(), "text/plain")));

        byte[] raw = bytes(compose(exchange));
        String wire = new String(raw, StandardCharsets.US_ASCII);
        assertTrue(wire.contains("filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"), wire);
        assertTrue(wire.contains("filename*0*=UTF-8''"), wire);
        assertTrue(wire.contains("name=\"=?UTF-8?"), wire);
        assertNoLineLongerThan998(raw);

        Message parsed = parse(raw);
        assertEquals("multipart/mixed", parsed.getMimeType());
        List<Entity> parts = ((Multipart) parsed.getBody()).getBodyParts();
        assertEquals(4, parts.size());
        assertEquals("see attached", text(parts.get(0)));
        assertEquals("résumé.pdf", ((ContentDispositionField) parts.get(1).getHeader().getField("Content-Disposition")).getFilename());
        assertEquals(longName, ((ContentDispositionField) parts.get(2).getHeader().getField("Content-Disposition")).getFilename());
        assertEquals("attachment", parts.get(1).getDispositionType());
        assertEquals("base64", parts.get(1).getContentTransferEncoding());
        assertArrayEquals(pdf, binary(parts.get(1)));
        assertEquals("plain.txt", parts.get(3).getFilename());
        assertArrayEquals("text".getBytes(), binary(parts.get(3)));
    }

    @Test
    void contentIdAttachmentsBecomeInlinePartsOfMultipartRelated() throws Exception {
        config.setContentType("text/html; charset=UTF-8");
        Exchange exchange = exchange("<img src=\"cid:logo@example\">");
        exchange.getIn().setHeader(CatalystMailConstants.ALTERNATIVE_BODY, "logo");
        AttachmentMessage am = exchange.getIn(AttachmentMessage.class);
        DefaultAttachment logo = new DefaultAttachment(new DataHandler(new BytesSource(new byte[] { 1, 2, 3 }, "image/png")));
        logo.setHeader("Content-ID", "<logo@example>");
        am.addAttachmentObject("logo.png", logo);
        am.addAttachment("report.csv", new DataHandler(new BytesSource("a,b".getBytes(), "text/csv")));

        Message parsed = parse(bytes(compose(exchange)));
        assertEquals("multipart/mixed", parsed.getMimeType());
        List<Entity> mixed = ((Multipart) parsed.getBody()).getBodyParts();
        assertEquals("multipart/alternative", mixed.get(0).getMimeType());
        assertEquals("report.csv", mixed.get(1).getFilename());
        List<Entity> alternative = ((Multipart) mixed.get(0).getBody()).getBodyParts();
        assertEquals("text/plain", alternative.get(0).getMimeType());
        assertEquals("multipart/related", alternative.get(1).getMimeType());
        assertEquals("text/html", ((ContentTypeField) alternative.get(1).getHeader().getField("Content-Type")).getParameter("type"));
        List<Entity> related = ((Multipart) alternative.get(1).getBody()).getBodyParts();
        assertEquals("text/html", related.get(0).getMimeType());
        assertEquals("image/png", related.get(1).getMimeType());
        assertEquals("inline", related.get(1).getDispositionType());
        assertEquals("<logo@example>", related.get(1).getHeader().getField("Content-ID").getBody());
        assertArrayEquals(new byte[] { 1, 2, 3 }, binary(related.get(1)));
    }

    @Test
    void nonAsciiSubjectAndDisplayNamesAreEncodedWords() throws Exception {
        config.setFrom("Jürgen Müller <j@example.com>");
        config.setTo("Zoë <zoe@example.com>, plain@example.com");
        config.setSubject("Grüße – ✓ done");
        byte[] raw = bytes(compose(exchange("x")));
        String wire = new String(raw, StandardCharsets.ISO_8859_1);
        String header = wire.substring(0, wire.indexOf("\r\n\r\n"));
        assertTrue(header.chars().allMatch(c -> c < 0x80), "header is pure ASCII");
        assertTrue(header.contains("=?"), header);
        Message parsed = parse(raw);
        assertEquals("Grüße – ✓ done", parsed.getSubject());
        assertEquals("Jürgen Müller", parsed.getFrom().get(0).getName());
        assertEquals("Zoë", parsed.getTo().flatten().get(0).getName());
        assertEquals("plain@example.com", parsed.getTo().flatten().get(1).getAddress());
    }

    @Test
    void displayNameWordsOfOneNonAsciiCharacterAreAcceptedAndEncoded() throws Exception {
        // Mime4j's address parser refused a one-character non-ASCII word ("Encountered \u00dc"); camel-mail
        // accepts these, and RFC 6532 section 3.2 allows UTF-8 in atoms
        config.setTo("李 明 <bob@example.test>, Antwortstelle Ü <x@example.test>, é <y@example.test>");
        byte[] raw = bytes(compose(exchange("x")));
        String wire = new String(raw, StandardCharsets.ISO_8859_1);
        String header = wire.substring(0, wire.indexOf("\r\n\r\n"));
        assertTrue(header.chars().allMatch(c -> c < 0x80), "names go out as encoded words: " + header);
        List<org.apache.james.mime4j.dom.address.Mailbox> to = parse(raw).getTo().flatten();
        assertEquals("李 明", to.get(0).getName());
        assertEquals("bob@example.test", to.get(0).getAddress());
        assertEquals("Antwortstelle Ü", to.get(1).getName());
        assertEquals("é", to.get(2).getName());
        assertEquals("y@example.test", to.get(2).getAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = { "é <x y@example.test>", "é <x@example.test", "é x@example.test>", "\"é <x@example.test>",
                             "é x y@example.test" })
    void oneCharacterNonAsciiWordsDoNotLoosenTheRefusals(String to) {
        config.setTo(to);
        MailCompositionException e = assertThrows(MailCompositionException.class, () -> compose(exchange("x")));
        assertTrue(e.getMessage().contains("To recipients"), e.getMessage());
    }

    @Test
    void veryLongSubjectWordIsSplitIntoEncodedWords() throws Exception {
        config.setSubject("y".repeat(2500));
        byte[] raw = bytes(compose(exchange("x")));
        assertNoLineLongerThan998(raw);
        assertEquals("y".repeat(2500), parse(raw).getSubject());
    }

    @Test
    void bccGoesIntoTheEnvelopeButNotTheMessage() throws Exception {
        config.setCc("cc@example.com");
        config.setBcc("hidden@example.com");
        OutgoingMail mail = compose(exchange("x"));
        String wire = new String(bytes(mail), StandardCharsets.US_ASCII);
        // no Bcc field (the random Message-ID may hold the letters "bcc": look at field names only)
        assertFalse(wire.lines().anyMatch(line -> line.regionMatches(true, 0, "Bcc:", 0, 4)), wire);
        assertFalse(wire.contains("hidden@example.com"), wire);
        assertEquals(List.of("rcpt@example.com", "cc@example.com", "hidden@example.com"), recipients(mail));
        assertEquals("cc@example.com", parse(bytes(compose(exchange("x")))).getCc().flatten().get(0).getAddress());
    }

    @Test
    void componentHeadersOverrideOptionsAndEnvelopeFromIsUsed() throws Exception {
        Exchange exchange = exchange("x");
        exchange.getIn().setHeader(CatalystMailConstants.TO, List.of("a@example.com", "b@example.com"));
        exchange.getIn().setHeader(CatalystMailConstants.SUBJECT, "per exchange");
        exchange.getIn().setHeader(CatalystMailConstants.ENVELOPE_FROM, "bounces@example.com");
        OutgoingMail mail = compose(exchange);
        assertEquals(List.of("a@example.com", "b@example.com"), recipients(mail));
        assertEquals("bounces@example.com", mail.envelope().from());
        assertEquals("per exchange", parse(bytes(mail)).getSubject());
    }

    @Test
    void anEmptyListOrAnArrayOfNullsLeavesTheOptionInForceAsABlankStringDoes() throws Exception {
        Exchange emptyList = exchange("x");
        emptyList.getIn().setHeader(CatalystMailConstants.TO, List.of());
        assertEquals(List.of("rcpt@example.com"), recipients(compose(emptyList)));
        Exchange nulls = exchange("x");
        nulls.getIn().setHeader(CatalystMailConstants.TO, new String[] { null });
        nulls.getIn().setHeader(CatalystMailConstants.SUBJECT, new ArrayList<String>());
        config.setSubject("from the option");
        OutgoingMail mail = compose(nulls);
        assertEquals(List.of("rcpt@example.com"), recipients(mail));
        assertEquals("from the option", parse(bytes(mail)).getSubject());
    }

    @Test
    void listValuesOfSingleInstanceFieldsBecomeOneFieldOthersOneFieldPerElement() throws Exception {
        Exchange exchange = exchange("x");
        exchange.getIn().setHeader("References", List.of("<a@example.test>", "<b@example.test>"));
        exchange.getIn().setHeader("In-Reply-To", new String[] { null, "<b@example.test>" });
        exchange.getIn().setHeader("X-Tag", List.of("one", "two"));
        String header = headerOf(bytes(compose(exchange)));
        // RFC 5322 section 3.6: at most one References and one In-Reply-To field
        assertEquals(List.of("References: <a@example.test> <b@example.test>"), fieldLines(header, "References:"));
        assertEquals(List.of("In-Reply-To: <b@example.test>"), fieldLines(header, "In-Reply-To:"));
        assertEquals(List.of("X-Tag: one", "X-Tag: two"), fieldLines(header, "X-Tag:"));
    }

    @Test
    void dateAndTimeHeaderValuesAreWrittenAsRfc5322DateTime() throws Exception {
        java.time.ZonedDateTime when = java.time.ZonedDateTime.of(2026, 12, 2, 17, 5, 9, 0,
                java.time.ZoneOffset.ofHours(2));
        Exchange exchange = exchange("x");
        exchange.getIn().setHeader("X-Sent-At", java.util.Date.from(when.toInstant()));
        exchange.getIn().setHeader("X-Zoned", when);
        exchange.getIn().setHeader("X-Instant", when.toInstant());
        java.util.Calendar calendar = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("GMT-05:00"));
        calendar.setTime(java.util.Date.from(when.toInstant()));
        exchange.getIn().setHeader("X-Calendar", calendar);
        String header = headerOf(bytes(compose(exchange)));
        // RFC 5322 section 3.3 date-time, zone as +hhmm
        assertEquals(List.of("X-Zoned: Wed, 2 Dec 2026 17:05:09 +0200"), fieldLines(header, "X-Zoned:"));
        assertEquals(List.of("X-Instant: Wed, 2 Dec 2026 15:05:09 +0000"), fieldLines(header, "X-Instant:"));
        assertEquals(List.of("X-Calendar: Wed, 2 Dec 2026 10:05:09 -0500"), fieldLines(header, "X-Calendar:"));
        String date = fieldLines(header, "X-Sent-At:").get(0);
        assertTrue(date.matches("X-Sent-At: Wed, 2 Dec 2026 \\d\\d:\\d\\d:09 [+-]\\d{4}"), date);
    }

    @Test
    void aJdbcDateOrTimestampHeaderIsWrittenAsADateTimeToo() throws Exception {
        // java.sql.Date (a JDBC row's DATE column) throws UnsupportedOperationException from toInstant(): it failed
        // the send
        Exchange exchange = exchange("x");
        java.time.LocalDate day = java.time.LocalDate.of(2026, 12, 2);
        exchange.getIn().setHeader("X-Due", java.sql.Date.valueOf(day));
        exchange.getIn().setHeader("X-Stamp", java.sql.Timestamp.valueOf(day.atTime(17, 5, 9)));
        String header = headerOf(bytes(compose(exchange)));
        assertEquals(List.of("X-Due: Wed, 2 Dec 2026 00:00:00 " + offsetOn(day.atStartOfDay())),
                fieldLines(header, "X-Due:"));
        assertEquals(List.of("X-Stamp: Wed, 2 Dec 2026 17:05:09 " + offsetOn(day.atTime(17, 5, 9))),
                fieldLines(header, "X-Stamp:"));
    }

    @Test
    void aJdbcTimeHeaderIsWrittenAsItsTimeOfDayNotAsADateIn1970() throws Exception {
        // java.sql.Time (a JDBC row's TIME column) is a time of day, no point in time; as a java.util.Date it was
        // written as a date-time on 1 Jan 1970 ('Thu, 1 Jan 1970 17:05:09 +0000')
        Exchange exchange = exchange("x");
        exchange.getIn().setHeader("X-Opens", java.sql.Time.valueOf("17:05:09"));
        String header = headerOf(bytes(compose(exchange)));
        assertEquals(List.of("X-Opens: 17:05:09"), fieldLines(header, "X-Opens:"));
    }

    @Test
    void aCalendarInAZoneJavaTimeDoesNotKnowIsWrittenWithItsOffset() throws Exception {
        // a TimeZone made by code has an ID java.time may not know: TimeZone.toZoneId() threw ZoneRulesException
        // ('Unknown time-zone ID: Europe/Works') and failed the send
        java.util.Calendar calendar = java.util.Calendar.getInstance(
                new java.util.SimpleTimeZone(3_600_000, "Europe/Works"));
        calendar.setTimeInMillis(java.time.ZonedDateTime.of(2026, 12, 2, 17, 5, 9, 0, java.time.ZoneOffset.ofHours(1))
                .toInstant().toEpochMilli());
        Exchange exchange = exchange("x");
        exchange.getIn().setHeader("X-Calendar", calendar);
        String header = headerOf(bytes(compose(exchange)));
        assertEquals(List.of("X-Calendar: Wed, 2 Dec 2026 17:05:09 +0100"), fieldLines(header, "X-Calendar:"));
    }

    @Test
    void aYearBeyond9999IsWrittenAsDigitsOnly() throws Exception {
        // pgjdbc reads a PostgreSQL timestamp 'infinity' as 9223372036825200000 ms, in the year 292278994: 'yyyy'
        // wrote '+292278994', which no RFC 5322 reader takes for a year (section 3.3: year = 4*DIGIT)
        java.time.Instant infinity = java.time.Instant.ofEpochMilli(9_223_372_036_825_200_000L);
        Exchange exchange = exchange("x");
        exchange.getIn().setHeader("X-Until", infinity);
        String header = headerOf(bytes(compose(exchange)));
        String day = infinity.atZone(java.time.ZoneOffset.UTC).getDayOfWeek()
                .getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH);
        assertEquals(List.of("X-Until: " + day + ", 16 Aug 292278994 23:00:00 +0000"), fieldLines(header, "X-Until:"));
    }

    @ParameterizedTest
    @ValueSource(ints = {-5, 0, 1899})
    void aDateTimeBeforeTheYear1900IsRefusedNamingTheHeader(int year) {
        // RFC 5322 section 3.3: year = 4*DIGIT, "any numeric year 1900 or later"; a negative year was written as
        // '-0005', which no reader takes for a date, and year 0 as '0000'
        Exchange exchange = exchange("x");
        exchange.getIn().setHeader("X-Founded", java.time.ZonedDateTime.of(year, 3, 1, 12, 0, 0, 0,
                java.time.ZoneOffset.UTC));
        MailCompositionException e = assertThrows(MailCompositionException.class, () -> compose(exchange));
        assertTrue(e.getMessage().contains("header X-Founded") && e.getMessage().contains("1900"), e.getMessage());
    }

    /** The JVM's zone offset at that local time, as +hhmm: java.sql dates are local times in that zone. */
    private static String offsetOn(java.time.LocalDateTime local) {
        return java.time.format.DateTimeFormatter.ofPattern("xx")
                .format(local.atZone(java.time.ZoneId.systemDefault()));
    }

    private static String headerOf(byte[] raw) {
        String wire = new String(raw, StandardCharsets.ISO_8859_1);
        return wire.substring(0, wire.indexOf("\r\n\r\n"));
    }

    private static List<String> fieldLines(String header, String start) {
        return header.lines().filter(line -> line.startsWith(start)).toList();
    }

    @Test
    void plainAddressHeadersAreIgnoredByDefaultButAPlainSubjectIsHonoured() throws Exception {
        Exchange exchange = exchange("x");
        exchange.getIn().setHeader("To", "attacker@evil.example");
        exchange.getIn().setHeader("Bcc", "attacker2@evil.example");
        exchange.getIn().setHeader("Subject", "from the route");
        exchange.getIn().setHeader("From", "forged@evil.example");
        config.setSubject("configured");
        OutgoingMail mail = compose(exchange);
        assertEquals(List.of("rcpt@example.com"), recipients(mail));
        Message parsed = parse(bytes(mail));
        // a Subject steers no mail: like camel-mail, the header wins over the subject option
        assertEquals("from the route", parsed.getSubject());
        assertEquals("sender@example.com", parsed.getFrom().get(0).getAddress());
    }

    @Test
    void plainHeadersAreHonouredWithAllowPlainHeaders() throws Exception {
        config.setAllowPlainHeaders(true);
        Exchange exchange = exchange("x");
        exchange.getIn().setHeader("To", "other@example.com");
        exchange.getIn().setHeader("Subject", "from header");
        OutgoingMail mail = compose(exchange);
        assertEquals(List.of("other@example.com"), recipients(mail));
        assertEquals("from header", parse(bytes(mail)).getSubject());
    }

    static Stream<String> injectableHeaders() {
        return Stream.of(CatalystMailConstants.FROM, CatalystMailConstants.TO, CatalystMailConstants.CC,
                CatalystMailConstants.BCC, CatalystMailConstants.REPLY_TO, CatalystMailConstants.SUBJECT,
                CatalystMailConstants.CONTENT_TYPE, CatalystMailConstants.ENVELOPE_FROM, CatalystMailConstants.DSN_NOTIFY,
                CatalystMailConstants.DSN_RETURN, CatalystMailConstants.DSN_ENVELOPE_ID);
    }

    @ParameterizedTest
    @MethodSource("injectableHeaders")
    void lineBreaksInHeadersAreRejectedNamingOnlyTheHeader(String header) {
        for (String evil : List.of("a@example.com\r\nBcc: victim@example.com", "a@example.com\nX: y", "a\u0000b")) {
            Exchange exchange = exchange("x");
            exchange.getIn().setHeader(header, evil);
            MailCompositionException e = assertThrows(MailCompositionException.class, () -> compose(exchange));
            assertTrue(e.getMessage().contains(header), e.getMessage());
            assertFalse(e.getMessage().contains("victim") || e.getMessage().contains("X: y"), e.getMessage());
        }
    }

    @Test
    void lineBreaksInOptionsAreRejected() {
        config.setSubject("hi\r\nBcc: victim@example.com");
        MailCompositionException e = assertThrows(MailCompositionException.class, () -> compose(exchange("x")));
        assertTrue(e.getMessage().contains("option subject"), e.getMessage());
        config.setSubject("ok");
        config.setReplyTo("a@example.com\nX: y");
        e = assertThrows(MailCompositionException.class, () -> compose(exchange("x")));
        assertTrue(e.getMessage().contains("option replyTo"), e.getMessage());
    }

    @Test
    void lineBreakInAttachmentContentIdIsRejected() {
        Exchange exchange = exchange("<p>x</p>");
        config.setContentType("text/html");
        DefaultAttachment a = new DefaultAttachment(new DataHandler(new BytesSource(new byte[1], "image/png")));
        a.setHeader("Content-ID", "<x>\r\nBcc: victim@example.com");
        exchange.getIn(AttachmentMessage.class).addAttachmentObject("x.png", a);
        MailCompositionException e = assertThrows(MailCompositionException.class, () -> compose(exchange));
        assertFalse(e.getMessage().contains("victim"));
    }

    @Test
    void noRecipientsIsAClearError() {
        config.setTo(null);
        MailCompositionException e = assertThrows(MailCompositionException.class, () -> compose(exchange("x")));
        assertTrue(e.getMessage().contains("No recipients"), e.getMessage());
    }

    @Test
    void invalidAddressIsAClearError() {
        config.setTo("not an address@@");
        MailCompositionException e = assertThrows(MailCompositionException.class, () -> compose(exchange("x")));
        assertTrue(e.getMessage().contains("To recipients"), e.getMessage());
    }

    @Test
    void internationalisedAddresses() throws Exception {
        config.setTo("user@bücher.example");
        OutgoingMail ascii = compose(exchange("x"));
        assertEquals(List.of("user@xn--bcher-kva.example"), recipients(ascii));
        assertFalse(ascii.content().needsSmtpUtf8());

        config.setTo("jörg@example.com");
        OutgoingMail utf8 = compose(exchange("x"));
        assertTrue(utf8.content().needsSmtpUtf8());
        assertTrue(new String(bytes(utf8), StandardCharsets.UTF_8).contains("To: <jörg@example.com>"));
    }

    @Test
    void dsnOptionsAndHeadersReachTheEnvelope() throws Exception {
        config.setDsnNotify("failure, delay");
        config.setDsnReturn("hdrs");
        Exchange exchange = exchange("x");
        exchange.getIn().setHeader(CatalystMailConstants.DSN_ENVELOPE_ID, "env-42");
        exchange.getIn().setHeader(CatalystMailConstants.DSN_ORIGINAL_RECIPIENT, true);
        OutgoingMail mail = compose(exchange);
        assertEquals("HDRS", mail.envelope().dsnReturn());
        assertEquals("env-42", mail.envelope().dsnEnvelopeId());
        Recipient r = mail.envelope().recipients().get(0);
        assertEquals("FAILURE,DELAY", r.dsnNotify());
        assertEquals("rcpt@example.com", r.originalRecipient());

        exchange.getIn().setHeader(CatalystMailConstants.DSN_NOTIFY, "SOMETIMES");
        assertThrows(MailCompositionException.class, () -> compose(exchange));
    }

    @Test
    void rawModeSendsTheBytesUnchanged() throws Exception {
        config.setRaw(true);
        config.setFrom(null);
        config.setTo(null);
        byte[] original = ("From: a@example.com\r\nTo: b@example.com, c@example.com\r\nSubject: raw\r\n"
                + "Message-ID: <raw-1@example.com>\r\nContent-Transfer-Encoding: 8bit\r\n\r\nKörper\r\n")
                .getBytes(StandardCharsets.UTF_8);
        OutgoingMail mail = compose(exchange(original));
        assertArrayEquals(original, bytes(mail));
        assertEquals("<raw-1@example.com>", mail.messageId());
        assertEquals(List.of("b@example.com", "c@example.com"), recipients(mail));
        assertEquals("a@example.com", mail.envelope().from());
        assertTrue(mail.content().needs8BitMime());
        assertFalse(mail.content().needsSmtpUtf8());
        assertEquals(original.length, mail.content().size());
    }

    @Test
    void rawModeStripsBccAndPrefersConfiguredRecipients() throws Exception {
        config.setRaw(true);
        String message = "From: a@example.com\nTo: b@example.com\nBcc: secret@example.com,\n other@example.com\nSubject: s\n\nbody\n";
        OutgoingMail fromHeaders;
        config.setTo(null);
        fromHeaders = compose(exchange(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII))));
        assertEquals(List.of("b@example.com", "secret@example.com", "other@example.com"), recipients(fromHeaders));
        String sent = new String(bytes(fromHeaders), StandardCharsets.US_ASCII);
        assertEquals("From: a@example.com\nTo: b@example.com\nSubject: s\n\nbody\n", sent);
        assertNull(fromHeaders.messageId());

        config.setTo("configured@example.com");
        OutgoingMail configured = compose(exchange(message));
        assertEquals(List.of("configured@example.com"), recipients(configured));
    }

    @Test
    void rawDraftComposedForStorageNeedsNeitherRecipientsNorSender() throws Exception {
        config.setRaw(true);
        config.setFrom(null);
        config.setTo(null);
        byte[] draft = "Subject: draft\r\n\r\nnot addressed yet\r\n".getBytes(StandardCharsets.US_ASCII);
        Exchange exchange = exchange(draft);
        OutgoingMail stored = new MessageComposer(config, "test.example").composeForStorage(exchange.getMessage(), null);
        assertNull(stored.envelope());
        assertArrayEquals(draft, bytes(stored));
        // sending it still needs a recipient
        MailCompositionException e = assertThrows(MailCompositionException.class, () -> compose(exchange));
        assertTrue(e.getMessage().contains("No recipients"), e.getMessage());
    }

    @Test
    void eachMessageGetsItsOwnAddressesWhenTheyChangeBetweenMessages() throws Exception {
        MessageComposer composer = new MessageComposer(config, "test.example");
        for (String to : List.of("a@example.com", "b@example.com", "a@example.com")) {
            for (String from : List.of("x@example.com", "y@example.com")) {
                Exchange exchange = exchange("x");
                exchange.getIn().setHeader(CatalystMailConstants.TO, to);
                exchange.getIn().setHeader(CatalystMailConstants.FROM, from);
                OutgoingMail mail = composer.compose(exchange.getMessage());
                assertEquals(List.of(to), recipients(mail));
                assertEquals(from, mail.envelope().from());
                Message parsed = parse(bytes(mail));
                assertEquals(to, parsed.getTo().flatten().get(0).getAddress());
                assertEquals(from, parsed.getFrom().get(0).getAddress());
            }
        }
        // and the options again once no header sets them
        OutgoingMail fromOptions = composer.compose(exchange("x").getMessage());
        assertEquals(List.of("rcpt@example.com"), recipients(fromOptions));
        assertEquals("sender@example.com", fromOptions.envelope().from());
    }

    @Test
    void hundredMegabyteAttachmentIsStreamedAndDecodesBack() throws Exception {
        long size = 100L * 1024 * 1024;
        Exchange exchange = exchange("big one attached");
        exchange.getIn(AttachmentMessage.class).addAttachment("big.bin",
                new DataHandler(new GeneratedSource(size)));
        OutgoingMail mail = compose(exchange);
        assertEquals(-1, mail.content().size());

        Base64Tail sink = new Base64Tail();
        mail.content().writeTo(sink);
        // base64 of 100 MB in 76-character lines: about 137 MB in total, every line short
        assertTrue(sink.total > size * 4 / 3 && sink.total < size * 4 / 3 + size / 20, "total " + sink.total);
        assertTrue(sink.longestLine <= 998, "longest line " + sink.longestLine);
        assertEquals(GeneratedSource.checksum(size), sink.decodedChecksum());
    }

    private static void assertNoLineLongerThan998(byte[] raw) {
        int line = 0;
        for (byte b : raw) {
            line = b == '\n' ? 0 : line + 1;
            assertTrue(line <= 999, "a line exceeds 998 octets");
        }
    }

    /** In-memory attachment source. */
    static final class BytesSource implements DataSource {
        private final byte[] data;
        private final String type;

        BytesSource(byte[] data, String type) {
            this.data = data;
            this.type = type;
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(data);
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getContentType() {
            return type;
        }

        @Override
        public String getName() {
            return "bytes";
        }
    }

    /** A deterministic byte stream of any length that never exists in memory as a whole. */
    static final class GeneratedSource implements DataSource {
        private final long size;

        GeneratedSource(long size) {
            this.size = size;
        }

        static int byteAt(long i) {
            return (int) ((i * 31 + (i >>> 8)) & 0xff);
        }

        static long checksum(long size) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            for (long i = 0; i < size; i++) {
                crc.update(byteAt(i));
            }
            return crc.getValue();
        }

        @Override
        public InputStream getInputStream() {
            return new InputStream() {
                private long position;

                @Override
                public int read() {
                    return position < size ? byteAt(position++) : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (position >= size) {
                        return -1;
                    }
                    int n = (int) Math.min(len, size - position);
                    for (int i = 0; i < n; i++) {
                        b[off + i] = (byte) byteAt(position++);
                    }
                    return n;
                }
            };
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getContentType() {
            return "application/octet-stream";
        }

        @Override
        public String getName() {
            return "generated";
        }
    }

    /**
     * Counts what it is given and decodes the base64 lines of the last part on the fly (lines of exactly 76
     * base64 characters, plus the short last one), without keeping them.
     */
    static final class Base64Tail extends OutputStream {
        long total;
        int longestLine;
        private final StringBuilder line = new StringBuilder();
        private boolean inAttachment;
        private final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            total++;
            if (b == '\n') {
                endLine();
            } else if (b != '\r') {
                line.append((char) b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void endLine() {
            String text = line.toString();
            longestLine = Math.max(longestLine, text.length());
            line.setLength(0);
            if (text.startsWith("Content-Disposition: attachment")) {
                inAttachment = true;
                pending.reset();
                return;
            }
            if (inAttachment && text.startsWith("--")) {
                inAttachment = false;
                return;
            }
            if (inAttachment && !text.isEmpty() && !text.contains(":") && !text.startsWith(" ")) {
                byte[] decoded = java.util.Base64.getDecoder().decode(text);
                crc.update(decoded);
            }
        }

        long decodedChecksum() {
            return crc.getValue();
        }
    }
}
