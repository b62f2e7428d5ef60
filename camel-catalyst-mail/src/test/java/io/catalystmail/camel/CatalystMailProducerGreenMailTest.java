package io.catalystmail.camel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.activation.DataHandler;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.ByteArrayDataSource;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.testsupport.GreenMailCertificates;
import io.catalystmail.camel.net.TlsFailureException;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The producer end to end against GreenMail's SMTP and SMTPS servers. */
class CatalystMailProducerGreenMailTest extends CamelTestSupport {

    private static final String PASSWORD = "Pa55-w0rd-never-shown";

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
            new com.icegreen.greenmail.util.ServerSetup[] { ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort() });

    private static String smtp() {
        return "catalystmail:smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort();
    }

    private static Message parse(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        return builder.parseMessage(new ByteArrayInputStream(out.toByteArray()));
    }

    private static String text(Entity entity) throws Exception {
        try (var in = ((org.apache.james.mime4j.dom.SingleBody) entity.getBody()).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void routeDeliversToToCcAndBccWithoutWritingBcc() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to(smtp() + "?from=Sender <sender@from.example>&to=to@to.example"
                        + "&cc=cc@cc.example&bcc=bcc@bcc.example&subject=Quarterly report");
            }
        });
        Exchange result = template.send("direct:send", e -> e.getIn().setBody("Numbers are up."));
        assertNull(result.getException());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 3));

        for (String mailbox : List.of("to@to.example", "cc@cc.example", "bcc@bcc.example")) {
            assertEquals(1, inboxSize(mailbox), mailbox);
        }
        for (MimeMessage received : GREEN_MAIL.getReceivedMessages()) {
            assertNull(received.getHeader("Bcc"));
            Message parsed = parse(received);
            assertEquals("Quarterly report", parsed.getSubject());
            assertEquals("to@to.example", parsed.getTo().flatten().get(0).getAddress());
            assertEquals("cc@cc.example", parsed.getCc().flatten().get(0).getAddress());
            assertEquals("Numbers are up.", text(parsed));
            assertEquals(result.getMessage().getHeader(CatalystMailConstants.MESSAGE_ID), received.getMessageID());
        }
        assertEquals(List.of("to@to.example", "cc@cc.example", "bcc@bcc.example"),
                result.getMessage().getHeader(CatalystMailConstants.ACCEPTED_RECIPIENTS));
    }

    @Test
    void oneCharacterNonAsciiNamesAListOfReferencesAndADateHeaderArriveAsOneReaderTakesThem() throws Exception {
        java.util.Date when = java.util.Date.from(java.time.Instant.parse("2026-12-02T15:05:09Z"));
        Exchange result = template.send(smtp() + "?from=a@example.com&subject=x", e -> {
            e.getIn().setBody("text");
            e.getIn().setHeader(CatalystMailConstants.TO, "李 明 <li@example.test>, é <e@example.test>");
            e.getIn().setHeader("References", List.of("<r1@example.test>", "<r2@example.test>"));
            e.getIn().setHeader("X-Sent-At", when);
        });
        assertNull(result.getException());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 2));
        MimeMessage received = GREEN_MAIL.getReceivedMessages()[0];
        jakarta.mail.internet.InternetAddress[] to =
                (jakarta.mail.internet.InternetAddress[]) received.getRecipients(jakarta.mail.Message.RecipientType.TO);
        assertEquals("李 明", to[0].getPersonal());
        assertEquals("é", to[1].getPersonal());
        // RFC 5322 section 3.6: one References field; section 3.3 date-time, as Jakarta Mail's reader parses it
        assertEquals(List.of("<r1@example.test> <r2@example.test>"), List.of(received.getHeader("References")));
        assertEquals(when, new jakarta.mail.internet.MailDateFormat().parse(received.getHeader("X-Sent-At")[0]));
    }

    @Test
    void attachmentsAndAlternativeArriveIntact() throws Exception {
        byte[] pdf = new byte[5000];
        for (int i = 0; i < pdf.length; i++) {
            pdf[i] = (byte) (i * 7);
        }
        Exchange result = template.send(smtp() + "?from=a@example.com&to=b@example.com&subject=Änderung", e -> {
            e.getIn().setBody("plain version");
            e.getIn().setHeader(CatalystMailConstants.ALTERNATIVE_BODY, "<p>html version</p>");
            e.getIn(AttachmentMessage.class).addAttachment("Übersicht.pdf",
                    new DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
        });
        assertNull(result.getException());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));
        MimeMessage received = GREEN_MAIL.getReceivedMessages()[0];
        assertEquals("Änderung", received.getSubject());
        Message parsed = parse(received);
        List<Entity> mixed = ((Multipart) parsed.getBody()).getBodyParts();
        List<Entity> alternative = ((Multipart) mixed.get(0).getBody()).getBodyParts();
        assertEquals("plain version", text(alternative.get(0)));
        assertEquals("<p>html version</p>", text(alternative.get(1)));
        // Jakarta Mail decodes the RFC 2231 file name on its own: a second, independent reader
        jakarta.mail.Multipart jm = (jakarta.mail.Multipart) received.getContent();
        assertEquals("Übersicht.pdf", jm.getBodyPart(1).getFileName());
        try (var in = jm.getBodyPart(1).getInputStream()) {
            assertTrue(java.util.Arrays.equals(pdf, in.readAllBytes()));
        }
    }

    @Test
    void authenticatesAndNeverShowsThePassword() throws Exception {
        GREEN_MAIL.setUser("user@example.com", "user", PASSWORD);
        StringWriter log = new StringWriter();
        Appender appender = captureLogs(log);
        try {
            String uri = smtp() + "?from=user@example.com&to=b@example.com&username=user&password=RAW(" + PASSWORD + ")";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:auth").routeId("auth").to(uri);
                }
            });
            Exchange ok = template.send("direct:auth", e -> e.getIn().setBody("authenticated"));
            assertNull(ok.getException());
            assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));

            Endpoint endpoint = context.getEndpoints().stream().filter(e -> e instanceof CatalystMailEndpoint)
                    .findFirst().orElseThrow();
            assertFalse(endpoint.getEndpointBaseUri().contains(PASSWORD));
            // the component keeps password and accessToken out of the endpoint URI; Camel sanitises what it prints
            assertFalse(endpoint.getEndpointUri().contains(PASSWORD));
            assertFalse(endpoint.toString().contains(PASSWORD), endpoint.toString());
            assertFalse(context.getRoute("auth").toString().contains(PASSWORD));
            assertFalse(String.valueOf(context.getRoute("auth").getEndpoint()).contains(PASSWORD));

            String wrong = smtp() + "?from=user@example.com&to=b@example.com&username=user&password=RAW(" + PASSWORD + "-wrong)";
            Exchange failed = template.send(wrong, e -> e.getIn().setBody("should not go"));
            assertInstanceOf(AuthenticationException.class, failed.getException());
            assertFalse(failed.getException().getMessage().contains(PASSWORD), failed.getException().getMessage());
        } finally {
            release(appender);
        }
        // GreenMail's own (server side) debug lines are left out: only what this component and Camel log counts
        String ours = log.toString().lines().filter(l -> !l.startsWith("com.icegreen"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertTrue(ours.contains("AUTH"), "the session logged its commands");
        assertFalse(ours.contains(PASSWORD), "password in the log");
        String plainAuth = java.util.Base64.getEncoder().encodeToString(("\0user\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertFalse(ours.contains(plainAuth), "AUTH PLAIN response in the log");
    }

    @Test
    void smtpsWithATrustedCertificateDelivers() throws Exception {
        context.getRegistry().bind("greenMailTls", GreenMailCertificates.trustParameters());
        Exchange result = template.send("catalystmail:smtps:127.0.0.1:" + GREEN_MAIL.getSmtps().getPort()
                + "?from=a@example.com&to=tls@example.com&sslContextParameters=#greenMailTls&verifyHostname=false",
                e -> e.getIn().setBody("over TLS"));
        assertNull(result.getException());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));
        assertEquals("over TLS", text(parse(GREEN_MAIL.getReceivedMessages()[0])));
    }

    @Test
    void smtpsRefusesACertificateThatDoesNotNameTheHostByDefault() throws Exception {
        context.getRegistry().bind("greenMailTls", GreenMailCertificates.trustParameters());
        Exchange result = template.send("catalystmail:smtps:127.0.0.1:" + GREEN_MAIL.getSmtps().getPort()
                + "?from=a@example.com&to=tls@example.com&sslContextParameters=#greenMailTls",
                e -> e.getIn().setBody("must not be sent"));
        assertInstanceOf(TlsFailureException.class, result.getException());
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length);
    }

    @Test
    void concurrentExchangesAreAllDelivered() throws Exception {
        String uri = smtp() + "?from=a@example.com&to=many@example.com";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Exchange>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                results.add(pool.submit(() -> template.send(uri, e -> e.getIn().setBody("message " + n))));
            }
            for (Future<Exchange> f : results) {
                assertNull(f.get().getException());
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(GREEN_MAIL.waitForIncomingEmail(10_000, 20));
        List<String> bodies = new ArrayList<>();
        for (MimeMessage m : GREEN_MAIL.getReceivedMessages()) {
            bodies.add(text(parse(m)));
        }
        for (int i = 0; i < 20; i++) {
            assertTrue(bodies.contains("message " + i), "message " + i + " missing");
        }
        assertEquals(20, bodies.size());
    }

    private static int inboxSize(String email) throws Exception {
        var user = GREEN_MAIL.getUserManager().getUserByEmail(email);
        assertNotNull(user, email + " received nothing");
        return GREEN_MAIL.getManagers().getImapHostManager().getInbox(user).getMessageCount();
    }

    private static Appender captureLogs(StringWriter target) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        Appender appender = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%c|%m%n").build(),
                null, target, "capture", false, true);
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, Level.TRACE, null);
        config.getLoggerConfig("io.catalystmail").addAppender(appender, Level.TRACE, null);
        config.getLoggerConfig("io.catalystmail").setLevel(Level.TRACE);
        config.getRootLogger().setLevel(Level.DEBUG);
        ctx.updateLoggers();
        return appender;
    }

    private static void release(Appender appender) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        config.getRootLogger().removeAppender("capture");
        config.getLoggerConfig("io.catalystmail").removeAppender("capture");
        config.getLoggerConfig("io.catalystmail").setLevel(Level.DEBUG);
        config.getRootLogger().setLevel(Level.INFO);
        ctx.updateLoggers();
        appender.stop();
    }
}
