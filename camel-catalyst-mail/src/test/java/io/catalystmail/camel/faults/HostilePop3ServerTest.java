package io.catalystmail.camel.faults;

import java.time.Duration;
import java.util.List;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.HostileBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static io.catalystmail.camel.testsupport.HostileBytes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The POP3 rows of the hostile-server suite (see {@link HostileImapServerTest}): one reply of GreenMail's is
 * replaced, once, by what a broken or hostile server sends.
 */
class HostilePop3ServerTest {

    @RegisterExtension
    static GreenMailExtension greenMail = HostileServerRun.greenMail(ServerSetupTest.POP3, "pia");

    private static String uri(FaultProxy proxy, String options) {
        return HostileServerRun.uri("pop3", proxy.port(), "pia", "delete=true&" + options);
    }

    private static int inbox() {
        return messages(greenMail, "pia", "INBOX").size();
    }

    @Test
    void invalidListingLineIsSkippedAndTheValidOnesDelivered() throws Exception {
        deliver(greenMail, "pia", textMessage("valid", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            proxy.answer("UIDL", line -> text("+OK\r\n0 zero\r\nx y\r\n1 uidl-of-one\r\n.\r\n"), 0);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=5000")).start()) {
                run.awaitProcessed("valid");
                Eventually.await(HostileServerRun.DEADLINE, () -> inbox() == 0, () -> "deleted after processing");
                assertEquals(1, proxy.connections(), "the invalid lines cost no reconnect");
            }
        }
    }

    /**
     * How long the endless-listing tests wait for the cut: up to a million lines pass the proxy first, CPU work
     * (both parameterised cases took 8 s together at load 2, one took more than 20 s at load 25 on two cores).
     * The cut must still come long before the 300 s fetchTimeout the tests set, whose error would not match.
     */
    private static final Duration MILLION_LINES = Duration.ofSeconds(120);

    /** RFC 1939 §5: STAT counts the maildrop, which stays as it is during the session; UIDL lists it once. */
    @Test
    void endlessUidlListingIsCutAtTheCountOfStat() throws Exception {
        deliver(greenMail, "pia", textMessage("listed next time", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            proxy.answer("UIDL", line -> HostileBytes.of("+OK\r\n", i -> (i + 1) + " uidl-" + i + "\r\n",
                    HostileBytes.ENDLESS, ""), 0);
            // a deadline far beyond the wait: the listing must end at the bound, not at fetchTimeout
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=300000"), MILLION_LINES).start()) {
                run.awaitFailedPollThenOnly("listed next time", "127.0.0.1:" + proxy.port(),
                        "answered UIDL with more lines than the 1 message(s) STAT counted in the maildrop");
            }
        }
    }

    /**
     * STAT's count is the server's word too: a huge one, or none (STAT refused), is believed up to 20 x
     * maxListedMessages, at least a million, so an endless listing is still cut.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "+OK 4294967295 0", "-ERR no STAT today" })
    void endlessUidlListingAfterAHugeOrNoCountIsCutAtWhatACountIsBelievedFor(String stat) throws Exception {
        deliver(greenMail, "pia", textMessage("listed next time", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            proxy.answer("STAT", line -> text(stat + "\r\n"), 0)
                    .thenAnswer("UIDL", line -> HostileBytes.of("+OK\r\n", i -> (i + 1) + " uidl-" + i + "\r\n",
                            HostileBytes.ENDLESS, ""));
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=300000"), MILLION_LINES).start()) {
                run.awaitFailedPollThenOnly("listed next time", "127.0.0.1:" + proxy.port(),
                        "answered UIDL with more lines than the 1000000 message(s)",
                        stat.startsWith("+OK") ? "believed to hold (STAT said 4294967295;" : "(no count from STAT;",
                        "believed up to 20 x maxListedMessages, at least 1000000)");
            }
        }
    }

    /** A UIDL answer (without its end) for a maildrop of 3: message 2 listed twice, a message 9 beyond it. */
    static final String UIDL_BEYOND_AND_TWICE = "+OK\r\n1 uidl-one\r\n2 uidl-two\r\n2 uidl-two-again\r\n"
            + "9 uidl-nine\r\n";

    /** The WARNs that name the lines of {@link #UIDL_BEYOND_AND_TWICE} that were skipped. */
    static void assertBeyondAndTwiceNamed(CapturedLog log, FaultProxy proxy) {
        String server = "POP3 server 127.0.0.1:" + proxy.port();
        assertTrue(log.text().contains(server + " sent UIDL line for message 2 listed already (neither line is"
                + " taken), skipped: 2 uidl-two-again"), log.text());
        assertTrue(log.text().contains(server + " sent UIDL line for message 9, beyond the 3 message(s) of the"
                + " maildrop, skipped: 9 uidl-nine"), log.text());
    }

