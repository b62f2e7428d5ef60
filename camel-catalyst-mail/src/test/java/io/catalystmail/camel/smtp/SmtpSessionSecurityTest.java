package io.catalystmail.camel.smtp;

import static io.catalystmail.camel.smtp.SmtpSessionTransactionTest.CONTENT;
import static io.catalystmail.camel.smtp.SmtpSessionTransactionTest.HELO_NAME;
import static io.catalystmail.camel.smtp.SmtpSessionTransactionTest.greeted;
import static io.catalystmail.camel.smtp.SmtpSessionTransactionTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.auth.FixedAccessToken;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.testsupport.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;

/** STARTTLS, AUTH and injection guards against a scripted peer. */
class SmtpSessionSecurityTest {

    private static final String USER = "user@example.com";
    private static final String PASSWORD = "s3cret-Pa55";
    private static final String TOKEN = "ya29.token-value";

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static ConnectionSettings startTls(ScriptedSmtpServer server, StartTlsMode mode) {
        return settings(server).withStartTls(mode, ScriptedSmtpServer.clientTrust());
    }

    @Test
    void startTlsRequiredUpgradesAndForgetsTheCapabilitiesSeenBefore() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250-STARTTLS\n250 SIZE 10")
                .expect("STARTTLS", "220 2.0.0 ready")
                .startTls()
                .expect("EHLO " + HELO_NAME, "250-test.example\n250-PIPELINING\n250 AUTH PLAIN")
                .expect("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD), "235 2.7.0 ok")
                .expectBatch(List.of("MAIL FROM:<a@example.com>", "RCPT", "DATA"), "250 ok", "250 ok", "354 go")
                .expectData("250 queued")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = SmtpSession.open(startTls(server, StartTlsMode.REQUIRED),
                    new Credentials(USER, PASSWORD, null, null), HELO_NAME)) {
                assertFalse(session.capabilities().startTls());
                assertFalse(session.capabilities().sizeOffered());
                assertTrue(session.capabilities().pipelining());
                session.send(Envelope.of("a@example.com", "b@example.com"), BytesContent.of(CONTENT));
            }
            server.verify();
        }
    }

    @Test
    void aTlsServerGoingSilentFailsTheSendWithinOneReadTimeout() throws Exception {
        Duration readTimeout = Duration.ofSeconds(2);
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 STARTTLS")
                .expect("STARTTLS", "220 2.0.0 ready")
                .startTls()
                .expect("EHLO " + HELO_NAME, "250 test.example")
                .freeze())) {
            ConnectionSettings tls = ConnectionSettings.plain("127.0.0.1", server.port(), readTimeout)
                    .withStartTls(StartTlsMode.REQUIRED, ScriptedSmtpServer.clientTrust());
            long start = System.nanoTime();
            try (SmtpSession session = SmtpSession.open(tls, Credentials.NONE, HELO_NAME)) {
                assertThrows(IOException.class,
                        () -> session.send(Envelope.of("a@example.com", "b@example.com"), BytesContent.of(CONTENT)));
            }
            // before: closing the broken TLS socket read for the server's close_notify for another full read
            // timeout (SSLSocket.close drains its input), so the exchange failed after twice the timeout
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(readTimeout.plusMillis(1500)) < 0, "failed and closed after " + took);
        }
    }

    @Test
    void startTlsRequiredButNotOfferedSendsNothingMore() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 AUTH PLAIN")
                .expectClose())) {
            SmtpException e = assertThrows(SmtpException.class, () -> SmtpSession.open(
                    startTls(server, StartTlsMode.REQUIRED), new Credentials(USER, PASSWORD, null, null), HELO_NAME));
            assertEquals("STARTTLS", e.command());
            assertTrue(e.getMessage().contains("does not offer STARTTLS"), e.getMessage());
            server.verify();
            assertEquals(List.of("EHLO " + HELO_NAME), server.commands());
        }
    }

    @Test
    void startTlsWhenOfferedGoesOnInPlainTextWhenNotOffered() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250 test.example")
                .expect("QUIT", "221 bye"))) {
            SmtpSession.open(startTls(server, StartTlsMode.WHEN_OFFERED), null, HELO_NAME).close();
            server.verify();
        }
    }

    @Test
    void plainTextInjectedAfterTheStartTlsReplyIsRefused() throws Exception {
        // RFC 3207 §6 / CVE-2011-0411: a reply smuggled in before the handshake must not be read as if encrypted
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 STARTTLS")
                .expect("STARTTLS", "220 ready\n250 injected")
                .expectClose())) {
            SmtpException e = assertThrows(SmtpException.class,
                    () -> SmtpSession.open(startTls(server, StartTlsMode.REQUIRED), null, HELO_NAME));
            assertTrue(e.getMessage().contains("after its STARTTLS reply"), e.getMessage());
            server.verify();
        }
    }

    @Test
    void authPlainSendsAnInitialResponse() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 AUTH LOGIN PLAIN")
                .expect("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD), "235 2.7.0 Authentication successful")
                .expect("QUIT", "221 bye"))) {
            SmtpSession.open(settings(server), new Credentials(USER, PASSWORD, null, null), HELO_NAME).close();
            server.verify();
        }
        assertSecretsNotLogged();
    }

    @Test
    void authLoginAnswersUserNameThenPassword() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 AUTH=LOGIN")
                .expect("AUTH LOGIN", "334 " + b64("Username:"))
                .expect(b64(USER), "334 " + b64("Password:"))
                .expect(b64(PASSWORD), "235 2.7.0 ok")
                .expect("QUIT", "221 bye"))) {
            SmtpSession.open(settings(server), new Credentials(USER, PASSWORD, null, null), HELO_NAME).close();
            server.verify();
            assertEquals(List.of("AUTH LOGIN", b64(USER), b64(PASSWORD)), server.commands().subList(1, 4));
        }
    }

    @Test
    void authCramMd5AnswersTheChallenge() throws Exception {
        String challenge = "<1896.697170952@postoffice.example.net>";
        Mac mac = Mac.getInstance("HmacMD5");
        mac.init(new SecretKeySpec(PASSWORD.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
        StringBuilder hex = new StringBuilder();
        for (byte b : mac.doFinal(challenge.getBytes(StandardCharsets.US_ASCII))) {
            hex.append(String.format("%02x", b));
        }
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 AUTH PLAIN CRAM-MD5")
                .expect("AUTH CRAM-MD5", "334 " + b64(challenge))
                .expect(b64(USER + " " + hex), "235 2.7.0 ok")
                .expect("QUIT", "221 bye"))) {
            SmtpSession.open(settings(server), new Credentials(USER, PASSWORD, null, null), HELO_NAME).close();
            server.verify();
        }
    }

    @Test
    void xoauth2SuccessIsTheReplyCode235() throws Exception {
        String initial = b64("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 AUTH PLAIN XOAUTH2")
                .expect("AUTH XOAUTH2 " + initial, "235 2.7.0 Accepted")
                .expect("QUIT", "221 bye"))) {
            SmtpSession.open(settings(server), new Credentials(USER, null, u -> TOKEN, null), HELO_NAME).close();
            server.verify();
        }
    }

    @Test
    void xoauth2FailureAnswersTheJsonChallengeWithAnEmptyLine() throws Exception {
        String json = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://mail.google.com/\"}";
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 AUTH XOAUTH2")
                .expect("AUTH XOAUTH2 ", "334 " + b64(json))
                .expect("", "535 5.7.8 Username and Password not accepted")
                .expect("QUIT", "221 bye"))) {
            // a fixed token: nothing to refresh, so no second attempt (TokenRefreshTest covers the retry)
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> SmtpSession.open(
                    settings(server), new Credentials(USER, null, new FixedAccessToken(TOKEN), null), HELO_NAME));
            server.verify();
            assertEquals("", server.commands().get(2));
            assertTrue(e.getMessage().contains("535 5.7.8 Username and Password not accepted"), e.getMessage());
            assertTrue(e.getMessage().contains("\"status\":\"401\""), e.getMessage());
            assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
            assertFalse(e.getMessage().contains(server.commands().get(1).substring(13)), e.getMessage());
        }
        assertSecretsNotLogged();
    }

    @Test
    void authFailureReportsTheReplyButNoSecret() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 AUTH PLAIN")
                .expect("AUTH PLAIN", "535 5.7.8 Authentication credentials invalid")
                .expect("QUIT", "221 bye"))) {
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> SmtpSession.open(
                    settings(server), new Credentials(USER, PASSWORD, null, null), HELO_NAME));
            server.verify();
            assertTrue(e.getMessage().contains("535 5.7.8 Authentication credentials invalid"), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
            assertFalse(e.getMessage().contains(b64("\0" + USER + "\0" + PASSWORD)), e.getMessage());
        }
    }

    @Test
    void credentialsWaitForEncryptionOnNonLoopbackHosts() {
        ConnectionSettings remote = ConnectionSettings.plain("192.0.2.10", 587, Duration.ofSeconds(1));
        assertFalse(SmtpAuthentication.mayAuthenticate(false, remote));
        assertTrue(SmtpAuthentication.mayAuthenticate(true, remote));
        assertTrue(SmtpAuthentication.mayAuthenticate(false, remote.withAllowInsecureAuth(true)));
        assertTrue(SmtpAuthentication.mayAuthenticate(false,
                ConnectionSettings.plain("127.0.0.1", 587, Duration.ofSeconds(1))));
    }

    @Test
    void lineBreaksInAddressesAndHeloNameAreRefusedBeforeAnyByteIsWritten() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Envelope.of("a@example.com\r\nRCPT TO:<x@evil>", "b@x"));
        assertThrows(IllegalArgumentException.class, () -> Envelope.of("a@example.com", "b@example.com\nDATA"));
        assertThrows(IllegalArgumentException.class, () -> Envelope.of("a@example.com", "b@example.com\rDATA"));
        assertThrows(IllegalArgumentException.class, () -> Envelope.of("a@example.com", "b@example.com\0"));
        assertThrows(IllegalArgumentException.class, () -> Envelope.of("a@example.com", "b@example.com> NOTIFY=NEVER"));
        // a quote that never closes hid the '>' and the space that follow it, and the path ended where they are
        assertThrows(IllegalArgumentException.class, () -> Envelope.of("a@example.com", "\"b> NOTIFY=SUCCESS <b@x"));
        assertThrows(IllegalArgumentException.class, () -> Envelope.of("\"a> RET=FULL", "b@example.com"));
        // nor a quote that closes: a server that reads the path to its first '>' ended it there, and the rest became
        // parameters; an escape hid the '>' or a line break after it, and a quote in the domain opened a new one
        assertThrows(IllegalArgumentException.class,
                () -> Envelope.of("a@example.com", "\"b> NOTIFY=SUCCESS <b\"@x"));
        assertThrows(IllegalArgumentException.class,
                () -> Envelope.of("a@example.com", "\"b\\> NOTIFY=SUCCESS \\<b\"@x"));
        assertThrows(IllegalArgumentException.class, () -> Envelope.of("a@example.com", "\"b\\\nDATA\"@x"));
        assertThrows(IllegalArgumentException.class, () -> Envelope.of("a@example.com", "b@\"x RET=FULL\""));
        assertThrows(IllegalArgumentException.class, () -> Envelope.of("\"a> RET=FULL <a\"@x", "b@example.com"));
        // a quoted space: a server that reads the path to its first space ended it there, the rest became parameters
        assertThrows(IllegalArgumentException.class, () -> Envelope.of("a@example.com", "\"x ORCPT=rfc822;a\"@b"));
        assertThrows(IllegalArgumentException.class, () -> Envelope.of("\"a RET=FULL\"@x", "b@example.com"));
        assertThrows(IllegalArgumentException.class, () -> Envelope.of("a@example.com", "\"x\\ ORCPT=rfc822;a\"@b"));
        assertThrows(IllegalArgumentException.class, () -> Recipient.of("\"a\\\"b c\"@example.com"));
        assertEquals("\"a\\\"b.c\"@example.com", Recipient.of("\"a\\\"b.c\"@example.com").address());
        assertThrows(IllegalArgumentException.class,
                () -> new Recipient("b@example.com", null, "c@example.com\r\nQUIT"));
        assertThrows(IllegalArgumentException.class, () -> new Envelope("a@example.com",
                List.of(Recipient.of("b@example.com")), null, "id\r\nRSET"));
        assertThrows(IllegalArgumentException.class, () -> new Envelope("a@example.com", List.of(), null, null));
        assertThrows(IllegalArgumentException.class, () -> Recipient.of("\"john doe\"@example.com"));
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(ScriptedSmtpServer.script().greet("220 x"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SmtpSession.open(settings(server), null, "client.example\r\nMAIL FROM:<x@evil>"));
            assertTrue(e.getMessage().contains("\\r\\n"), e.getMessage());
            assertEquals(0, server.received().length);
        }
    }

    /** The test log (log4j2-test.xml, DEBUG for this project) shows AUTH masked and never the secrets. */
    private static void assertSecretsNotLogged() throws IOException {
        Path log = Path.of("target/test.log");
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(text.contains("C: AUTH "), "the AUTH command is logged");
        assertFalse(text.contains(PASSWORD));
        assertFalse(text.contains(TOKEN));
        assertFalse(text.contains(b64("\0" + USER + "\0" + PASSWORD)));
        assertFalse(text.contains(b64("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001")));
    }
}
