package io.catalystmail.camel.faults;

import java.util.List;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.HostileBytes;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With idempotentKey=MESSAGE_ID the consumer reads the listed messages' Message-IDs from their headers before it
 * fetches them. A server that announces one answer as 5,000,000,000 octets costs the connection and that poll, which
 * fails naming server, command, message and size; the later polls leave that message out of the header fetch (it is
 * fetched in full and checked, as after a refused fetch), and every message is routed once. Before, the answer was
 * streamed past until fetchTimeout, in every poll.
 * <p>
 * A message whose Date header-field answer is 2 MiB (a sender's thousands of {@code Date:} lines), beyond the
 * 8 KiB + 1 MiB an answer is read or passed over for, costs the connection. With sortOrder=DATE_ASCENDING it costs
 * one poll: the later listings order it by INTERNALDATE and every message is routed (before, every listing asked
 * for it again and every poll failed, nothing routed). In the default order only the sizes of the messages above
 * maxMessageSize are fetched, no Date, so it costs nothing (before, such a message failed every poll too).
 */
class FarTooLargeHeaderAnswerTest {

    private static final String DATE_LISTING = "UID INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE)])";

    @RegisterExtension
    static GreenMailExtension greenMail = HostileServerRun.greenMail(ServerSetupTest.IMAP, "ivy");

    @Test
    void aHeaderAnswerOfFiveGigabytesCostsOnePollAndTheMessageIsFetchedInFull() throws Exception {
        deliverAround("announced huge", "its Message-ID answer says 5 GB");
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // the header fetch of all three, in every connection: UID 2's answer announced at 5 GB, never ending;
            // a header fetch that leaves UID 2 out goes to GreenMail
            proxy.answer("UID FETCH 1:3 (UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])", line -> HostileBytes.repeat(
                    "* 2 FETCH (UID 2 BODY[HEADER.FIELDS (MESSAGE-ID)] {5000000000}\r\n", "x".repeat(8192),
                    HostileBytes.ENDLESS, ""), 0).everyTime();
            try (HostileServerRun run = new HostileServerRun(HostileServerRun.uri("imap", proxy.port(), "ivy",
                    "unseen=false&idempotentKey=MESSAGE_ID&idempotentRepository=#repository&fetchTimeout=300000"
                    + "&readTimeout=60000"))) {
                run.context().getRegistry().bind("repository", new MemoryIdempotentRepository());
                run.start();
                run.awaitError("127.0.0.1:" + proxy.port(), "UID FETCH", "UID 2", "5000000000 octets",
                        "connection was dropped");
                run.awaitProcessed("first");
                run.awaitProcessed("announced huge");
                run.awaitProcessed("third");
                run.awaitMorePolls(3);
                assertEquals(2, proxy.connections(), "the dropped connection and the one after it, kept");
                assertEquals(List.of("announced huge", "first", "third"), run.processed().stream().sorted().toList(),
                        "each routed once");
                run.assertStillPolling();
            }
        }
    }

    @Test
    void anAnswerNamingNoMessageLeavesTheHeaderFetchOutForTenPollsNotForGood() throws Exception {
        deliverAround("second", "routed");
        String headerFetch = "UID FETCH 1:3 (UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])";
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // once: an answer announced at 5 GB before its UID, so it names no message asked about
            proxy.answer(headerFetch, line -> HostileBytes.repeat(
                    "* 2 FETCH (BODY[HEADER.FIELDS (MESSAGE-ID)] {5000000000}\r\n", "x".repeat(8192),
                    HostileBytes.ENDLESS, ""), 0);
            try (HostileServerRun run = new HostileServerRun(HostileServerRun.uri("imap", proxy.port(), "ivy",
                    "unseen=false&idempotentKey=MESSAGE_ID&idempotentRepository=#repository&fetchTimeout=300000"
                    + "&readTimeout=60000"))) {
                run.context().getRegistry().bind("repository", new MemoryIdempotentRepository());
                run.start();
                run.awaitError("127.0.0.1:" + proxy.port(), "a message whose UID came after it", "5000000000");
                run.awaitProcessed("first");
                run.awaitProcessed("second");
                run.awaitProcessed("third");
                // the polls after it fetch the kept messages in full to check them; some ten polls later the header
                // fetch is asked again, answered, and the kept messages are no longer downloaded
                Eventually.await(() -> proxy.timesSent(headerFetch) >= 2, () -> "header fetch asked again: "
                        + proxy.timesSent(headerFetch) + " times, " + proxy.timesSent("BODY.PEEK[])") + " full");
                int fullFetches = proxy.timesSent("BODY.PEEK[])");
                run.awaitMorePolls(3);
                assertEquals(fullFetches, proxy.timesSent("BODY.PEEK[])"), "no more full fetches");
                assertEquals(List.of("first", "second", "third"), run.processed().stream().sorted().toList(),
                        "each routed once");
                run.assertStillPolling();
            }
        }
    }

    @Test
    void byDateTheMessageCostsOnePollAndIsThenOrderedByItsArrival() throws Exception {
        deliverAround("long date", "its Date answer is 2 MiB");
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("UID FETCH 1:3 (" + DATE_LISTING, FarTooLargeHeaderAnswerTest::twoMebibyteDateOfUid2, 0)
                    .everyTime();
            try (HostileServerRun run = new HostileServerRun(HostileServerRun.uri("imap", proxy.port(), "ivy",
                    "sortOrder=DATE_ASCENDING"))) {
                run.start();
                run.awaitError("127.0.0.1:" + proxy.port(), "UID FETCH", "UID 2", "2097152 octets");
                run.awaitProcessed("first");
                run.awaitProcessed("long date");
                run.awaitProcessed("third");
                MailboxStatistics statistics = run.awaitMorePolls(3);
                assertEquals(1, statistics.failedPolls(), "the poll whose listing met the answer, alone");
                assertEquals(List.of("first", "long date", "third"), run.processed().stream().sorted().toList(),
                        "each routed once");
                assertTrue(proxy.clientText().contains("UID FETCH 2 (UID INTERNALDATE RFC822.SIZE)"),
                        "its arrival asked for instead: " + proxy.clientText());
                run.assertStillPolling();
            }
        }
    }

    @Test
    void inUidOrderOnlySizesAreFetchedForMessagesAboveMaxMessageSize() throws Exception {
        deliverAround("big", "x".repeat(5000));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // what the listing asked before, for the message above maxMessageSize
            proxy.answer("UID FETCH 2 (" + DATE_LISTING, FarTooLargeHeaderAnswerTest::twoMebibyteDateOfUid2, 0)
                    .everyTime();
            try (HostileServerRun run = new HostileServerRun(HostileServerRun.uri("imap", proxy.port(), "ivy",
                    "maxMessageSize=2000"))) {
                run.start();
                run.awaitError("UID 2", "maxMessageSize=2000");
                run.awaitProcessed("first");
                run.awaitProcessed("third");
                MailboxStatistics statistics = run.awaitMorePolls(3);
                assertEquals(0, statistics.failedPolls(), run.errorText());
                assertEquals(List.of("first", "third"), run.processed().stream().sorted().toList(), "each once");
                assertFalse(proxy.fired(), "no Date asked for: " + proxy.clientText());
                run.assertStillPolling();
            }
        }
    }

    @Test
    void anAnswerBeforeItsUidLeavesDatesOutOfTheNextTenListings() throws Exception {
        deliver(greenMail, "ivy", textMessage("first", "routed"));
        deliver(greenMail, "ivy", textMessage("second", "routed"));
        String dated = "UID FETCH 1:2 (" + DATE_LISTING;
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // once: the 2 MiB answer comes before the UID, so it names no message asked about
            proxy.answer(dated, line -> HostileBytes.repeat("* 2 FETCH (BODY[HEADER.FIELDS (DATE)] {2097152}\r\n",
                    "x".repeat(1024), 2048, " UID 2)\r\n" + FaultProxy.tagOf(line) + " OK FETCH completed\r\n"), 0);
            try (HostileServerRun run = new HostileServerRun(HostileServerRun.uri("imap", proxy.port(), "ivy",
                    "sortOrder=DATE_ASCENDING&unseen=false&idempotentRepository=#repository"))) {
                run.context().getRegistry().bind("repository",
                        new MemoryIdempotentRepository());
                run.start();
                run.awaitError("a message whose UID came after it", "2097152 octets");
                run.awaitProcessed("first");
                run.awaitProcessed("second");
                // the next 10 listings by arrival alone, then the Dates are asked for again
                Eventually.await(() -> proxy.timesSent(dated) >= 2, () -> proxy.timesSent(dated) + " dated listings");
                assertEquals(10, proxy.timesSent("UID FETCH 1:2 (UID INTERNALDATE RFC822.SIZE)\r"),
                        "listings by arrival alone: " + proxy.clientText());
                assertEquals(1, run.statistics().failedPolls());
                assertEquals(List.of("first", "second"), run.processed().stream().sorted().toList(), "each once");
            }
        }
    }

    /** "first", then the message the hostile answer is about (UID 2), then "third". */
    private static void deliverAround(String subject, String body) {
        deliver(greenMail, "ivy", textMessage("first", "routed"));
        deliver(greenMail, "ivy", textMessage(subject, body));
        deliver(greenMail, "ivy", textMessage("third", "routed"));
    }

    /** UID 2's Date answer announced and sent as 2 MiB, then the command's OK: finite, but far above the bound. */
    private static java.io.InputStream twoMebibyteDateOfUid2(String line) {
        return HostileBytes.repeat("* 2 FETCH (UID 2 BODY[HEADER.FIELDS (DATE)] {2097152}\r\n", "x".repeat(1024),
                2048, ")\r\n" + FaultProxy.tagOf(line) + " OK FETCH completed\r\n");
    }
}
