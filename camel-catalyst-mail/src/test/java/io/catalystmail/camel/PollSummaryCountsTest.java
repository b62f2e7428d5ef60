package io.catalystmail.camel;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.metrics.PollSummary;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.GreenMailboxes;
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
 * Every listed message is accounted for in the poll's summary: one the idempotent repository knew is counted as
 * skipped, whether it was found before its round (default mode), refused its reservation (eager: another node holds
 * it), found by its Message-ID after the fetch, or remembered by this consumer as routed with its action owed. Before,
 * the last three were counted nowhere ("4 listed, 2 routed, 0 failed, 0 skipped"). A message above
 * maxMessageSize is counted as too large in every poll that lists it (before, only the first counted it, as
 * failed), and an action the server refused is counted as refused, not applied.
 */
class PollSummaryCountsTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    /** Refuses every second add, as a shared repository does for the keys another node reserved first. */
    @BindToRegistry("otherNodeHoldsEverySecond")
    private final MemoryIdempotentRepository otherNodeHoldsEverySecond = new MemoryIdempotentRepository() {
        private final AtomicInteger adds = new AtomicInteger();

        @Override
        public boolean add(String key) {
            return adds.incrementAndGet() % 2 == 1 && super.add(key);
        }
    };

    @BindToRegistry("memory")
    private final MemoryIdempotentRepository memory = new MemoryIdempotentRepository();

    private final Set<String> routed = ConcurrentHashMap.newKeySet();
    /** What the route does besides noting the subject. */
    private volatile Runnable inRoute = () -> { };

    private MailboxStatistics consume(String options) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=alice&password=s3cret"
                     + "&initialDelay=0&fetchRoundSize=1" + options).routeId("mail")
                        .process(e -> {
                            inRoute.run();
                            routed.add(e.getMessage().getHeader("Subject", String.class));
                        });
            }
        });
        return ((CatalystMailConsumer) context.getRoute("mail").getConsumer()).statistics();
    }

    /** Waits for a poll whose summary has these counts (the figures are counted before the summary is kept). */
    private static void awaitSummary(MailboxStatistics statistics, String counts) {
        Eventually.await(() -> statistics.lastSummary() != null && counts.equals(counts(statistics.lastSummary())),
                () -> "the last summary: " + statistics.lastSummary());
    }

    private static String counts(PollSummary summary) {
        return summary.listed() + " listed, " + summary.routed() + " routed, " + summary.failed() + " failed, "
               + summary.skipped() + " skipped";
    }

    @Test
    void eagerCountsTheMessagesAnotherNodeHoldsAsSkipped() throws Exception {
        for (int i = 1; i <= 4; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "body " + i));
        }
        MailboxStatistics statistics = consume("&delay=3600000&idempotentRepository=#otherNodeHoldsEverySecond"
                                               + "&idempotentEager=true");
        awaitSummary(statistics, "4 listed, 2 routed, 0 failed, 2 skipped");
        assertEquals(Set.of("m1", "m3"), routed);
        assertEquals(2, statistics.messagesSkipped());
    }

    @Test
    void aMessageIdTheRepositoryKnowsIsCountedAsSkipped() throws Exception {
        byte[] twice = textMessage("same", "one Message-ID, delivered twice");
        deliver(greenMail, "alice", twice);
        deliver(greenMail, "alice", twice);
        MailboxStatistics statistics = consume("&delay=3600000&idempotentRepository=#memory"
                                               + "&idempotentKey=MESSAGE_ID");
        awaitSummary(statistics, "2 listed, 1 routed, 0 failed, 1 skipped");
    }

    /**
     * The folder goes while the message is in the route: its move is refused, so it is not counted as applied (it
     * was, before), and the message stays owed and remembered: each later poll counts it as skipped and its retried
     * move as refused, until the folder is back.
     */
    @Test
    void aMoveTheServerRefusesIsCountedAsRefusedUntilARetryIsAnswered() throws Exception {
        deliver(greenMail, "alice", textMessage("m1", "its move is refused while the folder is gone"));
        GreenMailboxes.folder(greenMail, "alice", "Done");
        inRoute = this::deleteDone;
        MailboxStatistics statistics = consume("&delay=100&unseen=false&moveTo=Done&autoCreateFolders=false");
        // the first poll routed it and the server refused its move; the polls after it retry the move, refused too
        Eventually.await(() -> statistics.messagesRouted() == 1 && statistics.polls() >= 2,
                () -> "routed " + statistics.messagesRouted() + " in " + statistics.polls() + " polls");
        assertEquals(Map.of(), statistics.actionsApplied(), "nothing was moved");
        // one refusal per poll: the first poll's batch refusal, not counted again by the retry one at a time it
        // makes at its end
        long refusals = statistics.actionsRefused().getOrDefault("moved to Done", 0L);
        long polls = statistics.polls(); // read second: a poll counts itself before its refusals
        assertTrue(refusals >= 2 && refusals <= polls, refusals + " refusals in " + polls + " polls");
        awaitSummary(statistics, "1 listed, 0 routed, 0 failed, 1 skipped");
        assertEquals(Map.of(), statistics.lastSummary().actions());
        assertEquals(Map.of("moved to Done", 1L), statistics.lastSummary().refused());
        assertTrue(statistics.lastSummary().toString().endsWith("; refused by the server: 1 moved to Done"),
                statistics.lastSummary().toString());
        // the folder is back: the next retry is answered, and only now the move counts as applied, once
        GreenMailboxes.folder(greenMail, "alice", "Done");
        Eventually.await(() -> Map.of("moved to Done", 1L).equals(statistics.actionsApplied()),
                () -> "applied " + statistics.actionsApplied());
        assertEquals(List.of("m1"), GreenMailboxes.messages(greenMail, "alice", "Done").stream()
                .map(GreenMailboxes::subjectOf).toList());
        assertEquals(Set.of("m1"), routed);
    }

    @Test
    void aMessageAboveMaxMessageSizeIsCountedTooLargeInEveryPollThatListsIt() throws Exception {
        deliver(greenMail, "alice", textMessage("small", "fits"));
        deliver(greenMail, "alice", textMessage("large", "x".repeat(4000)));
        MailboxStatistics statistics = consume("&delay=50&maxMessageSize=2000");
        // the first poll meets it (reported to the exception handler once); each later one lists it alone, unseen
        Eventually.await(() -> statistics.messagesTooLarge() >= 3, () -> "too large " + statistics.messagesTooLarge()
                + " in " + statistics.polls() + " polls; the last summary: " + statistics.lastSummary());
        awaitSummary(statistics, "1 listed, 0 routed, 0 failed, 0 skipped");
        assertEquals(1, statistics.lastSummary().tooLarge());
        assertTrue(statistics.lastSummary().toString().contains(
                " 0 skipped, 1 too large (above maxMessageSize, left on the server), "), statistics.lastSummary()
                .toString());
        assertEquals(0, statistics.messagesFailed(), "too large is not counted as failed too");
        assertEquals(1, statistics.messagesRouted());
        assertEquals(Set.of("small"), routed);
    }

    @Test
    void aRoutedMessageWhoseHeaderAsksForAnUnsafeFolderIsCountedAsRouted() throws Exception {
        deliver(greenMail, "alice", textMessage("m1", "its route sets a moveTo with a line break"));
        inRoute = () -> { };
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=alice"
                     + "&password=s3cret&initialDelay=0&delay=3600000").routeId("unsafe")
                        .setHeader("CamelCatalystMailMoveTo", constant("Archive\r\nA1 DELETE INBOX"));
            }
        });
        MailboxStatistics statistics = ((CatalystMailConsumer) context.getRoute("unsafe").getConsumer()).statistics();
        awaitSummary(statistics, "1 listed, 1 routed, 0 failed, 0 skipped");
        assertEquals(Map.of(), statistics.lastSummary().actions());
    }

    private void deleteDone() {
        try {
            greenMail.getManagers().getImapHostManager()
                    .deleteMailbox(greenMail.getUserManager().getUser("alice"), "Done");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
