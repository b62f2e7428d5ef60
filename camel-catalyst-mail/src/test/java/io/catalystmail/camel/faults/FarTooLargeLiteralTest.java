package io.catalystmail.camel.faults;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConsumer;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.HostileBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.FaultProxy.tagOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.subjectOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A FETCH literal announced far above maxMessageSize (more than {@code MessageDelivery.MOST_SKIPPED}, 1 MiB, over it)
 * is not read to its end: the connection is dropped at its announcement, the message reported once (server, UID,
 * size) and left out of every later poll without being fetched again, and the messages around it are routed, each
 * once. Before, the literal was read and thrown away to its end, gigabytes, until fetchTimeout. The poll that met it
 * fails, naming it without reporting it again, so health and backoff see such a server.
 */
class FarTooLargeLiteralTest {

    @RegisterExtension
    static GreenMailExtension greenMail = HostileServerRun.greenMail(ServerSetupTest.IMAP, "ivy");

    /** Counts what a hostile answer handed to the proxy, that is, at most what the client was sent. */
    private static InputStream counted(InputStream in, AtomicLong served) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    served.addAndGet(n);
                }
                return n;
            }
        };
    }

    /**
     * Lets a few more polls run, then shows the message was reported once and fetched by one connection only.
     *
     * @return the consumer's figures
     */
    private static MailboxStatistics reportedOnceOverLaterPolls(HostileServerRun run, FaultProxy proxy, String uid) {
        MailboxStatistics statistics = run.awaitMorePolls(3);
        String messages = run.errorText();
        assertEquals(1, messages.split("could not be read \\(message " + uid, -1).length - 1,
                "reported once: " + messages);
        // once to the exception handler, as an unreadable message: not a second time as the poll's failure
        assertEquals(1, messages.split("ConnectionDroppedForSizeException: message " + uid, -1).length - 1,
                "handed to the exception handler once: " + messages);
        // the poll that met it ended there and failed, naming it, so health and backoff see such a server
        assertEquals(1, statistics.failedPolls(), "the poll that met it failed: " + messages);
        assertEquals(1, messages.split("ended where message " + uid + " cost the connection", -1).length - 1,
                "the poll's failure names it: " + messages);
        assertEquals(2, proxy.connections(), "the dropped connection and the one after it, kept");
        return statistics;
    }

    /**
     * The first FETCH of the first connection is answered by the script: UID 2 first, 5,000,000,000 octets announced,
     * sent as fast as the client reads, never ending.
     */
    private static void answerFiveGigabytesForUid2(FaultProxy proxy) {
        proxy.answer("UID FETCH", line -> HostileBytes.repeat("* 2 FETCH (UID 2 FLAGS () INTERNALDATE"
                + " \"01-Dec-2026 10:00:00 +0000\" BODY[] {5000000000}\r\n", "x".repeat(8192),
                HostileBytes.ENDLESS, ""), 0);
    }

    /** Waits until the route's consumer has polled four times, the one that met the message failed. */
    private static void awaitFourPollsOneFailed(org.apache.camel.CamelContext context, String routeId) {
        MailboxStatistics statistics = ((CatalystMailConsumer) context.getRoute(routeId).getConsumer()).statistics();
        Eventually.await(() -> statistics.failedPolls() == 1 && statistics.polls() >= 4,
                () -> statistics.polls() + " polls, " + statistics.failedPolls() + " failed");
    }

    /** Every SEARCH LARGER is answered with nothing: the listing does not know which messages are too large. */
    private static void withholdSizes(FaultProxy proxy) {
        proxy.answer("LARGER", line -> HostileBytes.text("* SEARCH\r\n" + tagOf(line) + " OK SEARCH done\r\n"), 0)
                .everyTime();
    }

    /** The message stayed in the folder: every poll lists it and counts it too large. */
    private static void countedTooLargeByEveryPoll(MailboxStatistics statistics) {
        assertTrue(statistics.messagesTooLarge() >= 3, "counted too large in every poll that listed it: "
                + statistics.messagesTooLarge());
    }

    @Test
    void aLiteralOfFiveGigabytesCostsTheConnectionNotTheGigabytes() throws Exception {
        deliver(greenMail, "ivy", textMessage("before", "routed"));
        deliver(greenMail, "ivy", textMessage("huge", "GreenMail's copy is small; the script says 5 GB"));
        deliver(greenMail, "ivy", textMessage("after", "routed"));
        AtomicLong served = new AtomicLong();
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // the first FETCH of the first connection is answered by the script: UID 2 first, 5,000,000,000 octets
            // announced, sent as fast as the client reads, never ending
            proxy.answer("UID FETCH", line -> counted(HostileBytes.repeat("* 2 FETCH (UID 2 FLAGS () INTERNALDATE"
                    + " \"01-Dec-2026 10:00:00 +0000\" BODY[] {5000000000}\r\n", "x".repeat(8192),
                    HostileBytes.ENDLESS, ")\r\n" + tagOf(line) + " OK\r\n"), served), 0);
            try (HostileServerRun run = new HostileServerRun(HostileServerRun.uri("imap", proxy.port(), "ivy",
                    "maxMessageSize=100000&fetchTimeout=300000&readTimeout=60000")).start()) {
                run.awaitError("UID 2", "127.0.0.1:" + proxy.port(), "5000000000 octets", "maxMessageSize=100000",
                        "connection was dropped");
                run.awaitProcessed("before");
                run.awaitProcessed("after");
                countedTooLargeByEveryPoll(reportedOnceOverLaterPolls(run, proxy, "UID 2"));
                assertEquals(List.of("after", "before"), run.processed().stream().sorted().toList(),
                        "each routed once, the huge one never");
                assertTrue(served.get() < 64L << 20, "read " + served.get() + " octets of the 5 GB literal");
                run.assertStillPolling();
            }
        }
    }

    /**
     * A real message of 1.2 MB behind a server that understates it (its SEARCH LARGER answers nothing, so the listing
     * does not know it is too large): its literal is 1.1 MB above maxMessageSize=100000, the connection is dropped.
     */
    @Test
    void aRealMessageFarAboveTheLimitIsFetchedOnceAndLeftOut() throws Exception {
        deliver(greenMail, "ivy", textMessage("before", "routed"));
        deliver(greenMail, "ivy", textMessage("huge", "y".repeat(1_200_000)));
        deliver(greenMail, "ivy", textMessage("after", "routed"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            withholdSizes(proxy);
            try (HostileServerRun run = new HostileServerRun(HostileServerRun.uri("imap", proxy.port(), "ivy",
                    "maxMessageSize=100000")).start()) {
                run.awaitError("UID 2", "127.0.0.1:" + proxy.port(), "maxMessageSize=100000", "connection was dropped");
                run.awaitProcessed("before");
                run.awaitProcessed("after");
                countedTooLargeByEveryPoll(reportedOnceOverLaterPolls(run, proxy, "UID 2"));
                assertEquals(List.of("after", "before"), run.processed().stream().sorted().toList());
            }
        }
    }

    /**
     * The oversized message is the first listed and each poll may route one (maxMessagesPerPoll=1): the listing is not
     * cut before the known oversized one is left out, else every poll would list it alone and route nothing.
     */
    @Test
    void aKnownOversizedMessageFirstInTheListDoesNotTakeThePollsShare() throws Exception {
        deliver(greenMail, "ivy", textMessage("huge", "y".repeat(1_200_000)));
        deliver(greenMail, "ivy", textMessage("after", "routed"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            withholdSizes(proxy);
            try (HostileServerRun run = new HostileServerRun(HostileServerRun.uri("imap", proxy.port(), "ivy",
                    "maxMessageSize=100000&maxMessagesPerPoll=1")).start()) {
                run.awaitError("UID 1", "maxMessageSize=100000", "connection was dropped");
                run.awaitProcessed("after");
                assertEquals(List.of("after"), run.processed());
            }
        }
    }

    /**
     * With moveFailedTo, a message that cost the connection goes there with the next poll (its connection was gone
     * before the move could go out), as one found too large in a round goes with that round's actions.
     */
    @Test
    void aMessageThatCostTheConnectionGoesToMoveFailedToWithTheNextPoll() throws Exception {
        deliver(greenMail, "ivy", textMessage("before", "routed"));
        deliver(greenMail, "ivy", textMessage("huge", "GreenMail's copy is small; the script says 5 GB"));
        io.catalystmail.camel.testsupport.GreenMailboxes.folder(greenMail, "ivy", "Failed");
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            answerFiveGigabytesForUid2(proxy);
            try (HostileServerRun run = new HostileServerRun(HostileServerRun.uri("imap", proxy.port(), "ivy",
                    "maxMessageSize=100000&moveFailedTo=Failed")).start()) {
                run.awaitError("UID 2", "connection was dropped");
                run.awaitProcessed("before");
                Eventually.await(HostileServerRun.DEADLINE, () -> messages(greenMail, "ivy", "Failed").size() == 1,
                        () -> "moved to Failed: " + messages(greenMail, "ivy", "Failed").size());
                assertEquals("huge", subjectOf(messages(greenMail, "ivy", "Failed").get(0)));
                reportedOnceOverLaterPolls(run, proxy, "UID 2");
                assertEquals(List.of("before"), run.processed());
            }
        }
    }

    /**
     * With bridgeErrorHandler=true the route's error handler gets the message's own report, with its UID header, and
     * no second exchange for the poll that met it: before, the poll's failure was bridged too, one more error exchange
     * for the same message. The poll still counts as failed (health, backoff).
     */
    @Test
    void withBridgeErrorHandlerTheRouteGetsOneErrorExchangeForTheMessage() throws Exception {
        deliver(greenMail, "ivy", textMessage("before", "routed"));
        deliver(greenMail, "ivy", textMessage("huge", "the script says 5 GB"));
        List<org.apache.camel.Exchange> bridged = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort());
             org.apache.camel.impl.DefaultCamelContext context = new org.apache.camel.impl.DefaultCamelContext()) {
            answerFiveGigabytesForUid2(proxy);
            context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    onException(Exception.class).handled(true).process(bridged::add);
                    from(HostileServerRun.uri("imap", proxy.port(), "ivy", "maxMessageSize=100000&initialDelay=0"
                            + "&delay=100&readTimeout=60000&bridgeErrorHandler=true")).routeId("bridged")
                            .log("${header.Subject}");
                }
            });
            context.start();
            awaitFourPollsOneFailed(context, "bridged");
            context.stop();
            List<String> failures = bridged.stream().map(e -> String.valueOf(
                    e.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class))).toList();
            assertEquals(1, bridged.size(), "one error exchange for the message: " + failures);
            assertEquals(2L, bridged.get(0).getMessage().getHeader(io.catalystmail.camel.CatalystMailConstants.UID),
                    "the message's own report, with its UID: " + failures);
        }
    }

    /**
     * With Camel's default handler (QuietPollFailures): the message's one report at WARN, the poll's end one INFO line
     * naming it, no "Failed polling endpoint" line reporting it a second time.
     */
    @Test
    void withTheDefaultHandlerTheMessageIsOneWarningAndThePollsEndOneInfoLine() throws Exception {
        deliver(greenMail, "ivy", textMessage("before", "routed"));
        deliver(greenMail, "ivy", textMessage("huge", "the script says 5 GB"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort());
             io.catalystmail.camel.testsupport.CapturedLog log = new io.catalystmail.camel.testsupport.CapturedLog();
             org.apache.camel.impl.DefaultCamelContext context = new org.apache.camel.impl.DefaultCamelContext()) {
            answerFiveGigabytesForUid2(proxy);
            context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from(HostileServerRun.uri("imap", proxy.port(), "ivy", "maxMessageSize=100000&initialDelay=0"
                            + "&delay=100&readTimeout=60000")).routeId("quiet").log("${header.Subject}");
                }
            });
            context.start();
            awaitFourPollsOneFailed(context, "quiet");
            context.stop();
            // lines above DEBUG (a stack trace's lines belong to the DEBUG line before them)
            List<String> lines = log.text().lines().filter(l -> l.matches("^(INFO|WARN|ERROR)\\|.*")
                    && l.contains("UID 2")).toList();
            assertEquals(2, lines.size(), "the report and the poll's end: " + lines);
            assertTrue(lines.get(0).startsWith("WARN|") && lines.get(0).contains("could not be read"), lines.get(0));
            assertTrue(lines.get(1).startsWith("INFO|") && lines.get(1).contains("ended where message UID 2 cost"
                    + " the connection"), lines.get(1));
            assertFalse(log.text().contains("Failed polling endpoint"), log::text);
        }
    }
}
