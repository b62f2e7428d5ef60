package io.catalystmail.camel.faults;

import java.util.List;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConsumer;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.HostileBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message whose Date header-field answer is 2 MiB (a sender's thousands of {@code Date:} lines), beyond the
 * 8 KiB + 1 MiB an answer is read or passed over for, costs the connection. With sortOrder=DATE_ASCENDING it costs
 * one poll: the later listings order it by INTERNALDATE and every message is routed (before, every listing asked
 * for it again and every poll failed, nothing routed). In the default order only the sizes of the messages above
 * maxMessageSize are fetched, no Date, so it costs nothing (before, such a message failed every poll too).
 */
class LongDateAnswerTest {

    private static final String DATE_LISTING = "UID INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE)])";

    @RegisterExtension
    static GreenMailExtension greenMail = HostileServerRun.greenMail(ServerSetupTest.IMAP, "ivy");

    @Test
    void byDateTheMessageCostsOnePollAndIsThenOrderedByItsArrival() throws Exception {
        deliver(greenMail, "ivy", textMessage("first", "routed"));
        deliver(greenMail, "ivy", textMessage("long date", "its Date answer is 2 MiB"));
        deliver(greenMail, "ivy", textMessage("third", "routed"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("UID FETCH 1:3 (" + DATE_LISTING, LongDateAnswerTest::twoMebibyteDateOfUid2, 0).everyTime();
            try (HostileServerRun run = new HostileServerRun(HostileServerRun.uri("imap", proxy.port(), "ivy",
                    "sortOrder=DATE_ASCENDING"))) {
                run.start();
                run.awaitError("127.0.0.1:" + proxy.port(), "UID FETCH", "UID 2", "2097152 octets");
                run.awaitProcessed("first");
                run.awaitProcessed("long date");
                run.awaitProcessed("third");
                MailboxStatistics statistics = statistics(run);
                long polls = statistics.polls();
                Eventually.await(() -> statistics.polls() >= polls + 3, () -> statistics.polls() + " polls");
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
        deliver(greenMail, "ivy", textMessage("first", "routed"));
        deliver(greenMail, "ivy", textMessage("big", "x".repeat(5000)));
        deliver(greenMail, "ivy", textMessage("third", "routed"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // what the listing asked before, for the message above maxMessageSize
            proxy.answer("UID FETCH 2 (" + DATE_LISTING, LongDateAnswerTest::twoMebibyteDateOfUid2, 0).everyTime();
            try (HostileServerRun run = new HostileServerRun(HostileServerRun.uri("imap", proxy.port(), "ivy",
                    "maxMessageSize=2000"))) {
                run.start();
                run.awaitError("UID 2", "maxMessageSize=2000");
                run.awaitProcessed("first");
                run.awaitProcessed("third");
                MailboxStatistics statistics = statistics(run);
                long polls = statistics.polls();
                Eventually.await(() -> statistics.polls() >= polls + 3, () -> statistics.polls() + " polls");
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
                        new org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository());
                run.start();
                run.awaitError("a message whose UID came after it", "2097152 octets");
                run.awaitProcessed("first");
                run.awaitProcessed("second");
                // the next 10 listings by arrival alone, then the Dates are asked for again
                Eventually.await(() -> proxy.timesSent(dated) >= 2, () -> proxy.timesSent(dated) + " dated listings");
                assertEquals(10, proxy.timesSent("UID FETCH 1:2 (UID INTERNALDATE RFC822.SIZE)\r"),
                        "listings by arrival alone: " + proxy.clientText());
                assertEquals(1, statistics(run).failedPolls());
                assertEquals(List.of("first", "second"), run.processed().stream().sorted().toList(), "each once");
            }
        }
    }

    /** UID 2's Date answer announced and sent as 2 MiB, then the command's OK: finite, but far above the bound. */
    private static java.io.InputStream twoMebibyteDateOfUid2(String line) {
        return HostileBytes.repeat("* 2 FETCH (UID 2 BODY[HEADER.FIELDS (DATE)] {2097152}\r\n", "x".repeat(1024),
                2048, ")\r\n" + FaultProxy.tagOf(line) + " OK FETCH completed\r\n");
    }

    private static MailboxStatistics statistics(HostileServerRun run) {
        return ((CatalystMailConsumer) run.context().getRoute("hostile").getConsumer()).statistics();
    }
}
