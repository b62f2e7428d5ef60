package io.catalystmail.camel.smtp;

import static io.catalystmail.camel.smtp.SmtpSessionTransactionTest.CONTENT;
import static io.catalystmail.camel.smtp.SmtpSessionTransactionTest.HELO_NAME;
import static io.catalystmail.camel.smtp.SmtpSessionTransactionTest.greeted;
import static io.catalystmail.camel.smtp.SmtpSessionTransactionTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.testsupport.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;

/**
 * Credentials configured, AUTH not in the EHLO reply (a server trusting its network, or an attacker who stripped
 * it): the {@link AuthNotOffered} policy decides whether the mail goes out unauthenticated.
 */
class SmtpAuthNotOfferedTest {

    private static final Credentials LOGIN = new Credentials("user@example.com", "s3cret-Pa55", null, null);

    private static ScriptedSmtpServer.Script tlsWithoutAuth() {
        return greeted("250-test.example\n250 STARTTLS")
                .expect("STARTTLS", "220 2.0.0 ready")
                .startTls()
                .expect("EHLO " + HELO_NAME, "250-test.example\n250 PIPELINING");
    }

    private static ScriptedSmtpServer.Script acceptsOneMail(ScriptedSmtpServer.Script script) {
        return script.expectBatch(List.of("MAIL FROM:<a@example.com>", "RCPT", "DATA"), "250 ok", "250 ok", "354 go")
                .expectData("250 queued")
                .expect("QUIT", "221 bye");
    }

    private static ConnectionSettings startTls(ScriptedSmtpServer server) {
        return settings(server).withStartTls(StartTlsMode.WHEN_OFFERED, ScriptedSmtpServer.clientTrust());
    }

    @Test
    void verifiedTlsProceedsUnauthenticatedByDefault() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(acceptsOneMail(tlsWithoutAuth()))) {
            try (SmtpSession session = SmtpSession.open(startTls(server), LOGIN, HELO_NAME)) {
                session.send(Envelope.of("a@example.com", "b@example.com"), BytesContent.of(CONTENT));
            }
            server.verify();
            assertTrue(server.commands().stream().noneMatch(c -> c.startsWith("AUTH")), server.commands().toString());
        }
    }

    @Test
    void plainConnectionFailsByDefaultBeforeAnyMailIsSent() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 PIPELINING")
                .expect("QUIT", "221 bye"))) {
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> SmtpSession.open(settings(server), LOGIN, HELO_NAME));
            assertTrue(e.getMessage().contains("does not offer AUTH"), e.getMessage());
            assertTrue(e.getMessage().contains("not encrypted"), e.getMessage());
            assertTrue(e.getMessage().contains("authNotOffered=PROCEED"), e.getMessage());
            server.verify();
            assertEquals(List.of("EHLO " + HELO_NAME, "QUIT"), server.commands());
        }
    }

    @Test
    void tlsWithoutHostNameVerificationIsNotTrustedByDefault() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(tlsWithoutAuth().expect("QUIT", "221 bye"))) {
            ConnectionSettings unverified = new ConnectionSettings("127.0.0.1", server.port(), false,
                    StartTlsMode.WHEN_OFFERED, ScriptedSmtpServer.clientTrust(), false, settings(server).connectTimeout(),
                    settings(server).readTimeout(), false);
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> SmtpSession.open(unverified, LOGIN, HELO_NAME));
            assertTrue(e.getMessage().contains("does not offer AUTH"), e.getMessage());
            server.verify();
        }
    }

    @Test
    void proceedSendsOverPlainConnectionsToATrustedRelay() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(acceptsOneMail(greeted("250-test.example\n250 PIPELINING")))) {
            try (SmtpSession session = SmtpSession.open(settings(server), LOGIN, HELO_NAME, AuthNotOffered.PROCEED)) {
                session.send(Envelope.of("a@example.com", "b@example.com"), BytesContent.of(CONTENT));
            }
            server.verify();
        }
    }

    @Test
    void failRefusesEvenVerifiedTls() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(tlsWithoutAuth().expect("QUIT", "221 bye"))) {
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> SmtpSession.open(startTls(server), LOGIN, HELO_NAME, AuthNotOffered.FAIL));
            assertTrue(e.getMessage().contains("authNotOffered=FAIL"), e.getMessage());
            server.verify();
        }
    }
}