    /**
     * RFC 1939 §7: one line per message, numbered within the maildrop. A number beyond it, or one listed twice, is
     * named and skipped; of a message listed twice neither line is taken (which one is right, nobody can tell), so it
     * waits for a listing that makes sense. The others are delivered.
     */
    @Test
    void uidlLinesForMessagesBeyondTheMaildropOrListedTwiceAreNamedAndSkipped() throws Exception {
        deliver(greenMail, "pia", textMessage("one", "body"));
        deliver(greenMail, "pia", textMessage("two", "body"));
        deliver(greenMail, "pia", textMessage("three", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort());
             CapturedLog log = new CapturedLog()) {
            proxy.answer("UIDL", line -> text(UIDL_BEYOND_AND_TWICE + ".\r\n"), 0);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=5000")).start()) {
                run.awaitProcessed("one");
                run.awaitProcessed("two");
                run.awaitProcessed("three");
                assertBeyondAndTwiceNamed(log, proxy);
                assertEquals(List.of("one", "two", "three"), run.processed());
                run.assertStillPolling();
            }
        }
    }

    @Test
    void retrDrippingHitsFetchTimeout() throws Exception {
        deliver(greenMail, "pia", textMessage("slow", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            proxy.answer("RETR", line -> HostileBytes.repeat("+OK\r\nSubject: drip\r\n\r\n", "x", HostileBytes.ENDLESS,
                    ""), 2);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=3000")).start()) {
                run.awaitFailedPollThenOnly("slow", "127.0.0.1:" + proxy.port(), "RETR 1", "within 3000 ms (fetchTimeout)");
            }
        }
    }

    @Test
    void endlessCapaIsCutAtItsLineLimit() throws Exception {
        deliver(greenMail, "pia", textMessage("after capa", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            proxy.answer("CAPA", line -> HostileBytes.repeat("+OK\r\n", "X-CAP\r\n", HostileBytes.ENDLESS, ""), 0);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "loginTimeout=5000")).start()) {
                run.awaitError("127.0.0.1:" + proxy.port(), "more than 1000 lines answering CAPA");
                run.awaitProcessed("after capa");
            }
        }
    }

    @Test
    void messageAboveMaxMessageSizeByListIsNotRetrieved() throws Exception {
        deliver(greenMail, "pia", textMessage("big", "x".repeat(5000)));
        deliver(greenMail, "pia", textMessage("small", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "maxMessageSize=2000")).start()) {
                run.awaitError("127.0.0.1:" + proxy.port(), "maxMessageSize=2000", "UIDL ");
                run.awaitProcessed("small");
                assertFalse(proxy.clientText().contains("RETR 1\r\n"), "the big message was never retrieved");
                Eventually.await(HostileServerRun.DEADLINE, () -> inbox() == 1, () -> "only the small one deleted");
            }
        }
    }

    @Test
    void retrLongerThanListSaidIsCutAtMaxMessageSizeAndTheNextMessageDelivered() throws Exception {
        deliver(greenMail, "pia", textMessage("liar", "body"));
        deliver(greenMail, "pia", textMessage("honest", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            // LIST said a few hundred octets; RETR 1 never ends
            proxy.answer("RETR 1", line -> HostileBytes.repeat("+OK\r\nSubject: liar\r\n\r\n", "yyyyyyyyy\r\n",
                    HostileBytes.ENDLESS, ""), 0);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "maxMessageSize=100000")).start()) {
                run.awaitError("127.0.0.1:" + proxy.port(), "more than 100000 octets", "maxMessageSize=100000");
                run.awaitProcessed("honest");
                assertFalse(run.processed().contains("liar"));
                run.assertStillPolling();
            }
        }
    }

    @Test
    void sizeHeaderIsTheSizeReadNotTheOneListSaid() throws Exception {
        deliver(greenMail, "pia", textMessage("sized", "body of some length"));
        long stored = io.catalystmail.camel.testsupport.GreenMailboxes.bytesOf(messages(greenMail, "pia", "INBOX").get(0))
                .length;
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            proxy.answer("LIST", line -> text("+OK\r\n1 5\r\n.\r\n"), 0);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=5000")).start()) {
                run.awaitProcessed("sized");
                assertEquals(stored, run.size("sized"), "LIST said 5");
            }
        }
    }

    @Test
    void stopClosesTheSocketOfAPollStuckOnASilentServer() throws Exception {
        deliver(greenMail, "pia", textMessage("stuck", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            proxy.answer("RETR", line -> text(""), 0); // swallowed: no answer ever comes
            HostileServerRun run = new HostileServerRun(uri(proxy, "readTimeout=60000&fetchTimeout=60000"));
            run.start();
            Eventually.await(HostileServerRun.DEADLINE, proxy::fired, () -> "the RETR was sent");
            run.close(); // within 10 s, not after readTimeout
            assertEquals(1, inbox(), "nothing deleted");
        }
    }
}
