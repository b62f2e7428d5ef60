package io.catalystmail.camel.pop3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.auth.AccountTag;
import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.testsupport.GreenMailCertificates;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Pop3MailboxSessionScriptedTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final Credentials ANNA = new Credentials("anna", "s3cret!", null, null);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private ScriptedPop3Server server() throws IOException {
        ScriptedPop3Server server = new ScriptedPop3Server();
        toClose.add(server);
        return server;
    }

    private Pop3MailboxSession session(ScriptedPop3Server server, Credentials credentials) {
        Pop3MailboxSession session = new Pop3MailboxSession(
                ConnectionSettings.plain("127.0.0.1", server.port(), TIMEOUT), credentials);
        toClose.add(session);
        return session;
    }

    private static String mail(String subject, String body) {
        return "From: someone@example.org\r\nSubject: " + subject + "\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\n\r\n"
                + body + "\r\n";
    }

    private static Map<String, byte[]> fetchAll(Pop3MailboxSession session, List<MessageRef> refs) throws IOException {
        Map<String, byte[]> got = new LinkedHashMap<>();
        Map<MessageRef, Exception> failures = session.fetch(refs, m -> got.put(m.ref().id(), m.content().readAllBytes()));
        assertEquals(Map.of(), failures);
        return got;
    }

    private static String commands(ScriptedPop3Server server) {
        return String.join("|", server.commands());
    }

    @Test
    void pipelinesRetrAndDeleAndDeletesAtQuit() throws Exception {
        ScriptedPop3Server server = server().add("u1", mail("one", "1")).add("u2", mail("two", "2"))
                .add("u3", mail("three", "3")).holdReplies("RETR", 3).holdReplies("DELE", 3).start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        List<MessageRef> refs = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
        assertEquals(List.of("u1", "u2", "u3"), refs.stream().map(MessageRef::id).toList());
        Map<String, byte[]> got = fetchAll(session, refs);
        assertEquals(mail("two", "2"), new String(got.get("u2"), StandardCharsets.UTF_8));
        Map<MessageRef, AfterProcessing> delete = new LinkedHashMap<>();
        refs.forEach(r -> delete.put(r, new AfterProcessing(true, true, null, null)));
        session.apply(delete);
        assertEquals(List.of("u1", "u2", "u3"), server.maildropUidls(), "DELE only marks");
        session.close();
        assertTrue(session.quitSucceeded());
        assertEquals(List.of(), server.maildropUidls());
        String wire = new String(server.clientBytes(), StandardCharsets.US_ASCII);
        assertTrue(wire.contains("RETR 1\r\nRETR 2\r\nRETR 3\r\n"), wire);
        assertTrue(wire.contains("UIDL\r\nLIST\r\n"), wire);
        assertEquals(List.of(), server.errors());
    }

    /**
     * STAT, UIDL and LIST go out in one write: the server answers STAT only once LIST has arrived, so a client that
     * waits for STAT's answer before sending the listing commands times out.
     */
    @Test
    void listsWithStatUidlAndListInOneRoundTrip() throws Exception {
        ScriptedPop3Server server = server().add("u1", mail("one", "1")).add("u2", mail("two", "2"))
                .holdRepliesUntil("STAT", "LIST").start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        List<MessageRef> refs = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
        assertEquals(List.of("u1", "u2"), refs.stream().map(MessageRef::id).toList());
        assertEquals(List.of(mail("one", "1").length(), mail("two", "2").length()),
                refs.stream().map(r -> (int) r.size()).toList());
        session.close();
        assertEquals(List.of(), server.errors());
    }

    @Test
    void withoutPipeliningSendsOneCommandAtATime() throws Exception {
        ScriptedPop3Server server = server().capabilities("UIDL", "TOP", "USER").add("u1", mail("one", "1"))
                .add("u2", mail("two", "2")).holdReplies("RETR", 2).start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        List<MessageRef> refs = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
        // the server waits for a second RETR before answering the first: a client that does not pipeline times out
        assertThrows(SocketTimeoutException.class, () -> session.fetch(refs, m -> m.content().readAllBytes()));
        assertTrue(commands(server).endsWith("RETR 1"), commands(server));
    }

    @Test
    void identityIsAPopUrlWithPercentEncoding() throws Exception {
        ScriptedPop3Server server = server().account("anna@example.org", "pw", "t").add("a/b%~", mail("x", "y")).start();
        Pop3MailboxSession session = session(server, new Credentials("anna@example.org", "pw", null, null));
        session.open();
        MessageRef ref = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0).get(0);
        assertEquals("pop://anna%40example.org@127.0.0.1:" + server.port() + "/;UIDL=a%2Fb%25~", ref.identity());
        assertEquals(1, ref.number());
        assertEquals(mail("x", "y").length(), ref.size());
        assertEquals(null, ref.date());
    }

    /**
     * RFC 1939 §5 and §7 give one "msg-number SP value" line per message, and say no more about their order; servers
     * have separated the fields by more than one space. The listing is taken by message number whatever the order,
     * the fields split at any run of white space, anything after the value ignored, and each size stays with its
     * message (the sizes differ, so a size given to the wrong message shows).
     */
    @Test
    void aListingInAnyOrderWithAnyWhiteSpaceIsTakenByMessageNumber() throws Exception {
        ScriptedPop3Server server = server().add("u1", mail("one", "1")).add("u2", mail("two", "22"))
                .add("u3", mail("three", "333")).listingLines(lines -> {
                    List<String> reshaped = new ArrayList<>();
                    lines.forEach(line -> reshaped.add(0, "  " + line.replace(" ", " \t ") + "\tnot a field"));
                    return reshaped;
                }).start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        List<MessageRef> refs = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
        assertEquals(List.of("u1", "u2", "u3"), refs.stream().map(MessageRef::id).toList());
        assertEquals(List.of(1, 2, 3), refs.stream().map(MessageRef::number).toList());
        assertEquals(List.of((long) mail("one", "1").length(), (long) mail("two", "22").length(),
                (long) mail("three", "333").length()), refs.stream().map(MessageRef::size).toList());
        assertEquals(mail("three", "333"), new String(fetchAll(session, refs).get("u3"), StandardCharsets.UTF_8));
        assertEquals(List.of(), server.errors());
    }

    @Test
    void apopIsPreferredOverPassOnPlainConnectionsAndTheDigestIsChecked() throws Exception {
        ScriptedPop3Server server = server().capabilities("UIDL", "USER").start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        // MD5("<4711.1700000000@scripted.example>s3cret!"), computed independently of the client
        assertTrue(server.commands().contains("APOP anna " + md5Hex("<4711.1700000000@scripted.example>s3cret!")),
                commands(server));
        assertFalse(commands(server).contains("PASS"));
        session.close();

        Pop3MailboxSession wrong = session(server, new Credentials("anna", "wrong", null, "APOP"));
        AuthenticationException e = assertThrows(AuthenticationException.class, wrong::open);
        assertTrue(e.getMessage().contains("refused APOP for account " + AccountTag.of("anna") + ": -ERR [AUTH] invalid credentials"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong"));
    }

    @Test
    void apopRequestedWithoutTimestampIsRefusedClearly() throws Exception {
        ScriptedPop3Server server = server().greeting("+OK no timestamp here").capabilities("UIDL").start();
        AuthenticationException e = assertThrows(AuthenticationException.class,
                session(server, new Credentials("anna", "s3cret!", null, "APOP"))::open);
        assertTrue(e.getMessage().contains("has no APOP timestamp"), e.getMessage());
    }

    @Test
    void userPassWhenNoTimestampAndNoSasl() throws Exception {
        ScriptedPop3Server server = server().greeting("+OK hello").capabilities("UIDL", "USER").start();
        session(server, ANNA).open();
        assertTrue(commands(server).contains("USER anna|PASS s3cret!"), commands(server));
    }

    @Test
    void authPlain() throws Exception {
        ScriptedPop3Server server = server().capabilities("UIDL", "SASL PLAIN").start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        String plain = java.util.Base64.getEncoder().encodeToString("\0anna\0s3cret!".getBytes(StandardCharsets.UTF_8));
        assertTrue(server.commands().contains("AUTH PLAIN " + plain), commands(server));
        assertTrue(session.isAlive());
        session.close();

        AuthenticationException e = assertThrows(AuthenticationException.class,
                session(server, new Credentials("anna", "nope", null, null))::open);
        assertTrue(e.getMessage().contains("refused AUTH PLAIN"), e.getMessage());
    }

    @Test
    void authXoauth2WithShortAndLongTokensAndTheFailureDance() throws Exception {
        String longToken = "t".repeat(600);
        ScriptedPop3Server server = server().capabilities("UIDL", "SASL PLAIN XOAUTH2").account("anna", null, longToken)
                .start();
        session(server, new Credentials("anna", null, u -> longToken, null)).open();
        // RFC 5034 §4: too long for the AUTH line, so it follows the server's empty challenge
        assertTrue(commands(server).startsWith("CAPA|AUTH XOAUTH2|"), commands(server));

        ScriptedPop3Server short1 = server().capabilities("UIDL", "SASL XOAUTH2").account("anna", null, "abc").start();
        Pop3MailboxSession ok = session(short1, new Credentials("anna", null, u -> "abc", null));
        ok.open();
        ok.close();
        assertTrue(commands(short1).startsWith("CAPA|AUTH XOAUTH2 dXNlcj1hbm5hAWF1dGg9QmVhcmVyIGFiYwEB|CAPA"),
                commands(short1));

        AuthenticationException e = assertThrows(AuthenticationException.class,
                session(short1, new Credentials("anna", null, u -> "expired", null))::open);
        assertTrue(e.getMessage().contains("refused AUTH XOAUTH2 for account " + AccountTag.of("anna") + ": -ERR [AUTH]"), e.getMessage());
        assertFalse(e.getMessage().contains("expired"));
        assertEquals(List.of(), short1.errors());
    }

    @Test
    void startTlsRequiredButNotOfferedSendsNoCredentials() throws Exception {
        ScriptedPop3Server server = server().start();
        Pop3MailboxSession session = new Pop3MailboxSession(
                ConnectionSettings.plain("127.0.0.1", server.port(), TIMEOUT).withStartTls(StartTlsMode.REQUIRED, null),
                ANNA);
        toClose.add(session);
        IOException e = assertThrows(IOException.class, session::open);
        assertTrue(e.getMessage().contains("does not offer STLS"), e.getMessage());
        assertEquals(List.of("CAPA"), server.commands());
    }

    private Pop3MailboxSession startTlsSession(ScriptedPop3Server server, StartTlsMode mode) throws Exception {
        Pop3MailboxSession session = new Pop3MailboxSession(new ConnectionSettings("127.0.0.1", server.port(), false, mode,
                GreenMailCertificates.trustingClientContext(), false, TIMEOUT, TIMEOUT, false), ANNA);
        toClose.add(session);
        return session;
    }

    @Test
    void stlsUpgradesBeforeCredentialsAndCapabilitiesAreAskedAgain() throws Exception {
        for (StartTlsMode mode : List.of(StartTlsMode.REQUIRED, StartTlsMode.WHEN_OFFERED)) {
            ScriptedPop3Server server = server().capabilities("UIDL", "USER", "STLS").add("u1", mail("a", "1"))
                    .stls(GreenMailCertificates.serverContext()).start();
            Pop3MailboxSession session = startTlsSession(server, mode);
            session.open();
            assertEquals(1, fetchAll(session, session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0)).size());
            session.close();
            // encrypted now, so USER/PASS rather than APOP, though the greeting has a timestamp
            assertTrue(commands(server).startsWith("CAPA|STLS|CAPA|USER anna|PASS s3cret!|CAPA|STAT|UIDL|LIST|RETR 1|QUIT"),
                    commands(server));
        }
    }

    @Test
    void stlsDisabledStaysPlain() throws Exception {
        ScriptedPop3Server server = server().capabilities("UIDL", "USER", "STLS").stls(GreenMailCertificates.serverContext())
                .start();
        startTlsSession(server, StartTlsMode.DISABLED).open();
        assertFalse(commands(server).contains("STLS"), commands(server));
    }

    @Test
    void dataInjectedBeforeTheTlsHandshakeIsRefused() throws Exception {
        ScriptedPop3Server server = server().capabilities("UIDL", "USER", "STLS").stls(GreenMailCertificates.serverContext())
                .injectAfterStls().start();
        IOException e = assertThrows(IOException.class, startTlsSession(server, StartTlsMode.REQUIRED)::open);
        assertTrue(e.getMessage().contains("sent data after accepting STLS, before the TLS handshake"), e.getMessage());
        assertEquals(List.of("CAPA", "STLS"), server.commands());
    }

    @Test
    void lostConnectionBeforeQuitCommitsNoDeletion() throws Exception {
        ScriptedPop3Server server = server().add("u1", mail("one", "1")).add("u2", mail("two", "2")).cutOn("QUIT")
                .start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        List<MessageRef> refs = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
        fetchAll(session, refs);
        session.apply(Map.of(refs.get(0), new AfterProcessing(false, true, null, null),
                refs.get(1), new AfterProcessing(false, true, null, null)));
        assertEquals(2, session.deletedInSession());
        session.close(); // must not throw
        assertFalse(session.quitSucceeded());
        assertEquals(List.of("u1", "u2"), server.maildropUidls(), "the server kept both messages");
        assertTrue(commands(server).endsWith("DELE 1|DELE 2|QUIT"), commands(server));
    }

    @Test
    void refusedDeleIsReportedAfterTheOthersWereTried() throws Exception {
        ScriptedPop3Server server = server().add("u1", mail("a", "1")).add("u2", mail("b", "2")).add("u3", mail("c", "3"))
                .refuseDele(2).start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        List<MessageRef> refs = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
        Map<MessageRef, AfterProcessing> actions = new LinkedHashMap<>();
        refs.forEach(r -> actions.put(r, new AfterProcessing(false, true, null, null)));
        Pop3RefusedException e = assertThrows(Pop3RefusedException.class, () -> session.apply(actions));
        assertTrue(e.getMessage().contains("refused to delete message 2 (UIDL u2): -ERR [SYS/PERM] message 2 is read-only"),
                e.getMessage());
        assertTrue(session.isAlive());
        session.close();
        assertTrue(session.quitSucceeded());
        assertEquals(List.of("u2"), server.maildropUidls());
    }

    @Test
    void retrIsByteExactAfterUnstuffingWithBinaryAndDotLines() throws Exception {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes("Subject: dots\r\n\r\n.\r\n..\r\n.x\r\n...\r\nx.\r\n.\r".getBytes(StandardCharsets.US_ASCII));
        content.writeBytes("\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 256; i++) {
            content.write(i); // every octet, bare CR and LF included
        }
        content.writeBytes("\r\n.\n.. bare LF line start\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] exact = content.toByteArray();
        byte[] noFinalCrlf = "Subject: last\r\n\r\nno line break at the end".getBytes(StandardCharsets.US_ASCII);
        ScriptedPop3Server server = server().add("bin", exact).add("tail", noFinalCrlf).start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        Map<String, byte[]> got = fetchAll(session, session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0));
        assertArrayEquals(exact, got.get("bin"));
        // RFC 1939 §3: the server ends the last line with CRLF before the "."; POP3 cannot say it was missing
        assertArrayEquals(("Subject: last\r\n\r\nno line break at the end\r\n").getBytes(StandardCharsets.US_ASCII),
                got.get("tail"));
    }

    @Test
    void handWrittenDotStuffedWire() throws Exception {
        byte[] wire = "..\r\n...\r\n..x\r\nx.\r\n. \r\n.\rx\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] bareLf = "line one\n..dot\n.\n".getBytes(StandardCharsets.US_ASCII);
        ScriptedPop3Server server = server().add("w", "placeholder\r\n").rawRetr(1, wire).add("lf", "placeholder\r\n")
                .rawRetr(2, bareLf).add("next", mail("n", "n")).start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        Map<String, byte[]> got = fetchAll(session, session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0));
        // ". " and ".\rx" were not stuffed by this sloppy server: the first dot still goes, nothing ends early
        assertEquals(".\r\n..\r\n.x\r\nx.\r\n \r\n\rx\r\n", new String(got.get("w"), StandardCharsets.US_ASCII));
        // a server ending its lines, and the terminator, with bare LF
        assertEquals("line one\n.dot\n", new String(got.get("lf"), StandardCharsets.US_ASCII));
        assertEquals(mail("n", "n"), new String(got.get("next"), StandardCharsets.US_ASCII), "the next reply is in step");
    }

    @Test
    void connectionEndingInsideAMessageIsAnError() throws Exception {
        ScriptedPop3Server server = server().add("t", "x\r\n").rawRetr(1, "partial line\r\nno end".getBytes(
                StandardCharsets.US_ASCII)).start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        List<MessageRef> refs = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
        List<Exception> seenByHandler = new ArrayList<>();
        // the server sends part of a body, no terminating ".", and closes the connection
        IOException e = assertThrows(IOException.class, () -> session.fetch(refs, m -> {
            try {
                m.content().readAllBytes();
            } catch (IOException x) {
                seenByHandler.add(x);
                throw x;
            }
        }));
        assertEquals(1, seenByHandler.size());
        assertEquals("the connection ended in the middle of a multi-line response (no terminating \".\")",
                seenByHandler.get(0).getMessage());
        assertTrue(seenByHandler.get(0) instanceof java.io.EOFException);
        assertFalse(session.isAlive());
        session.close();
        assertFalse(session.quitSucceeded());
        assertTrue(e.getMessage().contains("failed earlier while reading this message: the connection ended in the"
                + " middle of a multi-line response"), e.getMessage());
    }

    @Test
    void handlerFailureConcernsOneMessageOnly() throws Exception {
        ScriptedPop3Server server = server().add("u1", mail("a", "1")).add("u2", mail("b", "2".repeat(50_000)))
                .add("u3", mail("c", "3")).start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        List<MessageRef> refs = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
        Map<String, byte[]> got = new LinkedHashMap<>();
        Map<MessageRef, Exception> failures = session.fetch(refs, m -> {
            InputStream in = m.content();
            if (m.ref().id().equals("u2")) {
                in.readNBytes(10);
                throw new IllegalStateException("route failed");
            }
            got.put(m.ref().id(), in.readAllBytes());
        });
        assertEquals(1, failures.size());
        assertEquals("route failed", failures.get(refs.get(1)).getMessage());
        assertEquals(mail("c", "3"), new String(got.get("u3"), StandardCharsets.US_ASCII));
        assertTrue(session.isAlive());
    }

    /** As over IMAP, a greeting that never comes is named: the server, what was awaited, the deadline and its option. */
    @Test
    void aGreetingThatNeverComesNamesTheServerWhatWasAwaitedAndTheDeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Pop3MailboxSession session = new Pop3MailboxSession(
                    ConnectionSettings.plain("127.0.0.1", silent.getLocalPort(), TIMEOUT), ANNA);
            toClose.add(session);
            SocketTimeoutException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(SocketTimeoutException.class, session::open));
            assertEquals("POP3 server 127.0.0.1:" + silent.getLocalPort() + " did not answer the greeting within 1500"
                    + " ms (readTimeout); if this port expects TLS from the first byte (993, 995, 465), use imaps,"
                    + " pop3s or smtps (or secure=true)", e.getMessage());
        }
    }

    @Test
    void stallTimesOut() throws Exception {
        ScriptedPop3Server server = server().add("u1", mail("a", "1")).stallOn("RETR").start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        List<MessageRef> refs = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
        SocketTimeoutException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(SocketTimeoutException.class, () -> session.fetch(refs, m -> m.content().readAllBytes())));
        assertEquals("POP3 server 127.0.0.1:" + server.port() + " did not answer within readTimeout=1500 ms (during RETR)",
                e.getMessage());
        assertTimeoutPreemptively(Duration.ofSeconds(5), session::close);
        assertFalse(session.quitSucceeded());
    }

    @Test
    void noUidlIsAClearError() throws Exception {
        ScriptedPop3Server server = server().capabilities("USER", "TOP").withoutUidl().add("u1", mail("a", "1")).start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        IOException e = assertThrows(IOException.class,
                () -> session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0));
        assertTrue(e.getMessage().contains("does not support UIDL (-ERR unknown command); the consumer needs UIDL"),
                e.getMessage());
    }

    @Test
    void headerFilterUsesPipelinedTopWithDecodedHeadersThenOrdersAndLimits() throws Exception {
        ScriptedPop3Server server = server()
                .add("u1", mail("=?UTF-8?Q?Quarterly_r=C3=A9port?=", "1"))
                .add("u2", mail("lunch", "2"))
                .add("u3", "From: x@example.org\r\nSubject: =?ISO-8859-1?B?UulQT1JU?= folded\r\n line\r\n\r\nbody\r\n")
                .add("u4", "Subject: RÉPORT in raw UTF-8\r\n\r\nbody\r\n")
                .holdReplies("TOP", 4).start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        SearchFilter filter = SearchFilter.parse("SUBJECT réport");
        assertEquals(List.of("u1", "u3", "u4"), session.list(filter, true, MessageOrder.UID_ASCENDING, 0).stream()
                .map(MessageRef::id).toList());
        // date orders sort by the Date header (RFC 5256 sent date); u3 and u4 have none, so they come last when
        // descending, newest message number first
        assertEquals(List.of("u1", "u4"), session.list(filter, true, MessageOrder.DATE_DESCENDING, 2).stream()
                .map(MessageRef::id).toList());
        assertEquals(List.of("u3"), session.list(SearchFilter.parse("SUBJECT \"folded line\""), true,
                MessageOrder.UID_ASCENDING, 0).stream().map(MessageRef::id).toList());
        assertEquals(List.of("u1", "u2"), session.list(SearchFilter.parse("SENTON 20-Nov-2026 SMALLER 200"), true,
                MessageOrder.UID_ASCENDING, 0).stream().map(MessageRef::id).toList());
        assertTrue(new String(server.clientBytes(), StandardCharsets.US_ASCII)
                .contains("TOP 1 0\r\nTOP 2 0\r\nTOP 3 0\r\nTOP 4 0\r\n"));
    }

    @Test
    void filtersPop3CannotEvaluateAndFoldersAreRefused() throws Exception {
        ScriptedPop3Server server = server().add("u1", mail("a", "1")).start();
        Pop3MailboxSession session = session(server, ANNA);
        session.open();
        IllegalArgumentException flags = assertThrows(IllegalArgumentException.class,
                () -> session.list(SearchFilter.parse("FROM a UNSEEN"), true, MessageOrder.UID_ASCENDING, 0));
        assertTrue(flags.getMessage().startsWith("POP3 has no flags"), flags.getMessage());
        IllegalArgumentException body = assertThrows(IllegalArgumentException.class,
                () -> Pop3MailboxSession.checkFilter(SearchFilter.fromOptions(null, null, null, null, "x", null, null)));
        assertTrue(body.getMessage().startsWith("POP3 cannot search message bodies"), body.getMessage());
        MessageRef ref = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0).get(0);
        IOException folders = assertThrows(IOException.class,
                () -> session.apply(Map.of(ref, new AfterProcessing(false, true, "Archive", null))));
        assertEquals("POP3 has no folders: cannot move or copy message 1 (UIDL u1)", folders.getMessage());
        assertFalse(commands(server).contains("DELE"));
        assertTrue(session.isAlive());
    }

    private static String md5Hex(String s) throws Exception {
        StringBuilder hex = new StringBuilder();
        for (byte b : java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8))) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

}
