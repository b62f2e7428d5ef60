package io.catalystmail.camel.faults;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.regex.Pattern;

import io.catalystmail.camel.auth.AccountTag;
import io.catalystmail.camel.imap.ImapProtocolException;
import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import io.catalystmail.camel.testsupport.ScriptedSmtpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.catalystmail.camel.testsupport.CapturedExceptions.rootCause;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user reads when a server refuses something, one representative failure per protocol, as the consumer's
 * exception handler or the producer's exchange gets it: the server (host and port), the command, and what the server
 * said, never the password or the arguments of LOGIN and AUTH.
 */
class ErrorTextsNameTheServerTest {

    private static final String PASSWORD = "s3cret-Pa55";

    private final CamelContext context = new DefaultCamelContext();
    private final CapturedExceptions failures = new CapturedExceptions();

    @AfterEach
    void stop() {
        context.stop();
    }

    /** The first failure a consumer on {@code uri} hands to its exception handler, as the user reads it. */
    private String firstPollFailure(String uri) throws Exception {
        return rootCause(firstFailure(uri)).getMessage();
    }

    private Throwable firstFailure(String uri) throws Exception {
        context.getRegistry().bind("failures", failures);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri + "&exceptionHandler=#failures&initialDelay=0&delay=600000").log("${header.Subject}");
            }
        });
        context.start();
        return failures.next(Duration.ofSeconds(30));
    }

    /** A server that greets with PREAUTH and {@code capabilities}, then answers the delimiter LIST and SELECT INBOX. */
    private static ScriptedImapServer inboxSelected(String capabilities) {
        return new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY " + capabilities + "] logged in")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK listed")
                .expect("SELECT \"INBOX\"")
                .send("* 1 EXISTS", "* OK [UIDVALIDITY 7] ok", "{tag} OK [READ-WRITE] selected");
    }

    private static void assertNoSecret(String text) {
        assertFalse(text.contains(PASSWORD), "the password shows in: " + text);
    }

    @Test
    void anImapCommandRefusedNamesTheServerTheCommandAndTheServersAnswer() throws Exception {
        try (ScriptedImapServer server = inboxSelected("IMAP4rev1")
                .expect("UID SEARCH .*").send("{tag} NO [SERVERBUG] search backend down")
                .start();
             CapturedLog log = new CapturedLog()) {
            String text = firstPollFailure("catalystmail:imap:127.0.0.1:" + server.port()
                                           + "?username=sam&password=" + PASSWORD);

            assertEquals("IMAP server 127.0.0.1:" + server.port()
                         + " answered UID SEARCH with NO [SERVERBUG]: search backend down", text);
            assertNoSecret(log.text());
        }
    }

    /** The JDK says only "Unsupported or unrecognized SSL message" when imaps meets a port that speaks plain text. */
    @Test
    void implicitTlsAgainstAPlainPortNamesTheServerAndTheFix() throws Exception {
        try (ScriptedImapServer server = new ScriptedImapServer().send("* OK [CAPABILITY IMAP4rev1] ready")
                .stall().start()) {
            Throwable failure = firstFailure("catalystmail:imaps:127.0.0.1:" + server.port()
                                             + "?username=sam&password=" + PASSWORD);

            Throwable tls = failure;
            while (tls != null && !String.valueOf(tls.getMessage()).startsWith("TLS handshake with ")) {
                tls = tls.getCause();
            }
            assertNotNull(tls, "no failure names the TLS handshake: " + failure);
            assertTrue(tls.getMessage().startsWith("TLS handshake with 127.0.0.1:" + server.port() + " failed: "),
                    tls.getMessage());
            assertTrue(tls.getMessage().endsWith("use its plain scheme with startTls instead of imaps, pop3s or smtps"),
                    tls.getMessage());
        }
    }

    /** The JDK says only "Connection reset": a poll failed by a dying server would not say which. */
    @Test
    void anImapConnectionResetNamesTheServerAndTheCommand() throws Exception {
        try (ScriptedImapServer server = inboxSelected("IMAP4rev1").expect("UID SEARCH .*").reset().start()) {
            Throwable failure = firstFailure("catalystmail:imap:127.0.0.1:" + server.port()
                                             + "?username=sam&password=" + PASSWORD);

            Throwable reset = firstSocketException(failure);
            assertTrue(reset.getMessage().startsWith("IMAP server 127.0.0.1:" + server.port()
                       + " lost the connection during UID SEARCH: "), reset.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // RFC 2342 §5: three parts, the personal namespaces, other users', shared; this one sends two
        "NAMESPACE | * PREAUTH [CAPABILITY IMAP4rev1 NAMESPACE] logged in | NAMESPACE | * NAMESPACE ((\"\" \"/\")) NIL"
            + " | NAMESPACE response with 2 parts instead of 3",
        // RFC 3501 §6.3.8: the hierarchy delimiter is one character or NIL
        "LIST | * PREAUTH [CAPABILITY IMAP4rev1] logged in | LIST \"\" \"\" | * LIST (\\Noselect) \"ab\" \"\""
            + " | hierarchy delimiter 'ab' is not one character"})
    void anImapAnswerThatCannotBeUsedNamesTheServerAndTheCommandButNoArguments(String command, String greeting,
            String expected, String answer, String detail) throws Exception {
        try (ScriptedImapServer server = new ScriptedImapServer()
                .send(greeting)
                .expect(Pattern.quote(expected)).send(answer, "{tag} OK done")
                .start();
             CapturedLog log = new CapturedLog()) {
            Throwable failure = firstFailure("catalystmail:imap:127.0.0.1:" + server.port()
                                             + "?username=sam&password=" + PASSWORD);
            String text = outermostImapFailure(failure);

            assertEquals("IMAP server 127.0.0.1:" + server.port() + " answered " + command
                         + " with a response this client cannot use: " + detail, text);
            assertNoSecret(log.text());
        }
    }

    @Test
    void anEsearchAnswerThatCannotBeUsedNamesTheServerAndUidSearchButNotTheCriteria() throws Exception {
        try (ScriptedImapServer server = inboxSelected("IMAP4rev1 ESEARCH")
                // RFC 4731 §3.1: ALL carries a sequence set, not a list
                .expect("UID SEARCH .*").send("* ESEARCH (TAG \"{tag}\") UID ALL (1 2)", "{tag} OK searched")
                .start();
             CapturedLog log = new CapturedLog()) {
            Throwable failure = firstFailure("catalystmail:imap:127.0.0.1:" + server.port()
                                             + "?username=sam&password=" + PASSWORD + "&searchSubject=invoice");

            assertEquals("IMAP server 127.0.0.1:" + server.port() + " answered UID SEARCH with a response this"
                         + " client cannot use: expected a string, got a list", outermostImapFailure(failure));
            assertNoSecret(log.text());
        }
    }

    /** The failure around the parser's own detail (its cause), as the user reads it first. */
    private static String outermostImapFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ImapProtocolException) {
                return t.getMessage();
            }
        }
        return rootCause(failure).getMessage();
    }

    @Test
    void anImapLoginRefusedNamesTheServerAndTheAccountButNeitherUserNorPassword() throws Exception {
        try (ScriptedImapServer server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1] ready")
                .expect("LOGIN .*").send("{tag} NO [AUTHENTICATIONFAILED] Invalid credentials")
                .start();
             CapturedLog log = new CapturedLog()) {
            String text = firstPollFailure("catalystmail:imap:127.0.0.1:" + server.port()
                                           + "?username=sam&password=" + PASSWORD);

            assertEquals("IMAP server 127.0.0.1:" + server.port()
                         + " refused LOGIN for account " + AccountTag.of("sam") + ": NO Invalid credentials", text.replace(" [AUTHENTICATIONFAILED]", ""));
            assertNoSecret(text);
            assertNoSecret(log.text());
        }
    }

    /**
     * Several accounts may log in to one server: AUTHENTICATE's refusal names the account as LOGIN's does, by its
     * tag, as the user name is a secret in the catalog.
     */
    @Test
    void anImapAuthenticateRefusedNamesTheServerTheMechanismAndTheAccountButNeitherUserNorPassword() throws Exception {
        try (ScriptedImapServer server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready")
                .expect("AUTHENTICATE PLAIN \\S+").send("{tag} NO [AUTHENTICATIONFAILED] Invalid credentials")
                .start();
             CapturedLog log = new CapturedLog()) {
            String text = firstPollFailure("catalystmail:imap:127.0.0.1:" + server.port()
                                           + "?username=sam&password=" + PASSWORD);

            assertEquals("IMAP server 127.0.0.1:" + server.port() + " refused AUTHENTICATE PLAIN for account "
                         + AccountTag.of("sam") + ": NO"
                         + " Invalid credentials", text.replace(" [AUTHENTICATIONFAILED]", ""));
            assertNoSecret(text);
            assertNoSecret(log.text());
            String plain = java.util.Base64.getEncoder().encodeToString(("\0sam\0" + PASSWORD)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertFalse(log.text().contains(plain) || text.contains(plain), "the SASL response shows: " + log.text());
        }
    }

    /**
     * Found stopping Dovecot under a running POP3 consumer: the poll then failed with the JDK's bare "Connection
     * reset" and its stack trace, naming no server, as the connection was accepted and reset before the greeting.
     */
    @Test
    void aPop3ConnectionResetBeforeTheGreetingNamesTheServer() throws Exception {
        try (ServerSocket dying = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread resetter = new Thread(() -> {
                try (Socket accepted = dying.accept()) {
                    accepted.setSoLinger(true, 0);
                } catch (IOException e) {
                    // the test fails on what the client read, not here
                }
            });
            resetter.start();
            Throwable failure = firstFailure("catalystmail:pop3:127.0.0.1:" + dying.getLocalPort()
                                             + "?username=anna&password=" + PASSWORD);
            resetter.join(10_000);

            // the JDK says "Connection reset" or "Connection reset by peer", depending on where the RST meets the read;
            // one that meets the wait for the greeting's first octet, still part of connecting (ConnectFailures), is
            // named as a failed connect: both forms name the server (the JDK's alone did not)
            String text = firstSocketException(failure).getMessage();
            String server = "POP3 server 127.0.0.1:" + dying.getLocalPort();
            assertTrue(text.startsWith(server + " lost the connection before greeting: Connection reset")
                       || text.startsWith("Cannot connect to " + server + ": Connection reset"), text);
        }
    }

    @Test
    void aPop3ConnectionResetWhileLoggingInNamesTheServerAndTheCommand() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server().resetOn("CAPA").start()) {
            Throwable failure = firstFailure("catalystmail:pop3:127.0.0.1:" + server.port()
                                             + "?username=anna&password=" + PASSWORD);

            String text = firstSocketException(failure).getMessage();
            assertTrue(text.startsWith("POP3 server 127.0.0.1:" + server.port() + " lost the connection before"
                                       + " answering (last command sent: CAPA): Connection reset"), text);
        }
    }

    private static Throwable firstSocketException(Throwable failure) {
        Throwable reset = failure;
        while (reset != null && !(reset instanceof SocketException)) {
            reset = reset.getCause();
        }
        assertInstanceOf(SocketException.class, reset, "no SocketException in the chain of " + failure);
        return reset;
    }

    @Test
    void aPop3LoginRefusedNamesTheServerTheCommandAndTheServersAnswer() throws Exception {
        ScriptedPop3Server server = new ScriptedPop3Server().start();
        try (server; CapturedLog log = new CapturedLog()) {
            String text = firstPollFailure("catalystmail:pop3:127.0.0.1:" + server.port()
                                           + "?username=anna&password=" + PASSWORD);

            // the scripted server offers SASL PLAIN, which the client prefers over USER/PASS
            assertEquals("POP3 server 127.0.0.1:" + server.port()
                         + " refused AUTH PLAIN for account " + AccountTag.of("anna")
                         + ": -ERR [AUTH] invalid credentials", text);
            assertNoSecret(text);
            assertNoSecret(log.text());
        }
    }

    /** Worded as the IMAP and POP3 refusals above: protocol and server, command and mechanism, account, the reply. */
    @Test
    void anSmtpLoginRefusedNamesTheServerTheMechanismAndTheAccountButNeitherUserNorPassword() throws Exception {
        assertSmtpSendFails(ScriptedSmtpServer.script()
                .greet("220 scripted ESMTP")
                .expect("EHLO", "250-scripted\n250 AUTH PLAIN")
                .expect("AUTH PLAIN", "535 5.7.8 authentication failed")
                .expect("QUIT", "221 bye"),
                "SMTP server 127.0.0.1:%d refused AUTH PLAIN for account " + AccountTag.of("sam")
                + ": 535 5.7.8 authentication failed");
    }

    @Test
    void anSmtpSenderRefusedNamesTheServerTheCommandAndTheServersReply() throws Exception {
        assertSmtpSendFails(ScriptedSmtpServer.script()
                .greet("220 scripted ESMTP")
                .expect("EHLO", "250-scripted\n250 AUTH PLAIN")
                .expect("AUTH PLAIN", "235 2.7.0 ok")
                .expect("MAIL FROM:<sender@example.com>", "550 5.7.1 sender not allowed here")
                .expect("QUIT", "221 bye"), "127.0.0.1:%d refused MAIL FROM: 550 5.7.1 sender not allowed here");
    }

    /**
     * Sends one mail as sam to the scripted server and asserts the failure's text ({@code %d} standing for the
     * server's port), with no secret in it or in the log.
     */
    private void assertSmtpSendFails(ScriptedSmtpServer.Script script, String expected) throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(script); CapturedLog log = new CapturedLog()) {
            context.start();
            Exchange result = context.createProducerTemplate().send("catalystmail:smtp:127.0.0.1:" + server.port()
                    + "?from=sender@example.com&to=rcpt@example.com&username=sam&password=" + PASSWORD,
                    e -> e.getIn().setBody("hello"));

            assertNotNull(result.getException());
            String text = rootCause(result.getException()).getMessage();
            assertEquals(String.format(expected, server.port()), text);
            assertNoSecret(text);
            assertNoSecret(log.text());
        }
    }

    /** A loopback port nothing listens on: bound, then closed, so a connect there is refused. */
    private static int refusingPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The first failure in {@code failure}'s chain that says it could not connect (what the one-line log shows). */
    private static Throwable connectFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("Cannot connect to ")) {
                return t;
            }
        }
        throw new AssertionError("no failure says it could not connect", failure);
    }

    /** The JDK says only "Connection refused": an outage would be logged on every poll without saying where. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"imap, IMAP", "pop3, POP3"})
    void aConsumerWhoseServerRefusesTheConnectionNamesTheServer(String protocol, String name) throws Exception {
        int port = refusingPort();
        Throwable failure = connectFailure(firstFailure("catalystmail:" + protocol + ":127.0.0.1:" + port
                                                        + "?username=sam&password=" + PASSWORD));

        ConnectException refused = assertInstanceOf(ConnectException.class, failure);
        assertEquals("Cannot connect to " + name + " server 127.0.0.1:" + port + ": Connection refused",
                refused.getMessage());
    }

    /**
     * A plain-text client on a port that expects TLS first (993, 995, 465): the server waits for the handshake, the
     * client for a greeting, and a read timeout alone does not say that the scheme is the mistake.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"imap", "pop3", "smtp"})
    void aPlainClientOnAPortThatWaitsForTlsIsToldToUseTheTlsScheme(String protocol) throws Exception {
        try (ServerSocket waitsForTls = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String uri = "catalystmail:" + protocol + ":127.0.0.1:" + waitsForTls.getLocalPort() + "?readTimeout=300";
            Throwable failure;
            if (protocol.equals("smtp")) {
                context.start();
                failure = context.createProducerTemplate().send(uri + "&from=sender@example.com&to=rcpt@example.com",
                        e -> e.getIn().setBody("hello")).getException();
            } else {
                failure = firstFailure(uri + "&username=sam&password=" + PASSWORD);
            }
            assertTrue(messages(failure).contains("127.0.0.1:" + waitsForTls.getLocalPort()), messages(failure));
            assertTrue(messages(failure).contains("; if this port expects TLS from the first byte (993, 995, 465), use"
                    + " imaps, pop3s or smtps (or secure=true)"), messages(failure));
        }
    }

    /** An IMAP client on an SMTP port reads '220 host ESMTP' as a tagged response with the status 'HOST'. */
    @Test
    void anImapClientGreetedByAnotherProtocolIsAskedWhetherThePortIsAnImapOne() throws Exception {
        try (ScriptedImapServer smtp = new ScriptedImapServer().send("220 mail.example.test ESMTP Postfix").stall().start()) {
            Throwable failure = firstFailure("catalystmail:imap:127.0.0.1:" + smtp.port() + "?username=sam&password=" + PASSWORD);

            assertTrue(messages(failure).contains("this is no IMAP greeting: is 127.0.0.1:" + smtp.port()
                    + " an IMAP port (143, or 993 with imaps)?"), messages(failure));
        }
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void aProducerWhoseServerRefusesTheConnectionNamesTheServer() throws Exception {
        int port = refusingPort();
        context.start();
        Exchange result = context.createProducerTemplate().send("catalystmail:smtp:127.0.0.1:" + port
                + "?from=sender@example.com&to=rcpt@example.com", e -> e.getIn().setBody("hello"));

        assertNotNull(result.getException());
        ConnectException refused = assertInstanceOf(ConnectException.class, connectFailure(result.getException()));
        assertEquals("Cannot connect to SMTP server 127.0.0.1:" + port + ": Connection refused", refused.getMessage());
    }
}
