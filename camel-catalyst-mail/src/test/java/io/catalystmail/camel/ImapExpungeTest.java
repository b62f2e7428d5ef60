package io.catalystmail.camel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.ExpungeOrder;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FinishedPolls;
import jakarta.mail.Flags;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.subjectOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deletion over IMAP: messages are flagged \Deleted round by round and expunged at the poll's end (behind a later
 * fetch once a poll has flagged a batch of them), and a message flagged \Deleted is never routed. (A connection lost
 * between flag and expunge: the fault matrix shows the next session expunging what the lost one flagged.)
 */
class ImapExpungeTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    /**
     * The limit for a poll of thousands of messages. GreenMail answers each round's UID STORE in 0.3-0.5 s on a loaded
     * two-core machine: the poll of 2,300 in rounds of 61 was still running after Eventually's default 20 s at load 14,
     * and took 52 s at load 16 beside the other test JVM. The waits end as soon as the poll is done, so the limit costs
     * a passing run nothing; it only has to show a poll that hangs.
     */
    private static final Duration THOUSANDS_OF_MESSAGES = Duration.ofMinutes(3);

    private final Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();

    private void consume(int port, String options) throws Exception {
        String uri = "catalystmail:imap:127.0.0.1:" + port + "?username=alice&password=s3cret&initialDelay=0&delay=100"
                     + "&" + options;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("mail").process(e -> routed
                        .computeIfAbsent(e.getMessage().getHeader("Subject", String.class), s -> new AtomicInteger())
                        .incrementAndGet());
            }
        });
    }

    private void deliverMany(int count) {
        for (int i = 1; i <= count; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "body " + i));
        }
    }

    private void awaitAllRoutedOnceAndGone(int count) {
        Eventually.await(THOUSANDS_OF_MESSAGES,
                () -> routed.size() == count && messages(greenMail, "alice", "INBOX").isEmpty(),
                () -> routed.size() + " of " + count + " routed, " + messages(greenMail, "alice", "INBOX").size()
                      + " left on the server");
        routed.forEach((subject, times) -> assertEquals(1, times.get(), subject + " routed more than once"));
    }


    /**
     * The flag of a round is answered before the next round is routed; the expunge, which nobody waits for, waits
     * for a batch of answered flags ({@code BatchedExpunge.EXPUNGE_BATCH}, 2,000) and then rides behind a later
     * round's FETCH, so the client routes the round it holds while the server removes the files (it used to be sent
     * on its own and awaited, the poll standing still meanwhile; why a batch is that large: BatchedExpunge's
     * javadoc).
     */
    @Test
    void eachRoundIsFlaggedBeforeTheNextIsRoutedAndExpungedBehindTheFetchAfterIt() throws Exception {
        deliverMany(3500);
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            consume(proxy.port(), "delete=true&fetchRoundSize=500");
            awaitAllRoutedOnceAndGone(3500);
            context.getRouteController().stopRoute("mail");
            String sent = proxy.clientText();
            assertEquals(1, proxy.connections());
            List<String> steps = sent.lines().map(ImapExpungeTest::step).filter(s -> !s.isEmpty()).toList();
            // rounds A to G: A is fetched, B fetched while A is routed; each round's flag goes out while the next
            // is read (or at once when it was read first), the round after it once that flag is answered. A
            // round's last exchange is routed with the next (it waits to learn whether it closes the batch), so A's
            // flag names 499, B's to F's 500, G's 501. An expunge names only messages whose flag was answered, once
            // 2,000 are, and only while a round is on the wire: A's to E's (2,499) go once F's flag is answered,
            // behind G's fetch (the last round: no FETCH to ride on, so at once); F's and G's together at the end
            assertEquals(List.of("FETCH", "FETCH", "STORE", "FETCH", "STORE", "FETCH", "STORE", "FETCH", "STORE",
                    "FETCH", "STORE", "FETCH", "STORE", "EXPUNGE", "STORE", "EXPUNGE"), steps, sent);
        }
    }

    /**
     * A poll of part of the mailbox (maxMessagesPerPoll below its size) in rounds that do not divide it: every
     * message it takes is routed once and removed, none is left flagged, the rest is untouched;
     * and each UID EXPUNGE, the one sent in the middle of the poll (behind a FETCH, once a batch of 2,000 flags,
     * BatchedExpunge.EXPUNGE_BATCH, was answered) and the one at its end, names only messages whose UID STORE the
     * client had read the answer to before sending it.
     * Its result depends on that STORE's, so RFC 3501 §5.5 forbids pipelining the two: Dovecot ran such an EXPUNGE
     * beside its STORE, answered OK and removed nothing (the benchmark's polls left 100 messages flagged \Deleted).
     */
    @Test
    void anExpungeNamesOnlyMessagesWhoseFlagTheServerAnswered() throws Exception {
        deliverMany(2330);
        FinishedPolls polls = new FinishedPolls();
        context.getRegistry().bind("finishedPolls", polls);
        try (CapturedLog log = new CapturedLog()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=alice"
                         + "&password=s3cret&initialDelay=0&delay=3600000&delete=true&fetchRoundSize=61"
                         + "&maxMessagesPerPoll=2300&pollStrategy=#finishedPolls")
                            .routeId("mail").process(e -> routed
                                    .computeIfAbsent(e.getMessage().getHeader("Subject", String.class),
                                            s -> new AtomicInteger())
                                    .incrementAndGet());
                }
            });
            polls.await(1, THOUSANDS_OF_MESSAGES);
            ExpungeOrder.assertExpungesFollowAnsweredFlags(log.text());
            List<String> steps = log.text().lines().map(ImapExpungeTest::step).filter(s -> !s.isEmpty()).toList();
            assertTrue(steps.indexOf("EXPUNGE") < steps.lastIndexOf("FETCH"),
                    "an expunge went out while the poll still fetched: " + steps);
        }
        assertEquals(2300, polls.messages());
        routed.forEach((subject, times) -> assertEquals(1, times.get(), subject + " routed more than once"));
        List<StoredMessage> left = messages(greenMail, "alice", "INBOX");
        assertEquals(List.of(), left.stream().filter(m -> m.isSet(Flags.Flag.DELETED)).map(m -> subjectOf(m)).toList(),
                "left flagged \\Deleted");
        Set<String> all = IntStream.rangeClosed(1, 2330).mapToObj(i -> "m" + i).collect(Collectors.toSet());
        assertEquals(all, java.util.stream.Stream.concat(routed.keySet().stream(), left.stream().map(m -> subjectOf(m)))
                .collect(Collectors.toSet()), "every message routed or left, never both");
        assertEquals(30, left.size(), "left: " + left.stream().map(m -> subjectOf(m)).toList());
    }

    /** FETCH (of bodies), STORE or EXPUNGE for those client lines, else empty. */
    private static String step(String line) {
        if (line.contains("UID FETCH") && line.contains("BODY.PEEK[]")) {
            return "FETCH";
        } else if (line.contains("UID STORE") && line.contains("\\Deleted")) {
            return "STORE";
        } else if (line.contains("EXPUNGE")) {
            return "EXPUNGE";
        }
        return "";
    }

    /**
     * What a crash (kill -9) in the middle of a poll would re-deliver: the rounds routed before the one in the
     * route reach the server flagged \Deleted while the route is still busy, so a node that takes over lists
     * only the round in the route and those behind it.
     */
    @Test
    void roundsRoutedBeforeTheOneInTheRouteAreFlaggedWhileItRuns() throws Exception {
        deliverMany(120);
        CountDownLatch inRoundFour = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        String uri = "catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort()
                     + "?username=alice&password=s3cret&initialDelay=0&delay=100&fetchRoundSize=20&delete=true";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("mail").process(e -> {
                    if (e.getMessage().getHeader("Subject", String.class).equals("m70")) {
                        inRoundFour.countDown();
                        release.await(20, TimeUnit.SECONDS);
                    }
                });
            }
        });
        try {
            assertTrue(inRoundFour.await(20, TimeUnit.SECONDS));
            // flagged, or already expunged behind a later fetch: only the round in the route (with the last
            // exchange of the round before, routed with it) and those after it are left for a node that takes over
            Set<String> left = IntStream.rangeClosed(60, 120).mapToObj(i -> "m" + i).collect(Collectors.toSet());
            Eventually.await(() -> Set.copyOf(unflagged()).equals(left), () -> "left unflagged: " + unflagged());
        } finally {
            release.countDown();
        }
    }

    private List<String> unflagged() {
        return messages(greenMail, "alice", "INBOX").stream().filter(m -> !m.isSet(Flags.Flag.DELETED))
                .map(m -> subjectOf(m)).toList();
    }

    @Test
    void aMessageFlaggedDeletedIsNotRouted() throws Exception {
        deliverMany(3);
        StoredMessage second = messages(greenMail, "alice", "INBOX").stream()
                .filter(m -> subjectOf(m).equals("m2")).findFirst().orElseThrow();
        // another client flagged it for deletion and has not expunged yet
        second.setFlag(Flags.Flag.DELETED, true);
        consume(greenMail.getImap().getPort(), "fetchRoundSize=20&markSeen=true");
        Eventually.await(() -> routed.keySet().equals(java.util.Set.of("m1", "m3")), () -> "routed " + routed.keySet());
        context.getRouteController().stopRoute("mail");
        assertEquals(List.of("m1", "m2", "m3"), messages(greenMail, "alice", "INBOX").stream()
                .map(m -> subjectOf(m)).sorted().toList());
    }
}
