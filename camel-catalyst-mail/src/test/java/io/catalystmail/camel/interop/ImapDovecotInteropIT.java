package io.catalystmail.camel.interop;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.imap.ImapConnection;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.catalystmail.camel.interop.InteropServers.HOST;
import static io.catalystmail.camel.interop.InteropServers.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IMAP consumer on Dovecot (and on James, with the differences named where they are), which has what GreenMail lacks (ESEARCH, STARTTLS) and what it has in its own
 * way (MOVE, UIDPLUS, modified UTF-7 folder names): after-processing actions, server-side search, failures,
 * and each AUTHENTICATE mechanism. Fixtures are APPENDed by an independent client, so no test waits for Postfix.
 */
class ImapDovecotInteropIT extends InteropTestSupport {

    private static final String USER = "carol";

    private final String run = UUID.randomUUID().toString();

    @BeforeEach
    void emptyMailbox() {
        Mailboxes.empty(USER);
    }

    private static String imaps(String options) {
        return "catalystmail:imaps:" + HOST + ":" + InteropServers.IMAPS + "?username=" + USER + "&password=RAW("
               + PASSWORD + ")&sslContextParameters=#" + InteropServers.TLS_BEAN + "&initialDelay=0&delay=200&" + options;
    }

    private MimeMessage message(String subject, String from, Instant sent) throws Exception {
        MimeMessage m = new MimeMessage(Mailboxes.session());
        m.setFrom(new InternetAddress(from));
        m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(InteropServers.address(USER)));
        m.setSubject(subject + " " + run, "UTF-8");
        m.setText("text of " + subject, "UTF-8");
        m.setSentDate(Date.from(sent));
        m.saveChanges();
        return m;
    }

    private void append(String... subjects) throws Exception {
        List<MimeMessage> messages = new ArrayList<>();
        for (String s : subjects) {
            messages.add(message(s, "sender@example.test", Instant.now()));
        }
        Mailboxes.append(USER, "INBOX", messages);
    }

    private List<String> subjects(String folder) {
        return Mailboxes.subjects(USER, folder).stream().map(s -> s.replace(" " + run, "")).toList();
    }

    private MockEndpoint expect(int count) {
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(count);
        mock.setResultWaitTime(20_000);
        return mock;
    }

    /**
     * One poll over 2,600 messages in rounds of 50: each round's FETCH goes out while the round before is read,
     * and once {@code BatchedExpunge.EXPUNGE_BATCH} (2,000) deletions are answered a UID EXPUNGE goes out behind one.
     * Dovecot runs such a pipelined FETCH in parallel with the expunge; every message must still be routed exactly
     * once.
     */
    @Test
    void aBusyMailboxIsDrainedInOnePollWithEveryMessageRoutedOnce() throws Exception {
        int count = 2_600;
        String[] subjects = new String[count];
        for (int i = 0; i < count; i++) {
            subjects[i] = "busy-" + i;
        }
        append(subjects);
        List<String> routed = java.util.Collections.synchronizedList(new ArrayList<>());
        MockEndpoint mock = expect(count);
        mock.setResultWaitTime(60_000);
        try (ProtocolLog log = new ProtocolLog()) {
            route(imaps("delete=true&fetchRoundSize=50&maxMessagesPerPoll=3000"),
                    e -> routed.add(e.getMessage().getHeader("Subject", String.class).replace(" " + run, "")));
            mock.assertIsSatisfied();
            Eventually.await(Duration.ofSeconds(30), () -> Mailboxes.count(USER, "INBOX") == 0,
                    () -> Mailboxes.count(USER, "INBOX") + " messages left in INBOX");
            assertEquals(count, routed.size(), "messages routed");
            for (int i = 0; i < count; i++) {
                assertEquals(subjects[i], routed.get(i), "each message once, in UID order");
            }
            assertTrue(log.text().contains("UID EXPUNGE"), "deletions expunged by UID (UIDPLUS)");
            assertTrue(log.text().indexOf("UID EXPUNGE") < log.text().lastIndexOf("BODY.PEEK[]"),
                    "an expunge behind a FETCH, in the middle of the poll");
        }
    }

    @Test
    void moveToAFolderWithANonAsciiNameUsesMove() throws Exception {
        String folder = "Erledigt-Bestätigt-日本";
        Mailboxes.createFolder(USER, folder);
        append("m1", "m2", "m3");
        try (ProtocolLog log = new ProtocolLog()) {
            MockEndpoint mock = expect(3);
            route(imaps("moveTo=" + folder), e -> { });
            mock.assertIsSatisfied();
            Eventually.await(() -> subjects(folder).equals(List.of("m1", "m2", "m3")) && subjects("INBOX").isEmpty(),
                    () -> "INBOX " + subjects("INBOX") + ", " + folder + " " + subjects(folder));
            assertTrue(log.text().contains("UID MOVE"), "Dovecot offers MOVE (RFC 6851), so it is used");
            // the name travels in modified UTF-7 (RFC 3501 §5.1.3): Dovecot found the folder Jakarta Mail created
            assertTrue(log.text().contains("&AOQ-"), "ä as modified UTF-7 in the MOVE command");
        }
    }

    @Test
    void copyToKeepsTheOriginalMarkedSeen() throws Exception {
        Mailboxes.createFolder(USER, "Kopien");
        append("c1", "c2");
        MockEndpoint mock = expect(2);
        route(imaps("copyTo=Kopien"), e -> { });
        mock.assertIsSatisfied();
        Eventually.await(() -> subjects("Kopien").equals(List.of("c1", "c2")), () -> "copies " + subjects("Kopien"));
        Eventually.await(() -> Mailboxes.stored(USER, "INBOX").stream().allMatch(Mailboxes.Stored::seen),
                () -> "originals seen");
        assertEquals(List.of("c1", "c2"), subjects("INBOX"));
    }

    @Test
    void serverSideSearchWithSinceAndFromUsesEsearch() throws Exception {
        Mailboxes.append(USER, "INBOX", List.of(
                message("recent from x", "x@sender.example", Instant.now()),
                message("old from x", "x@sender.example", Instant.now().minus(Duration.ofDays(10))),
                message("recent from y", "y@other.example", Instant.now())));
        try (ProtocolLog log = new ProtocolLog()) {
            MockEndpoint mock = expect(1);
            route(imaps("since=now-1d&searchFrom=x@sender.example"), e -> { });
            mock.assertIsSatisfied();
            assertEquals("recent from x " + run, mock.getReceivedExchanges().get(0).getMessage().getHeader("Subject"));
            String search = log.text().lines().filter(l -> l.contains("UID SEARCH")).findFirst().orElseThrow();
            assertTrue(search.contains("RETURN (ALL)") && search.contains("SINCE") && search.contains("FROM"), search);
            log.awaitMorePolls("UID SEARCH", 3);
            mock.assertIsSatisfied();
        }
    }

    @Test
    void aFailingRouteLeavesExactlyThoseMessagesUnseenWhileTheOthersAreExpunged() throws Exception {
        append("ok 1", "fail 2", "ok 3", "fail 4", "ok 5");
        try (ProtocolLog log = new ProtocolLog()) {
            MockEndpoint mock = expect(3);
            route(imaps("delete=true"), e -> {
                if (e.getIn().getHeader("Subject", String.class).startsWith("fail")) {
                    throw new IllegalStateException("route refuses this one");
                }
            });
            mock.assertIsSatisfied();
            Eventually.await(() -> subjects("INBOX").equals(List.of("fail 2", "fail 4")), () -> "INBOX " + subjects("INBOX"));
            context.getRouteController().stopRoute("mail");
            assertTrue(Mailboxes.stored(USER, "INBOX").stream().noneMatch(Mailboxes.Stored::seen), "failed ones unseen");
            assertTrue(log.text().contains("UID EXPUNGE"), "UIDPLUS (RFC 4315) expunges exactly the processed UIDs");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "PLAIN", "LOGIN", "CRAM-MD5" })
    void authenticatesWithEachMechanismAfterStartTls(String mechanism) throws Exception {
        if (InteropServers.james() && !mechanism.equals("PLAIN")) {
            // Difference: James 3.8 offers AUTHENTICATE PLAIN only (no SASL LOGIN; no CRAM-MD5, its passwords are
            // hashed); a forced mechanism it lacks fails before anything secret is sent
            ConnectionSettings settings = new ConnectionSettings(HOST, InteropServers.IMAP, false, StartTlsMode.REQUIRED,
                    InteropServers.trust().createSSLContext(context), true, Duration.ofSeconds(10),
                    Duration.ofSeconds(10), false);
            try (ImapConnection c = ImapConnection.connect(settings)) {
                AuthenticationException e = assertThrows(AuthenticationException.class,
                        () -> c.authenticate(new Credentials(USER, PASSWORD, null, mechanism)));
                assertTrue(e.getMessage().contains("does not offer " + mechanism), e.getMessage());
            }
            return;
        }
        append("auth " + mechanism);
        try (ProtocolLog log = new ProtocolLog()) {
            MockEndpoint mock = expect(1);
            route("catalystmail:imap:" + HOST + ":" + InteropServers.IMAP + "?username=" + USER + "&password=RAW(" + PASSWORD
                  + ")&authMechanism=" + mechanism + "&startTls=REQUIRED&sslContextParameters=#" + InteropServers.TLS_BEAN
                  + "&initialDelay=0&delay=200", e -> { });
            mock.assertIsSatisfied();
            assertTrue(log.text().contains("AUTHENTICATE " + mechanism), log.text());
            String plainResponse = Base64.getEncoder().encodeToString(("\0" + USER + "\0" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            assertFalse(log.text().contains(PASSWORD) || log.text().contains(plainResponse), "no secret in the log");
        }
    }
}
