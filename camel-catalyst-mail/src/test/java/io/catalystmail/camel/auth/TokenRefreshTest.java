package io.catalystmail.camel.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.catalystmail.camel.imap.ImapConnection;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.pop3.Pop3MailboxSession;
import io.catalystmail.camel.smtp.SmtpSession;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import io.catalystmail.camel.testsupport.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;

/**
 * A token the server refuses as expired is replaced once by a fresh one from the supplier, on IMAP, POP3 and SMTP,
 * with XOAUTH2 and OAUTHBEARER; a second refusal fails with the server's reason; a fixed token is not retried.
 */
class TokenRefreshTest {

    private static final String USER = "joe@example.org";
    private static final String EXPIRED_401 = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://mail.google.com/\"}";
    private static final String INVALID_TOKEN = "{\"status\":\"invalid_token\",\"scope\":\"mail\"}";

    /** Hands out "stale-token" from its cache and "fresh-N" when told the last one was refused. */
    static final class ExpiringSupplier implements AccessTokenSupplier {
        final List<String> calls = new ArrayList<>();

        @Override
        public String accessToken(String username) {
            calls.add("cached");
            return "stale-token";
        }

        @Override
        public String refreshedAccessToken(String username) {
            calls.add("refreshed");
            return "fresh-" + calls.size();
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String xoauth2(String token) {
        return b64("user=" + USER + "\u0001auth=Bearer " + token + "\u0001\u0001");
    }

    private static String oauthBearer(String token) {
        return b64("n,a=" + USER + ",\u0001auth=Bearer " + token + "\u0001\u0001");
    }

    private static ConnectionSettings settings(int port) {
        return ConnectionSettings.plain("127.0.0.1", port, Duration.ofSeconds(5));
    }

    @Test
    void imapXoauth2RefusedAsExpiredIsRetriedOnceWithAFreshToken() throws Exception {
        ExpiringSupplier tokens = new ExpiringSupplier();
        try (ScriptedImapServer server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] ready")
                .expect("AUTHENTICATE XOAUTH2 " + xoauth2("stale-token").replace("+", "\\+"))
                .send("+ " + b64(EXPIRED_401))
                .expectLine("")
                .send("{tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)")
                .expect("AUTHENTICATE XOAUTH2 " + xoauth2("fresh-2").replace("+", "\\+"))
                .send("{tag} OK [CAPABILITY IMAP4rev1 UIDPLUS] authenticated")
                .start();
             ImapConnection c = ImapConnection.connect(settings(server.port()))) {
            c.authenticate(new Credentials(USER, null, tokens, null));
            assertTrue(c.capabilities().has("UIDPLUS"));
            c.close();
            server.awaitEnd();
            assertEquals(List.of(), server.problems());
        }
        assertEquals(List.of("cached", "refreshed"), tokens.calls);
    }

