package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;

import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.auth.FixedAccessToken;
import io.catalystmail.camel.mailbox.SearchKey;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.net.TlsFailureException;
import io.catalystmail.camel.testsupport.GreenMailCertificates;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection setup, login and failure handling against a scripted peer, command by command. */
class ImapConnectionTest {

    private ScriptedImapServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private ConnectionSettings settings() {
        return ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofSeconds(5));
    }

    private static Credentials password(String user, String password) {
        return new Credentials(user, password, null, null);
    }

    @Test
    void pipelinedCommandsAnsweredOutOfOrderAreEachAwaitedAndAStrayTagIsAProtocolError() throws Exception {
        server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1] ready")
                .expect("NOOP")
                .expect("CHECK")
                // RFC 3501 §5.5: the server may finish the later command first
                .send("{tag} OK check done", "{tag-1} OK noop done")
                .expect("NOOP")
                .send("B7 OK not yours")
                .start();
        try (ImapConnection c = ImapConnection.connect(settings())) {
            String noop = c.send(new ImapCommand("NOOP"));
            String check = c.send(new ImapCommand("CHECK"));
            assertEquals("noop done", c.await(noop, null, null).text());
            assertEquals("check done", c.await(check, null, null).text());
            String again = c.send(new ImapCommand("NOOP"));
            ImapProtocolException stray = assertThrows(ImapProtocolException.class, () -> c.await(again, null, null));
            // the NOOP's own answer is still to come: the next command would read it as its own
            assertEquals("IMAP server 127.0.0.1:" + server.port() + " broke the protocol answering NOOP: tagged"
                    + " response for unknown tag 'B7'; the connection is dropped", stray.getMessage());
            assertFalse(c.isUsable());
        }
    }

    /**
     * A SEARCH answer's bound belongs to the command it was sent with: counted over all its lines, also when they are
     * read while awaiting a command pipelined after it, and over with its tagged answer, so untagged SEARCH lines of
     * another command, or of none, do not count against it.
     */
    @Test
    void searchAnswerBoundCountsTheLinesOfItsOwnCommandOnly() throws Exception {
        server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1] ready")
                .expect("UID SEARCH ALL")
                .send("* SEARCH 1 2", "* SEARCH 3", "{tag} OK three of three")
                .expect("UID SEARCH ALL")
                .send("* SEARCH 1 2 3 4 5", "{tag} OK unbounded")
                .expect("UID SEARCH ALL")
                .expect("NOOP")
                .send("* SEARCH 1 2 3", "{tag-1} OK three again", "* SEARCH 4 5 6 7", "{tag} OK noop")
                .expect("UID SEARCH ALL")
                .expect("NOOP")
                .send("* SEARCH 1 2", "* SEARCH 3 4")
                .start();
        ImapMessageOperations.AnswerSize three = new ImapMessageOperations.AnswerSize(3, "three");
        try (ImapConnection c = ImapConnection.connect(settings())) {
            ImapMessageOperations messages = new ImapMessageOperations(c);
            assertEquals(3, messages.search(new SearchKey.All(), Instant.EPOCH, three).size());
            assertEquals(5, messages.search(new SearchKey.All(), Instant.EPOCH).size());
            // the SEARCH lines after its tagged answer belong to no command in flight: not counted against it
            String search = c.send(new ImapCommand("UID SEARCH").raw("ALL").boundSearchAnswer(3, "three"));
            String noop = c.send(new ImapCommand("NOOP"));
            assertTrue(c.await(search, null, null).isOk());
            assertTrue(c.await(noop, null, null).isOk());
            // read while awaiting the NOOP pipelined after it, the fourth entry is still the bounded SEARCH's
            c.send(new ImapCommand("UID SEARCH").raw("ALL").boundSearchAnswer(3, "three"));
            String after = c.send(new ImapCommand("NOOP"));
            ImapProtocolException cut = assertThrows(ImapProtocolException.class, () -> c.await(after, null, null));
            assertTrue(cut.getMessage().matches(".* answering NOOP \\(2 commands in flight: A\\d+ UID SEARCH, A\\d+ NOOP\\)"
                    + ": its SEARCH answer names more messages than three; .*"), cut.getMessage());
            assertFalse(c.isUsable());
        }
    }

    /**
     * The bound is counted per sending, not kept on the command: one command sent twice may have its whole bound
     * answered twice (it was a counter on the command, so the second answer failed at its first entry).
     */
    @Test
    void aBoundedSearchSentAgainHasItsWholeBoundAgain() throws Exception {
        server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1] ready")
                .expect("UID SEARCH ALL")
                .send("* SEARCH 1 2 3", "{tag} OK three")
                .expect("UID SEARCH ALL")
                .send("* SEARCH 1 2 3", "{tag} OK three again")
                .start();
        ImapCommand search = new ImapCommand("UID SEARCH").raw("ALL").boundSearchAnswer(3, "three");
        try (ImapConnection c = ImapConnection.connect(settings())) {
            assertEquals("three", c.execute(search, null, null).text());
            assertEquals("three again", c.execute(search, null, null).text());
            assertTrue(c.isUsable());
        }
    }

    /**
     * UID SEARCH UID set LARGER n can only name messages of the set: an answer naming more is cut at once (the
     * operations producer's fetch asks it before every fetch), not read until fetchTimeout.
     */
    @Test
    void aLargerSearchAnsweredWithMoreMessagesThanAskedAboutIsCut() throws Exception {
        server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1] ready")
                .expect("UID SEARCH ALL UID 4:5 LARGER 100")
                .send("* SEARCH 5", "{tag} OK one")
                .expect("UID SEARCH ALL UID 4:5 LARGER 100")
                .send("* SEARCH 4 5", "* SEARCH 6")
                .start();
        try (ImapConnection c = ImapConnection.connect(settings())) {
            ImapMessageOperations messages = new ImapMessageOperations(c);
            assertEquals(List.of(5L), messages.larger(List.of(4L, 5L), 100).uids());
            ImapProtocolException cut = assertThrows(ImapProtocolException.class,
                    () -> messages.larger(List.of(4L, 5L), 100));
            assertTrue(cut.getMessage().contains("answering UID SEARCH: its SEARCH answer names more messages than the"
                    + " 2 message(s) asked about"), cut.getMessage());
            assertFalse(c.isUsable());
        }
    }

    @Test
    void loginQuotesPasswordWithQuoteAndBackslash() throws Exception {
        server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1] ready")
                .expect("LOGIN \"joe\" \"pa\\\\\"ss\\\\\\\\word\"")
                .send("{tag} OK [CAPABILITY IMAP4rev1 UIDPLUS] welcome")
                .start();
        try (ImapConnection c = ImapConnection.connect(settings())) {
            c.authenticate(password("joe", "pa\"ss\\word"));
            assertTrue(c.capabilities().has("UIDPLUS"));
            c.logout();
        }
        server.awaitEnd();
        assertEquals(List.of("LOGIN \"joe\" \"pa\\\"ss\\\\word\"", "LOGOUT"), server.received());
        assertEquals(List.of(), server.problems());
    }

    @Test
    void nonAsciiPasswordGoesAsSynchronizingLiteralOrLiteralPlus() throws Exception {
        server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1] ready")
                .expect("LOGIN \"joe\" \\{5\\}p\u00e4ss") // the peer sends "+" before the literal
                .send("{tag} OK [CAPABILITY IMAP4rev1] welcome")
                .start();
        try (ImapConnection c = ImapConnection.connect(settings())) {
            c.authenticate(password("joe", "p\u00e4ss"));
        }
        server.awaitEnd();
        assertEquals("LOGIN \"joe\" {5}p\u00e4ss", server.received().get(0));

        server.close();
        server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1 LITERAL+] ready")
                .expect("LOGIN \"joe\" \\{5\\+\\}p\u00e4ss")
                .send("{tag} OK [CAPABILITY IMAP4rev1] welcome")
                .start();
        try (ImapConnection c = ImapConnection.connect(settings())) {
            c.authenticate(password("joe", "p\u00e4ss"));
        }
        server.awaitEnd();
        assertEquals(List.of(), server.problems());
    }

    @Test
    void loginDisabledUntilStartTlsThenLoginOverTls() throws Exception {
        SSLContext serverTls = GreenMailCertificates.serverContext();
        server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready")
                .expect("STARTTLS")
                .send("{tag} OK begin TLS now")
                .startTls(serverTls)
                .expect("CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 IDLE", "{tag} OK done")
                .expect("LOGIN \"joe\" \"secret\"")
                .send("{tag} OK [CAPABILITY IMAP4rev1 IDLE MOVE] welcome")
                .start();
        // GreenMail's certificate names no host: trusted explicitly, host name check off for this peer only
        ConnectionSettings tls = new ConnectionSettings("127.0.0.1", server.port(), false, StartTlsMode.REQUIRED,
                GreenMailCertificates.trustingClientContext(), false, Duration.ofSeconds(5), Duration.ofSeconds(5),
                false);
        try (ImapConnection c = ImapConnection.connect(tls)) {
            assertTrue(c.isSecure());
            assertFalse(c.capabilities().has("LOGINDISABLED"));
            c.authenticate(password("joe", "secret"));
            assertTrue(c.capabilities().has("MOVE"));
            c.logout();
        }
        server.awaitEnd();
        assertEquals(List.of("STARTTLS", "CAPABILITY", "LOGIN \"joe\" \"secret\"", "LOGOUT"), server.received());
        assertEquals(List.of(), server.problems());
    }

    @Test
    void loginDisabledWithoutTlsSendsNoCredentials() throws Exception {
        server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready")
                .start();
        try (ImapConnection c = ImapConnection.connect(settings())) {
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> c.authenticate(password("joe", "secret")));
            assertTrue(e.getMessage().contains("LOGINDISABLED"), e.getMessage());
            assertFalse(e.getMessage().contains("secret"));
        }
        server.awaitEnd();
        assertEquals(List.of(), server.received());
    }

    @Test
    void startTlsRequiredButNotOfferedFailsBeforeAnyLogin() throws Exception {
        server = new ScriptedImapServer()
                .send("* OK ready")
                .expect("CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 AUTH=PLAIN", "{tag} OK done")
                .start();
        ConnectionSettings required = settings().withStartTls(StartTlsMode.REQUIRED, null);
        TlsFailureException e = assertThrows(TlsFailureException.class, () -> ImapConnection.connect(required));
        assertTrue(e.getMessage().contains("STARTTLS"), e.getMessage());
        server.awaitEnd();
        assertEquals(List.of("CAPABILITY"), server.received());
    }

    @Test
    void xoauth2WithInitialResponseSucceeds() throws Exception {
        String expected = Base64.getEncoder().encodeToString(
                "user=joe@example.org\u0001auth=Bearer tok-123\u0001\u0001".getBytes(StandardCharsets.UTF_8));
        server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=PLAIN] ready")
                .expect("AUTHENTICATE XOAUTH2 " + expected.replace("+", "\\+"))
                .send("{tag} OK [CAPABILITY IMAP4rev1 UIDPLUS] authenticated")
                .start();
        try (ImapConnection c = ImapConnection.connect(settings())) {
            c.authenticate(new Credentials("joe@example.org", null, user -> "tok-123", null));
            assertTrue(c.capabilities().has("UIDPLUS"));
        }
        server.awaitEnd();
        assertEquals(List.of(), server.problems());
    }

    @Test
    void xoauth2FailureChallengeIsAnsweredWithAnEmptyLine() throws Exception {
        String error = Base64.getEncoder().encodeToString(
                "{\"status\":\"401\",\"schemes\":\"bearer\"}".getBytes(StandardCharsets.UTF_8));
        server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] ready")
                .expect("AUTHENTICATE XOAUTH2 \\S+")
                .send("+ " + error)
                .expectLine("")
                .send("{tag} NO [AUTHENTICATIONFAILED] Invalid credentials")
                .start();
        try (ImapConnection c = ImapConnection.connect(settings())) {
            // a fixed token: nothing to refresh, so no second attempt (TokenRefreshTest covers the retry)
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> c.authenticate(
                    new Credentials("joe@example.org", null, new FixedAccessToken("tok-123"), null)));
            assertTrue(e.getMessage().contains("Invalid credentials"), e.getMessage());
            assertFalse(e.getMessage().contains("tok-123"));
        }
        server.awaitEnd();
        assertEquals(List.of(), server.problems());
    }

    @Test
    void byeInTheMiddleEndsTheCommandWithTheServerText() throws Exception {
        server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1] hello")
                .expect("NOOP")
                .send("* BYE server shutting down")
                .cut()
                .start();
        try (ImapConnection c = ImapConnection.connect(settings())) {
            ImapCommandException e = assertThrows(ImapCommandException.class,
                    () -> c.execute(new ImapCommand("NOOP"), null, null));
            assertEquals("BYE", e.status());
            assertTrue(e.getMessage().contains("server shutting down"));
            assertFalse(c.isUsable());
        }
    }

    @Test
    void stalledServerTimesOut() throws Exception {
        server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1] hello")
                .expect("NOOP")
                .stall()
                .start();
        ConnectionSettings quick = ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofMillis(300));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try (ImapConnection c = ImapConnection.connect(quick)) {
                assertThrows(SocketTimeoutException.class, () -> c.execute(new ImapCommand("NOOP"), null, null));
                assertFalse(c.isUsable());
            }
        });
    }

    @Test
    void greetingByeIsReported() throws Exception {
        server = new ScriptedImapServer().send("* BYE too many connections").cut().start();
        ImapCommandException e = assertThrows(ImapCommandException.class, () -> ImapConnection.connect(settings()));
        assertTrue(e.getMessage().contains("too many connections"));
    }

    @Test
    void commandsNeverCarryLineBreaksOrShowSecrets() {
        assertThrows(IllegalArgumentException.class, () -> new ImapCommand("SELECT").raw("INBOX\r\nA2 DELETE x"));
        assertThrows(IllegalArgumentException.class, () -> new ImapCommand("STORE").atom("bad flag"));
        assertThrows(IllegalArgumentException.class, () -> new ImapCommand("LOGIN").string("a\0b"));
        ImapCommand login = new ImapCommand("LOGIN").string("joe").secret("hunter2");
        assertEquals("LOGIN \"joe\" ***", login.loggable());
        ImapCommand withLineBreak = new ImapCommand("UID SEARCH").raw("SUBJECT").string("a\r\nb");
        assertEquals("UID SEARCH SUBJECT {4}", withLineBreak.loggable());
    }
}
