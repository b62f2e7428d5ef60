package io.catalystmail.camel.faults;

import java.util.List;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConsumer;
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

/**
 * With idempotentKey=MESSAGE_ID the consumer reads the listed messages' Message-IDs from their headers before it
 * fetches them. A server that announces one answer as 5,000,000,000 octets costs the connection and that poll, which
 * fails naming server, command, message and size; the later polls leave that message out of the header fetch (it is
 * fetched in full and checked, as after a refused fetch), and every message is routed once. Before, the answer was
 * streamed past until fetchTimeout, in every poll.
 */
class FarTooLargeHeaderAnswerTest {

    @RegisterExtension
    static GreenMailExtension greenMail = HostileServerRun.greenMail(ServerSetupTest.IMAP, "ivy");

    @Test
    void aHeaderAnswerOfFiveGigabytesCostsOnePollAndTheMessageIsFetchedInFull() throws Exception {
        deliver(greenMail, "ivy", textMessage("first", "routed"));
        deliver(greenMail, "ivy", textMessage("announced huge", "its Message-ID answer says 5 GB"));
        deliver(greenMail, "ivy", textMessage("third", "routed"));
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
                MailboxStatistics statistics = ((CatalystMailConsumer) run.context().getRoute("hostile")
                        .getConsumer()).statistics();
                long polls = statistics.polls();
                Eventually.await(() -> statistics.polls() >= polls + 3, () -> statistics.polls() + " polls");
                assertEquals(2, proxy.connections(), "the dropped connection and the one after it, kept");
                assertEquals(List.of("announced huge", "first", "third"), run.processed().stream().sorted().toList(),
                        "each routed once");
                run.assertStillPolling();
            }
        }
    }

    @Test
    void anAnswerNamingNoMessageLeavesTheHeaderFetchOutForTenPollsNotForGood() throws Exception {
        deliver(greenMail, "ivy", textMessage("first", "routed"));
        deliver(greenMail, "ivy", textMessage("second", "routed"));
        deliver(greenMail, "ivy", textMessage("third", "routed"));
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
                MailboxStatistics statistics = ((CatalystMailConsumer) run.context().getRoute("hostile")
                        .getConsumer()).statistics();
                long polls = statistics.polls();
                int fullFetches = proxy.timesSent("BODY.PEEK[])");
                Eventually.await(() -> statistics.polls() >= polls + 3, () -> statistics.polls() + " polls");
                assertEquals(fullFetches, proxy.timesSent("BODY.PEEK[])"), "no more full fetches");
                assertEquals(List.of("first", "second", "third"), run.processed().stream().sorted().toList(),
                        "each routed once");
                run.assertStillPolling();
            }
        }
    }
}