    @Test
    void imapSecondRefusalFailsWithTheServersReason() throws Exception {
        ExpiringSupplier tokens = new ExpiringSupplier();
        try (ScriptedImapServer server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] ready")
                .expect("AUTHENTICATE XOAUTH2 \\S+")
                .send("+ " + b64(EXPIRED_401)).expectLine("")
                .send("{tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)")
                .expect("AUTHENTICATE XOAUTH2 \\S+")
                .send("+ " + b64(EXPIRED_401)).expectLine("")
                .send("{tag} NO [AUTHENTICATIONFAILED] Still invalid")
                .start();
             ImapConnection c = ImapConnection.connect(settings(server.port()))) {
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> c.authenticate(new Credentials(USER, null, tokens, null)));
            assertTrue(e.getMessage().contains("Still invalid"), e.getMessage());
            assertTrue(e.getMessage().contains("\"status\":\"401\""), e.getMessage());
            assertTrue(e.getMessage().contains("refused again with a fresh token"), e.getMessage());
            assertFalse(e.getMessage().contains("fresh-2") || e.getMessage().contains("stale-token"), e.getMessage());
            c.close();
            server.awaitEnd();
            assertEquals(List.of(), server.problems());
        }
        assertEquals(List.of("cached", "refreshed"), tokens.calls);
    }

    @Test
    void imapOauthBearerAcknowledgesTheErrorWithASeparatorAndRefreshes() throws Exception {
        ExpiringSupplier tokens = new ExpiringSupplier();
        try (ScriptedImapServer server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=OAUTHBEARER] ready")
                .expect("AUTHENTICATE OAUTHBEARER " + oauthBearer("stale-token").replace("+", "\\+"))
                .send("+ " + b64(INVALID_TOKEN))
                // RFC 7628 §3.2.3: the client answers the error with a single %x01
                .expectLine(b64("\u0001"))
                .send("{tag} NO SASL authentication failed")
                .expect("AUTHENTICATE OAUTHBEARER " + oauthBearer("fresh-2").replace("+", "\\+"))
                .send("{tag} OK authenticated")
                .expect("CAPABILITY")
                .send("* CAPABILITY IMAP4rev1", "{tag} OK done")
                .start();
             ImapConnection c = ImapConnection.connect(settings(server.port()))) {
            c.authenticate(new Credentials(USER, null, tokens, null));
            c.close();
            server.awaitEnd();
            assertEquals(List.of(), server.problems());
        }
    }

    @Test
    void anErrorThatIsNotAboutTheTokenIsNotRetried() throws Exception {
        ExpiringSupplier tokens = new ExpiringSupplier();
        try (ScriptedImapServer server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=OAUTHBEARER] ready")
                .expect("AUTHENTICATE OAUTHBEARER \\S+")
                .send("+ " + b64("{\"status\":\"insufficient_scope\",\"scope\":\"mail\"}"))
                .expectLine(b64("\u0001"))
                .send("{tag} NO SASL authentication failed")
                .start();
             ImapConnection c = ImapConnection.connect(settings(server.port()))) {
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> c.authenticate(new Credentials(USER, null, tokens, null)));
            assertTrue(e.getMessage().contains("insufficient_scope"), e.getMessage());
            c.close();
            server.awaitEnd();
            assertEquals(List.of(), server.problems());
        }
        assertEquals(List.of("cached"), tokens.calls);
    }

    @Test
    void smtpXoauth2ExpiredIsRetriedWithAFreshToken() throws Exception {
        ExpiringSupplier tokens = new ExpiringSupplier();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(ScriptedSmtpServer.script()
                .greet("220 test.example ESMTP")
                .expect("EHLO", "250-test.example\n250 AUTH XOAUTH2")
                .expect("AUTH XOAUTH2 " + xoauth2("stale-token"), "334 " + b64(EXPIRED_401))
                .expect("", "535-5.7.8 Username and Password not accepted.\n535 5.7.8 Learn more")
                .expect("AUTH XOAUTH2 " + xoauth2("fresh-2"), "235 2.7.0 Accepted")
                .expect("QUIT", "221 bye"))) {
            SmtpSession.open(settings(server.port()), new Credentials(USER, null, tokens, null), "client.test").close();
            server.verify();
        }
        assertEquals(List.of("cached", "refreshed"), tokens.calls);
    }

    @Test
    void smtp535WithoutDetailAsMicrosoftSendsIsRetriedAndTheSecondFailureNamesTheReply() throws Exception {
        ExpiringSupplier tokens = new ExpiringSupplier();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(ScriptedSmtpServer.script()
                .greet("220 test.example ESMTP")
                .expect("EHLO", "250-test.example\n250 AUTH LOGIN XOAUTH2")
                .expect("AUTH XOAUTH2 ", "535 5.7.3 Authentication unsuccessful")
                .expect("AUTH XOAUTH2 ", "535 5.7.139 Authentication unsuccessful, the user credentials were incorrect")
                .expect("QUIT", "221 bye"))) {
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> SmtpSession.open(
                    settings(server.port()), new Credentials(USER, null, tokens, null), "client.test"));
            server.verify();
            assertTrue(e.getMessage().contains("535 5.7.139"), e.getMessage());
            assertTrue(e.getMessage().contains("refused again with a fresh token"), e.getMessage());
        }
    }

    @Test
    void smtpFixedAccessTokenIsNotRetried() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(ScriptedSmtpServer.script()
                .greet("220 test.example ESMTP")
                .expect("EHLO", "250-test.example\n250 AUTH OAUTHBEARER")
                .expect("AUTH OAUTHBEARER " + oauthBearer("fixed"), "334 " + b64(INVALID_TOKEN))
                .expect(b64("\u0001"), "535 5.7.8 invalid token")
                .expect("QUIT", "221 bye"))) {
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> SmtpSession.open(
                    settings(server.port()), new Credentials(USER, null, new FixedAccessToken("fixed"), null),
                    "client.test"));
            server.verify();
            assertTrue(e.getMessage().contains("535 5.7.8 invalid token"), e.getMessage());
            assertTrue(e.getMessage().contains("invalid_token"), e.getMessage());
        }
    }

    @Test
    void pop3Xoauth2ExpiredIsRetriedWithAFreshToken() throws Exception {
        ExpiringSupplier tokens = new ExpiringSupplier();
        try (ScriptedPop3Server server = new ScriptedPop3Server().capabilities("UIDL", "SASL XOAUTH2")
                .account(USER, null, "fresh-2").add("u1", "Subject: hi\r\n\r\nhello\r\n").start();
             Pop3MailboxSession session = new Pop3MailboxSession(settings(server.port()),
                     new Credentials(USER, null, tokens, null))) {
            session.open();
            assertEquals(List.of(), server.errors());
            assertEquals(2, server.commands().stream().filter(c -> c.startsWith("AUTH XOAUTH2")).count(),
                    server.commands().toString());
        }
        assertEquals(List.of("cached", "refreshed"), tokens.calls);
    }
}
