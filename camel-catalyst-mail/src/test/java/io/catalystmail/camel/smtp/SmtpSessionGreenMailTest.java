package io.catalystmail.camel.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.net.TlsFailureException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real submissions to GreenMail over plain SMTP and implicit TLS, read back byte for byte. */
class SmtpSessionGreenMailTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String USER = "sender@example.com";
    private static final String PASSWORD = "sender-secret";

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(new ServerSetup[] {
            ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(USER, USER, PASSWORD))
            .withPerMethodLifecycle(true);

    /**
     * 8-bit octets in a header and the body, a line starting with a dot, a lone dot line, a last line without CRLF.
     * GreenMail 2.1.3 offers neither 8BITMIME nor SMTPUTF8, so the content is declared as needing neither: this
     * shows the session carries every octet unchanged, whatever the server announces.
     */
    private static final byte[] MESSAGE = ("From: sender@example.com\r\n"
            + "To: rcpt@example.com\r\n"
            + "Subject: Grüße aus Köln\r\n"
            + "Message-ID: <test-1@example.com>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n"
            + "\r\n"
            + "Hallo – ÄÖÜ äöü ß €\r\n"
            + ".a line that starts with a dot\r\n"
            + ".\r\n"
            + "end").getBytes(StandardCharsets.UTF_8);

    private static ConnectionSettings plain() {
        return ConnectionSettings.plain(GREEN_MAIL.getSmtp().getBindTo(), GREEN_MAIL.getSmtp().getPort(), TIMEOUT);
    }

    private static ConnectionSettings smtps(boolean verifyHostname) {
        return new ConnectionSettings(GREEN_MAIL.getSmtps().getBindTo(), GREEN_MAIL.getSmtps().getPort(), true,
                StartTlsMode.DISABLED, trustGreenMail(), verifyHostname, TIMEOUT, TIMEOUT, false);
    }

    @Test
    void plainSubmissionArrivesByteForByte() throws Exception {
        SubmissionResult result;
        try (SmtpSession session = SmtpSession.open(plain(), null, "client.example")) {
            assertFalse(session.capabilities().eightBitMime());
            result = session.send(Envelope.of(USER, "rcpt@example.com"), new BytesContent(MESSAGE, true, false));
        }
        assertEquals(250, result.finalReply().code());
        assertArrivedIntact(1);
    }

    @Test
    void implicitTlsWithGreenMailsCertificate() throws Exception {
        // GreenMail's test certificate names neither localhost nor 127.0.0.1, so verification must refuse it ...
        TlsFailureException refused = assertThrows(TlsFailureException.class,
                () -> SmtpSession.open(smtps(true), null, "client.example"));
        assertTrue(refused.getMessage().contains("does not name this host"), refused.getMessage());
        // ... and with verification off for this one test, the trusted chain alone carries the session
        try (SmtpSession session = SmtpSession.open(smtps(false), new Credentials(USER, PASSWORD, null, null),
                "client.example")) {
            session.send(Envelope.of(USER, "rcpt@example.com"), new BytesContent(MESSAGE, true, false));
        }
        assertArrivedIntact(1);
    }

    @Test
    void internationalMessageIsRefusedBeforeMailFromWithoutSmtpUtf8() throws Exception {
        try (SmtpSession session = SmtpSession.open(plain(), null, "client.example")) {
            assertFalse(session.capabilities().smtpUtf8());
            SmtpRejectedException e = assertThrows(SmtpRejectedException.class, () -> session.send(
                    Envelope.of(USER, "jürgen@example.com"), new BytesContent(MESSAGE, true, true)));
            assertTrue(e.getMessage().contains("SMTPUTF8"), e.getMessage());
            assertTrue(session.isAlive());
        }
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length);
    }

    @Test
    void authenticationSucceedsWithEachPasswordMechanism() throws Exception {
        for (String mechanism : new String[] {"PLAIN", "LOGIN"}) {
            try (SmtpSession session = SmtpSession.open(plain(), new Credentials(USER, PASSWORD, null, mechanism),
                    "client.example")) {
                session.send(Envelope.of(USER, "rcpt@example.com"), BytesContent.of("Subject: " + mechanism
                        + "\r\n\r\nbody\r\n"));
            }
        }
        assertTrue(GREEN_MAIL.waitForIncomingEmail(TIMEOUT.toMillis(), 2));
    }

    @Test
    void xoauth2SucceedsAgainstARealServer() throws Exception {
        // GreenMail takes the user's password as the bearer token; Commons Net's AuthenticatingSMTPClient would
        // report this 235 as a failure
        try (SmtpSession session = SmtpSession.open(plain(), new Credentials(USER, null, user -> PASSWORD, "XOAUTH2"),
                "client.example")) {
            assertTrue(session.capabilities().authMechanisms().contains("XOAUTH2"));
            assertTrue(session.isAlive());
        }
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> SmtpSession.open(plain(),
                new Credentials(USER, null, user -> "expired-token", "XOAUTH2"), "client.example"));
        assertFalse(e.getMessage().contains("expired-token"), e.getMessage());
    }

    @Test
    void wrongPasswordIsRefused() {
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> SmtpSession.open(plain(),
                new Credentials(USER, "wrong-password", null, "PLAIN"), "client.example"));
        assertTrue(e.getMessage().contains("535"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-password"), e.getMessage());
    }

    @Test
    void oneSessionSendsSeveralMessages() throws Exception {
        try (SmtpSession session = SmtpSession.open(plain(), null, "client.example")) {
            for (int i = 0; i < 3; i++) {
                if (i > 0) {
                    session.reset();
                }
                session.send(Envelope.of(USER, "rcpt@example.com"),
                        BytesContent.of("Subject: message " + i + "\r\n\r\nbody " + i + "\r\n"));
            }
            assertTrue(session.isAlive());
        }
        assertTrue(GREEN_MAIL.waitForIncomingEmail(TIMEOUT.toMillis(), 3));
        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertEquals(3, received.length);
        assertEquals("message 2", received[2].getSubject());
    }

    /**
     * GreenMail prepends its own trace headers; everything the client sent must follow unchanged. (GreenMail
     * stores the data without the CRLF that ends its last line, so the stored bytes end in "end".)
     */
    private static void assertArrivedIntact(int expectedCount) throws Exception {
        assertTrue(GREEN_MAIL.waitForIncomingEmail(TIMEOUT.toMillis(), expectedCount));
        MimeMessage received = GREEN_MAIL.getReceivedMessages()[0];
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        received.writeTo(stored);
        byte[] bytes = stored.toByteArray();
        byte[] expected = MESSAGE;
        assertTrue(new String(bytes, StandardCharsets.UTF_8).startsWith("Return-Path: <" + USER + ">\r\n"));
        byte[] tail = Arrays.copyOfRange(bytes, Math.max(0, bytes.length - expected.length), bytes.length);
        assertArrayEquals(expected, tail, "stored message:\n" + new String(bytes, StandardCharsets.UTF_8));
    }

    private static SSLContext trustGreenMail() {
        try (InputStream in = GreenMailExtension.class.getResourceAsStream("/greenmail.p12")) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, "changeit".toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("greenmail", keys.getCertificate("greenmail"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load GreenMail's test certificate", e);
        }
    }
}
