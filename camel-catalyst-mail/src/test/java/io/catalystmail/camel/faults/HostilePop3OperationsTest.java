package io.catalystmail.camel.faults;

import java.time.Duration;
import java.util.Map;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.HostileBytes;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static io.catalystmail.camel.testsupport.HostileBytes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The POP3 operations producer's listings (operation=list, uidl) meet a hostile server as the consumer's do: checked
 * line by line against STAT's count ({@code ListingLines}), under fetchTimeout. One reply of GreenMail's is replaced
 * through a {@link FaultProxy}.
 */
class HostilePop3OperationsTest {

    @RegisterExtension
    static GreenMailExtension greenMail = HostileServerRun.greenMail(ServerSetupTest.POP3, "pia");

    /** Far beyond what a test waits: where a test needs the listing cut, this deadline is not what cuts it. */
    private static final Duration NO_LONGER = Duration.ofSeconds(60);

    private final DefaultCamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    private Object request(FaultProxy proxy, String options) {
        context.start();
        ProducerTemplate template = context.createProducerTemplate();
        return template.requestBody(HostileServerRun.uri("pop3", proxy.port(), "pia", options), "");
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    /** Every message of the chain, the outermost first. */
    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    @Test
    void anEndlessUidlListingIsCutAtTheCountOfStat() throws Exception {
        deliver(greenMail, "pia", textMessage("one", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            proxy.answer("UIDL", line -> HostileBytes.of("+OK\r\n", i -> (i + 1) + " uidl-" + i + "\r\n",
                    HostileBytes.ENDLESS, ""), 0);
            CamelExecutionException e = assertTimeoutPreemptively(NO_LONGER, () -> assertThrows(
                    CamelExecutionException.class, () -> request(proxy, "operation=uidl&fetchTimeout=300000")));
            assertEquals("POP3 server 127.0.0.1:" + proxy.port() + " answered UIDL with more lines than the 1"
                    + " message(s) STAT counted in the maildrop; the listing was abandoned there", rootMessage(e));
        }
    }

    /** RFC 1939 §7: a line for a message beyond the maildrop, or for one listed already, is named and skipped. */
    @Test
    void uidlLinesBeyondTheMaildropOrListedTwiceAreNamedAndSkipped() throws Exception {
        deliver(greenMail, "pia", textMessage("one", "body"));
        deliver(greenMail, "pia", textMessage("two", "body"));
        deliver(greenMail, "pia", textMessage("three", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort());
             CapturedLog log = new CapturedLog()) {
            proxy.answer("UIDL", line -> text(HostilePop3ServerTest.UIDL_BEYOND_AND_TWICE + "3 uidl-three\r\n.\r\n"),
                    0);
            assertEquals(Map.of(1, "uidl-one", 3, "uidl-three"), request(proxy, "operation=uidl&fetchTimeout=5000"));
            HostilePop3ServerTest.assertBeyondAndTwiceNamed(log, proxy);
        }
    }

    /** A LIST answer dripped below readTimeout ends at fetchTimeout, naming server, command and option. */
    @Test
    void aDrippedListAnswerEndsAtFetchTimeout() throws Exception {
        deliver(greenMail, "pia", textMessage("one", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            proxy.answer("LIST", line -> HostileBytes.repeat("+OK\r\n1 ", "1", HostileBytes.ENDLESS, ""), 20);
            CamelExecutionException e = assertTimeoutPreemptively(NO_LONGER, () -> assertThrows(
                    CamelExecutionException.class, () -> request(proxy, "operation=list&fetchTimeout=2000")));
            String message = messages(e);
            assertTrue(message.contains("127.0.0.1:" + proxy.port()) && message.contains("LIST")
                    && message.contains("(fetchTimeout)"), message);
        }
    }
}
