package io.catalystmail.camel;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.activation.DataHandler;
import jakarta.mail.Address;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.ByteArrayDataSource;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.DefaultAttachment;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * camel-mail producer routes moved over to catalystmail, against GreenMail: outgoing headers, a plain Subject,
 * recipients separated by semicolons, attachment headers, and attachments split into files.
 */
class MigratedProducerRoutesTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(new com.icegreen.greenmail.util.ServerSetup[] {
            ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    private static String smtp(String options) {
        return "catalystmail:smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort() + "?from=app@example.test&" + options;
    }

    private MimeMessage sendOne(String uri, Map<String, Object> headers) {
        template.sendBodyAndHeaders(uri, "hello", headers);
        Eventually.await(() -> GREEN_MAIL.getReceivedMessages().length > 0, () -> "nothing received");
        return GREEN_MAIL.getReceivedMessages()[0];
    }

    @Test
    void exchangeHeadersBecomeMailHeadersButCamelOnesNever() throws Exception {
        MimeMessage mail = sendOne(smtp("to=ops@example.test"), Map.of(
                "In-Reply-To", "<original@example.test>",
                "References", "<first@example.test> <original@example.test>",
                "X-Priority", 1,
                "List-Unsubscribe", "<mailto:leave@example.test>",
                "Auto-Submitted", "auto-generated",
                "CamelFileName", "secret-path.txt",
                CatalystMailConstants.SUBJECT, "report"));
        assertEquals("<original@example.test>", mail.getHeader("In-Reply-To", null));
        assertEquals("<first@example.test> <original@example.test>", mail.getHeader("References", null));
        assertEquals("1", mail.getHeader("X-Priority", null));
        assertEquals("<mailto:leave@example.test>", mail.getHeader("List-Unsubscribe", null));
        assertEquals("auto-generated", mail.getHeader("Auto-Submitted", null));
        assertNull(mail.getHeader("CamelFileName"), "Camel headers never pass");
        assertEquals("report", mail.getSubject());
    }

    @Test
    void aCustomHeaderFilterStrategyDecidesWhichHeadersPass() throws Exception {
        org.apache.camel.support.DefaultHeaderFilterStrategy onlyX = new org.apache.camel.support.DefaultHeaderFilterStrategy();
        onlyX.setOutFilterPattern("(?i)(?!X-).*");
        context.getRegistry().bind("onlyX", onlyX);
        MimeMessage mail = sendOne(smtp("to=ops@example.test&headerFilterStrategy=#onlyX"),
                Map.of("X-Ticket", "T-1", "Keywords", "dropped", "CamelSecret", "never"));
        assertEquals("T-1", mail.getHeader("X-Ticket", null));
        assertNull(mail.getHeader("Keywords"));
        assertNull(mail.getHeader("CamelSecret"), "Camel headers never pass, even through a custom strategy");
    }

    @Test
    void aLineBreakInAnyHeaderIsRefusedBeforeAnythingIsSent() {
        Exception e = assertThrows(CamelExecutionException.class, () -> template.sendBodyAndHeaders(
                smtp("to=ops@example.test"), "x", Map.of("X-Note", "ok\r\nBcc: victim@example.test")));
        assertTrue(e.getCause().getMessage().contains("header X-Note contains a line break"), e.getCause().getMessage());
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length);
    }

    @Test
    void aPlainSubjectIsHonouredAndAnIgnoredPlainToIsNamedOnceInTheLog() throws Exception {
        StringWriter log = new StringWriter();
        Appender appender = captureLogs(log);
        try {
            String uri = smtp("to=ops@example.test");
            template.sendBodyAndHeaders(uri, "one", Map.of("Subject", "plain subject", "To", "elsewhere@example.test"));
            template.sendBodyAndHeaders(uri, "two", Map.of("Subject", "again", "To", "elsewhere@example.test"));
        } finally {
            release(appender);
        }
        Eventually.await(() -> GREEN_MAIL.getReceivedMessages().length == 2, () -> "two mails");
        MimeMessage first = GREEN_MAIL.getReceivedMessages()[0];
        assertEquals("plain subject", first.getSubject());
        assertEquals("ops@example.test", first.getHeader("To", null), "a plain To does not steer mail by default");
        String text = log.toString();
        int warnings = text.split("Exchange header To is not written into outgoing mail", -1).length - 1;
        assertEquals(1, warnings, "one WARN per endpoint naming the header to use:\n" + text);
        assertTrue(text.contains(CatalystMailConstants.TO), text);
    }

    @Test
    void aMisspelledComponentHeaderIsNamedOnceInTheLogAndTheOwnHeadersInAnyCaseAreNot() throws Exception {
        StringWriter log = new StringWriter();
        Appender appender = captureLogs(log);
        try {
            String uri = smtp("to=ops@example.test&subject=endpoint");
            Map<String, Object> headers = Map.of("CamelCatalystMailSubjekt", "typo", "camelcatalystmailcc",
                    "cc@example.test", CatalystMailConstants.UID, 7L, SplitAttachmentsExpression.NAME, "a.pdf");
            template.sendBodyAndHeaders(uri, "one", headers);
            template.sendBodyAndHeaders(uri, "two", headers);
        } finally {
            release(appender);
        }
        Eventually.await(() -> GREEN_MAIL.getReceivedMessages().length == 4, () -> "two mails, to and cc each");
        assertEquals("endpoint", GREEN_MAIL.getReceivedMessages()[0].getSubject());
        String text = log.toString();
        assertEquals(1, text.split("Exchange header CamelCatalystMailSubjekt is not written", -1).length - 1,
                "one WARN per endpoint naming the unknown header:\n" + text);
        assertTrue(text.contains("no such header"), text);
        assertEquals(1, text.lines().count(), "the component's own headers, whatever their case, pass quietly:\n" + text);
    }

    @Test
    void camelMailsContentTypeHeaderSetsTheBodysTypeAndItsAlternativeBodyHeaderIsNamedInTheLog() throws Exception {
        StringWriter log = new StringWriter();
        Appender appender = captureLogs(log);
        try {
            // a camel-mail route: the type and the plain alternative under camel-mail's header names
            sendOne(smtp("to=ops@example.test"), Map.of("contentType", "text/html; charset=UTF-8",
                    "CamelMailAlternativeBody", "plain text"));
        } finally {
            release(appender);
        }
        MimeMessage mail = GREEN_MAIL.getReceivedMessages()[0];
        assertNull(mail.getHeader("contentType"), "camel-mail's contentType header is not a mail field");
        assertTrue(mail.getContentType().startsWith("text/html"), "the HTML body goes out as HTML, as with camel-mail: "
                + mail.getContentType());
        String text = log.toString();
        assertFalse(text.contains("header contentType"), "an honoured header is not named as ignored: " + text);
        assertTrue(text.contains("Exchange header CamelMailAlternativeBody is not written into outgoing mail: it is"
                + " camel-mail's header; use " + CatalystMailConstants.ALTERNATIVE_BODY), text);
    }

    @Test
    void theComponentsContentTypeHeaderWinsOverCamelMailsAndThatOverTheOption() throws Exception {
        sendOne(smtp("to=ops@example.test&contentType=text/csv"), Map.of("contentType", "text/html",
                CatalystMailConstants.CONTENT_TYPE, "text/markdown; charset=UTF-8"));
        sendOne(smtp("to=ops@example.test&contentType=text/csv"), Map.of("contentType", "text/html"));
        Eventually.await(() -> GREEN_MAIL.getReceivedMessages().length == 2, () -> "two mails");
        assertTrue(GREEN_MAIL.getReceivedMessages()[0].getContentType().startsWith("text/markdown"),
                GREEN_MAIL.getReceivedMessages()[0].getContentType());
        assertTrue(GREEN_MAIL.getReceivedMessages()[1].getContentType().startsWith("text/html"),
                GREEN_MAIL.getReceivedMessages()[1].getContentType());
    }

    @Test
    void plainFromAndToOfACamelMailRouteAreNamedInTheErrorTheyCause() {
        Exception noSender = assertThrows(CamelExecutionException.class, () -> template.sendBodyAndHeaders(
                "catalystmail:smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort() + "?to=ops@example.test", "x",
                Map.of("From", "app@example.test")));
        assertEquals("No sender: set the from option or the " + CatalystMailConstants.FROM + " header (the plain From"
                + " header is used only with allowPlainHeaders=true)", noSender.getCause().getMessage());
        Exception noRecipients = assertThrows(CamelExecutionException.class, () -> template.sendBodyAndHeaders(
                smtp("subject=s"), "x", Map.of("To", "ops@example.test", "cc", "boss@example.test")));
        assertTrue(noRecipients.getCause().getMessage().endsWith(
                " (the plain To, Cc headers are used only with allowPlainHeaders=true)"), noRecipients.getCause().getMessage());
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length);
    }

    @Test
    void recipientsSeparatedBySemicolonsAsOutlookUsersTypeThem() throws Exception {
        template.sendBody(smtp("to=" + "a@example.test;%20Bee%20<b@example.test>" + "&cc=c@example.test;d@example.test"),
                "x");
        Eventually.await(() -> GREEN_MAIL.getReceivedMessages().length == 4, () -> "4 deliveries: "
                + GREEN_MAIL.getReceivedMessages().length);
        Address[] to = GREEN_MAIL.getReceivedMessages()[0].getRecipients(jakarta.mail.Message.RecipientType.TO);
        assertEquals(List.of("a@example.test", "Bee <b@example.test>"), Arrays.stream(to).map(Address::toString).toList());
    }

    @Test
    void attachmentHeadersSuchAsContentDescriptionAreKept() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").process(e -> {
                    DefaultAttachment attachment = new DefaultAttachment(new DataHandler(
                            new ByteArrayDataSource("a,b\n".getBytes(StandardCharsets.US_ASCII), "text/csv")));
                    attachment.setHeader("Content-Description", "Monthly figures");
                    e.getMessage(AttachmentMessage.class).addAttachmentObject("figures.csv", attachment);
                }).to(smtp("to=ops@example.test"));
            }
        });
        template.sendBody("direct:send", "see attached");
        Eventually.await(() -> GREEN_MAIL.getReceivedMessages().length == 1, () -> "one mail");
        Multipart parts = (Multipart) GREEN_MAIL.getReceivedMessages()[0].getContent();
        Part attachment = parts.getBodyPart(1);
        assertEquals("figures.csv", attachment.getFileName());
        assertEquals("Monthly figures", attachment.getHeader("Content-Description")[0]);
    }

    @Test
    void attachmentsMadeFromAByteArrayOrAStringAreSentAsCamelMailSendsThem() throws Exception {
        // new DataHandler(object, type) has no stream without a DataContentHandler for the type (Jakarta Mail's
        // mailcap has none for application/pdf or text/csv); camel-mail writes such objects as they are
        byte[] pdf = { '%', 'P', 'D', 'F', 0, (byte) 0xff, '\r', '\n', 1 };
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:objects").process(e -> {
                    AttachmentMessage message = e.getMessage(AttachmentMessage.class);
                    message.addAttachment("scan.pdf", new DataHandler(pdf, "application/pdf"));
                    message.addAttachment("figures.csv", new DataHandler("a,b\n1,2\n", "text/csv"));
                }).to(smtp("to=ops@example.test"));
            }
        });
        template.sendBody("direct:objects", "see attached");
        Eventually.await(() -> GREEN_MAIL.getReceivedMessages().length == 1, () -> "one mail");
        Multipart parts = (Multipart) GREEN_MAIL.getReceivedMessages()[0].getContent();
        Map<String, byte[]> received = new java.util.HashMap<>();
        for (int i = 1; i < parts.getCount(); i++) {
            try (java.io.InputStream in = parts.getBodyPart(i).getInputStream()) {
                received.put(parts.getBodyPart(i).getFileName(), in.readAllBytes());
            }
        }
        assertArrayEquals(pdf, received.get("scan.pdf"));
        assertEquals("a,b\n1,2\n", new String(received.get("figures.csv"), StandardCharsets.US_ASCII));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "as the bean YAML and XML routes use: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = { false, true })
    void splitAttachmentsSavesEachAttachmentToAFile(boolean bean, @TempDir Path dir) throws Exception {
        byte[] pdf = new byte[70_000];
        new java.util.Random(7).nextBytes(pdf);
        deliver(GREEN_MAIL, "alice", mailWithAttachments(pdf));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + GREEN_MAIL.getImap().getPort()
                     + "?username=alice&password=s3cret&initialDelay=0&delay=60000")
                        .split(bean ? method(AttachmentParts.class) : new SplitAttachmentsExpression())
                        .to("file:" + dir.toAbsolutePath() + "?fileName=${header.CamelCatalystMailAttachmentName}")
                        .to("mock:part");
            }
        });
        getMockEndpoint("mock:part").expectedMessageCount(2);
        getMockEndpoint("mock:part").assertIsSatisfied();
        assertArrayEquals(pdf, Files.readAllBytes(dir.resolve("scan.pdf")));
        assertEquals("a,b\n", Files.readString(dir.resolve("figures.csv")));
        Exchange csv = getMockEndpoint("mock:part").getReceivedExchanges().get(1);
        assertEquals("Two attachments", csv.getMessage().getHeader("Subject"), "the mail's headers come along");
        assertTrue(csv.getMessage().getHeader(SplitAttachmentsExpression.CONTENT_TYPE, String.class).startsWith("text/csv"));
    }

    private static byte[] mailWithAttachments(byte[] pdf) throws Exception {
        String b64 = java.util.Base64.getMimeEncoder().encodeToString(pdf);
        String text = "From: a@example.test\r\nTo: alice@example.test\r\nSubject: Two attachments\r\n"
                      + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                      + "--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                      + "--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"scan.pdf\"\r\n"
                      + "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n"
                      + "--b1\r\nContent-Type: text/csv\r\nContent-Disposition: attachment; filename=\"figures.csv\"\r\n\r\n"
                      + "a,b\n\r\n--b1--\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static Appender captureLogs(StringWriter target) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        Appender appender = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%p|%m%n").build(),
                null, target, "capture-migration", false, true);
        appender.start();
        config.addAppender(appender);
        config.getLoggerConfig("io.catalystmail").addAppender(appender, Level.WARN, null);
        ctx.updateLoggers();
        return appender;
    }

    private static void release(Appender appender) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getLoggerConfig("io.catalystmail").removeAppender("capture-migration");
        ctx.updateLoggers();
        appender.stop();
    }
}
