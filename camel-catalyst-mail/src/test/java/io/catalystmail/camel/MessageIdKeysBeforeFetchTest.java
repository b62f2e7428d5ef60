package io.catalystmail.camel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FinishedPolls;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import jakarta.mail.Flags;
import org.apache.camel.BindToRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code idempotentKey=MESSAGE_ID} with a listing that keeps processed messages: the consumer reads the candidates'
 * Message-IDs from their headers (IMAP BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)], POP3 TOP n 0) and fetches in full only
 * what the repository does not know. Before, every poll downloaded every processed message (BODY.PEEK[] / RETR) only
 * to read its Message-ID and skip it. Checked on the commands the client sent through the proxy.
 */
class MessageIdKeysBeforeFetchTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] { ServerSetupTest.IMAP, ServerSetupTest.POP3 }))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    @BindToRegistry("memory")
    private final MemoryIdempotentRepository memory = new MemoryIdempotentRepository();

    @BindToRegistry("polls")
    private final FinishedPolls polls = new FinishedPolls();

    private final List<String> routed = new CopyOnWriteArrayList<>();

    private void consume(String uri, String options) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri + "?username=alice&password=s3cret&initialDelay=0&delay=50&idempotentKey=MESSAGE_ID"
                     + "&idempotentRepository=#memory&pollStrategy=#polls" + options)
                        .process(e -> routed.add(e.getMessage().getHeader("Subject", String.class)));
            }
        });
    }

    /** A message whose Message-ID is folded onto a second line, and one without a Message-ID. */
    private static byte[] rawMessage(String subject, String messageIdField) {
        return ("From: sender@example.test\r\nTo: alice@example.test\r\nSubject: " + subject + "\r\n" + messageIdField
                + "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nbody of " + subject + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void imapPollsFetchOnlyNewMessagesInFull() throws Exception {
        deliver(greenMail, "alice", textMessage("m1", "first"));
        deliver(greenMail, "alice", rawMessage("folded", "Message-ID:\r\n <folded.1@example.test>\r\n"));
        deliver(greenMail, "alice", rawMessage("no-id", ""));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            consume("catalystmail:imap:127.0.0.1:" + proxy.port(), "&unseen=false");
            polls.await(1);
            assertEquals(List.of("m1", "folded", "no-id"), routed);
            int sentBefore = proxy.clientText().length();
            polls.await(3);
            List<String> later = proxy.clientText().substring(sentBefore).lines().toList();
            assertTrue(later.stream().anyMatch(l -> l.contains("BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]")),
                    "the later polls read the Message-IDs: " + later);
            assertEquals(List.of(), bodyFetches(later), "no processed message downloaded again");

            deliver(greenMail, "alice", textMessage("m4", "new"));
            Eventually.await(() -> routed.contains("m4"), () -> "m4 routed: " + routed);
            int sentAfterNew = proxy.clientText().length();
            awaitPolls(proxy, sentAfterNew, "UID SEARCH");
            assertEquals(1, bodyFetches(proxy.clientText().substring(sentBefore).lines().toList()).size(),
                    "only the new message fetched in full");
            assertEquals(List.of(), bodyFetches(proxy.clientText().substring(sentAfterNew).lines().toList()));
            assertEquals(List.of("m1", "folded", "no-id", "m4"), routed, "each routed once");
        }
    }

    @Test
    void pop3PollsRetrieveOnlyNewMessages() throws Exception {
        deliver(greenMail, "alice", textMessage("p1", "first"));
        deliver(greenMail, "alice", rawMessage("p-no-id", ""));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            consume("catalystmail:pop3:127.0.0.1:" + proxy.port(), "");
            polls.await(1);
            assertEquals(List.of("p1", "p-no-id"), routed);
            int sentBefore = proxy.clientText().length();
            polls.await(3);
            List<String> later = proxy.clientText().substring(sentBefore).lines().toList();
            assertTrue(later.stream().anyMatch(l -> l.startsWith("TOP ")), "the later polls read the headers: " + later);
            assertEquals(List.of(), later.stream().filter(l -> l.startsWith("RETR")).toList(),
                    "no processed message retrieved again");

            deliver(greenMail, "alice", textMessage("p3", "new"));
            Eventually.await(() -> routed.contains("p3"), () -> "p3 routed: " + routed);
            awaitPolls(proxy, proxy.clientText().length(), "UIDL");
            assertEquals(1, proxy.clientText().substring(sentBefore).lines().filter(l -> l.startsWith("RETR")).count(),
                    "only the new message retrieved");
            assertEquals(List.of("p1", "p-no-id", "p3"), routed, "each routed once");
        }
    }

    /**
     * A filter over POP3 reads each header with TOP n 0 already; the Message-IDs come from that read, so each poll
     * TOPs each message once. Before, twice (once for the filter, once for the key).
     */
    @Test
    void pop3WithAFilterReadsEachHeaderOncePerPoll() throws Exception {
        deliver(greenMail, "alice", textMessage("wanted 1", "first"));
        deliver(greenMail, "alice", textMessage("other", "left out by the filter"));
        deliver(greenMail, "alice", rawMessage("wanted no-id", ""));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            consume("catalystmail:pop3:127.0.0.1:" + proxy.port(), "&searchSubject=wanted");
            polls.await(3);
            assertEquals(List.of("wanted 1", "wanted no-id"), routed);
            List<List<String>> sessions = new java.util.ArrayList<>();
            for (String line : proxy.clientText().lines().toList()) {
                if (sessions.isEmpty() || line.equals("STAT")) {
                    sessions.add(new java.util.ArrayList<>());
                }
                sessions.get(sessions.size() - 1).add(line);
            }
            assertTrue(sessions.size() >= 3, "three polls: " + sessions);
            for (List<String> poll : sessions) {
                List<String> tops = poll.stream().filter(l -> l.startsWith("TOP ")).toList();
                assertEquals(tops.stream().distinct().toList(), tops, "each header read once per poll: " + poll);
            }
            assertEquals(List.of("wanted 1", "wanted no-id"), routed, "each routed once");
        }
    }

    /**
     * A repository that knows the Message-ID already (filled by camel-mail before the move, or by a node that stopped
     * before its STORE): the message is neither downloaded nor routed, and its \Seen is stored once.
     */
    @Test
    void aMessageKnownByItsMessageIdGetsItsOwedActionOnceWithoutBeingFetched() throws Exception {
        deliver(greenMail, "alice", rawMessage("known", "Message-ID: <known@example.test>\r\n"));
        memory.start(); // a repository filled before this consumer ran
        memory.add("<known@example.test>");
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            consume("catalystmail:imap:127.0.0.1:" + proxy.port(), "&unseen=false");
            polls.await(4);
            List<String> sent = proxy.clientText().lines().toList();
            assertEquals(List.of(), bodyFetches(sent), "never downloaded");
            assertEquals(1, sent.stream().filter(l -> l.contains("STORE")).count(), "\\Seen stored once: " + sent);
            assertTrue(GreenMailboxes.messages(greenMail, "alice", "INBOX").get(0).getFlags()
                    .contains(Flags.Flag.SEEN), "the action owed was done");
            assertEquals(List.of(), routed);
        }
    }

    /**
     * A server that refuses the header FETCH (NO, as for a message expunged meanwhile, RFC 2180 §4.1.2, or Gmail's
     * "Some messages could not be FETCHed"): the poll goes on as before this step existed, every candidate fetched
     * in full and checked; none routed twice, no poll failed.
     */
    @Test
    void aRefusedHeaderFetchCostsTheDownloadsNotThePoll() throws Exception {
        deliver(greenMail, "alice", textMessage("r1", "first"));
        deliver(greenMail, "alice", textMessage("r2", "second"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("HEADER.FIELDS (MESSAGE-ID)", line -> io.catalystmail.camel.testsupport.HostileBytes.text(
                    FaultProxy.tagOf(line) + " NO [SERVERBUG] Some messages could not be FETCHed\r\n"), 0).everyTime();
            consume("catalystmail:imap:127.0.0.1:" + proxy.port(), "&unseen=false");
            polls.await(4);
            assertTrue(proxy.clientText().lines().anyMatch(l -> l.contains("HEADER.FIELDS (MESSAGE-ID)")),
                    "the header fetch was asked for (and refused)");
            assertEquals(List.of("r1", "r2"), routed, "each routed once, the later polls fetched and skipped them");
        }
    }

    /**
     * The Message-IDs are read a round (20 x fetchRoundSize) at a time, and a consumer stopping mid-poll stops at the
     * next round, as the rest of the poll does. Here the route is stopped while the first header fetch is answered: no
     * header fetch follows it, and nothing is routed. Before, one fetch asked for every candidate's header, read to
     * its end however long the listing.
     */
    @Test
    void aStopDuringTheHeaderFetchEndsItAtTheNextRound() throws Exception {
        for (int i = 1; i <= 25; i++) {
            deliver(greenMail, "alice", textMessage("s" + i, "body " + i));
        }
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("HEADER.FIELDS (MESSAGE-ID)", line -> {
                // the stop begins while this answer is on its way; the answer goes once the consumer has seen it
                CatalystMailConsumer consumer = (CatalystMailConsumer) context.getRoute("stopped").getConsumer();
                new Thread(() -> {
                    try {
                        context.getRouteController().stopRoute("stopped");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "stop-the-route").start();
                Eventually.await(() -> !consumer.isBatchAllowed(), () -> "the stop was not seen");
                String header = "Message-ID: <s1@example.test>\r\n\r\n";
                return io.catalystmail.camel.testsupport.HostileBytes.text("* 1 FETCH (UID 1 BODY[HEADER.FIELDS"
                        + " (MESSAGE-ID)] {" + header.length() + "}\r\n" + header + ")\r\n" + FaultProxy.tagOf(line)
                        + " OK FETCH completed\r\n");
            }, 0);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=alice&password=s3cret"
                         + "&initialDelay=0&delay=600000&unseen=false&idempotentKey=MESSAGE_ID"
                         + "&idempotentRepository=#memory&fetchRoundSize=1").routeId("stopped")
                            .process(e -> routed.add(e.getMessage().getHeader("Subject", String.class)));
                }
            });
            Eventually.await(() -> context.getRouteController().getRouteStatus("stopped").isStopped(),
                    () -> "the route stopped: " + proxy.clientText());
            List<String> headerFetches = proxy.clientText().lines()
                    .filter(l -> l.contains("HEADER.FIELDS (MESSAGE-ID)")).toList();
            assertEquals(1, headerFetches.size(), "one round's header fetch: " + headerFetches);
            assertTrue(headerFetches.get(0).contains("UID FETCH 1:20 ("),
                    "of the first round only (20 x fetchRoundSize=1): " + headerFetches);
            assertEquals(List.of(), routed);
        }
    }

    /** Waits until two more polls listed the mailbox after {@code from} (the proxy's client text). */
    private static void awaitPolls(FaultProxy proxy, int from, String listing) {
        Eventually.await(() -> proxy.clientText().substring(from).lines().filter(l -> l.contains(listing)).count() >= 2,
                () -> "two more polls: " + proxy.clientText().substring(from));
    }

    /** UID FETCH commands that download whole messages (not the header fields). */
    private static List<String> bodyFetches(List<String> lines) {
        return lines.stream().filter(l -> l.contains("BODY.PEEK[]")).toList();
    }
}
