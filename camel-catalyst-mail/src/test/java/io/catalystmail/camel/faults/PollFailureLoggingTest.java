package io.catalystmail.camel.faults;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.auth.AccountTag;
import io.catalystmail.camel.imap.ImapCommandException;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FaultProxy.Direction;
import io.catalystmail.camel.testsupport.FaultProxy.Fault;
import io.catalystmail.camel.testsupport.PollOutcomes;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.FaultProxy.tagOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static io.catalystmail.camel.testsupport.HostileBytes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that refuses every poll (here its search, as a broken search backend would) fails each poll with an error
 * naming server, command and answer. Camel's default handler logs that at WARN on every poll; its stack trace says
 * only where our code read the answer, so it goes to DEBUG: one WARN line per failed poll, which also says what the
 * poll did before it failed (no poll summary line of its own), and names the account by its tag, not the user.
 * The bridgeErrorHandler option still hands the failure to the route's error handler instead.
 */
class PollFailureLoggingTest {

    @RegisterExtension
    static GreenMailExtension greenMail = HostileServerRun.greenMail(ServerSetupTest.IMAP, "ivy");

    private static final String CONSUMER = "io.catalystmail.camel.CatalystMailConsumer";

    private static FaultProxy refusingEverySearch() throws Exception {
        return new FaultProxy(greenMail.getImap().getPort()).everyTime().answer("UID SEARCH",
                line -> text(tagOf(line) + " NO [SERVERBUG] search backend down\r\n"), 0);
    }

    @Test
    void aServerFailureIsOneWarningLinePerPollWithItsStackTraceAtDebug() throws Exception {
        try (FaultProxy proxy = refusingEverySearch()) {
            assertOneWarningLinePerPoll(proxy.port(), ImapCommandException.class, "UID SEARCH", "search backend down");
        }
    }

    /** An outage: every connect refused, which the JDK tells without the server; ours names it (ConnectFailures). */
    @Test
    void aRefusedConnectionIsOneWarningLinePerPollToo() throws Exception {
        int port;
        try (ServerSocket closedAtOnce = new ServerSocket(0)) {
            port = closedAtOnce.getLocalPort();
        }
        assertOneWarningLinePerPoll(port, ConnectException.class, "Cannot connect to IMAP server",
                "Connection refused");
    }

    /** A poll that listed the mail, then lost its connection in the fetch: its one line says both. */
    @Test
    void theWarningOfAPollThatListedMailSaysWhatItDidAndNoSummaryLineRepeatsIt() throws Exception {
        deliver(greenMail, "ivy", textMessage("one", "body one"));
        deliver(greenMail, "ivy", textMessage("two", "body two"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort()).everyTime()
                .arm(Direction.CLIENT_TO_SERVER, "BODY.PEEK[]", 0, Fault.CUT)) {
            List<String> warnings = assertOneWarningLinePerPoll(proxy.port(), java.io.EOFException.class,
                    "UID FETCH");
            for (String line : warnings) {
                assertTrue(line.endsWith("; before it failed: Polled " + "imap://127.0.0.1:" + proxy.port()
                        + "/INBOX: 2 listed, 0 routed, 0 failed, 0 skipped, 0 bytes in "
                        + line.replaceAll(".* 0 bytes in (\\d+) ms$", "$1") + " ms"), line);
            }
        }
    }

    /**
     * Runs a consumer until three polls failed and asserts the log: per failed poll, one WARN line naming the server,
     * {@code said} and the account, then the stack trace at DEBUG, and no other line above DEBUG; returns the WARN
     * lines.
     */
    private static List<String> assertOneWarningLinePerPoll(int port, Class<? extends Exception> failure,
            String... said) throws Exception {
        AtomicInteger failedPolls = new AtomicInteger();
        try (CapturedLog log = new CapturedLog();
             DefaultCamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("outcomes", PollOutcomes.onFailure(cause -> failedPolls.incrementAndGet()));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(HostileServerRun.uri("imap", port, "ivy", "initialDelay=0&delay=100"
                                              + "&pollStrategy=#outcomes")).log("${header.Subject}");
                }
            });
            context.start();
            Eventually.await(() -> failedPolls.get() >= 3, () -> failedPolls + " polls failed");
            context.stop();

            List<String> lines = log.text().lines().toList();
            String server = "127.0.0.1:" + port;
            List<String> warnings = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!line.startsWith("WARN|" + CONSUMER + "|Failed polling endpoint")) {
                    assertTrue(line.startsWith("DEBUG|") || line.startsWith("TRACE|") || !line.contains("|"),
                            () -> "a line besides the warnings: " + line + "\n" + log.text());
                    continue;
                }
                warnings.add(line);
                assertTrue(line.contains(server), line);
                for (String text : said) {
                    assertTrue(line.contains(text), line);
                }
                assertTrue(line.contains("(account " + AccountTag.of("ivy") + ")"), "whose poll failed: " + line);
                assertFalse(line.contains("s3cret"), line);
                // the next line is the DEBUG one that carries the stack trace, not the stack trace itself
                String next = i + 1 < lines.size() ? lines.get(i + 1) : "";
                assertTrue(next.startsWith("DEBUG|" + CONSUMER + "|The stack trace of the failure above"),
                        () -> "after the WARN: " + next);
            }
            assertTrue(warnings.size() >= 2, log::text);
            long traces = lines.stream().filter(l -> l.startsWith(failure.getName() + ":")).count();
            assertEquals(warnings.size(), traces, "one stack trace per failed poll, at DEBUG");
            // the user name is a secret in the catalog: not in any line, the wire log at DEBUG included
            assertFalse(log.text().contains("ivy"), log::text);
            return warnings;
        }
    }

    @Test
    void withBridgeErrorHandlerTheFailureReachesTheRoutesErrorHandlerAndIsNotLogged() throws Exception {
        List<Throwable> bridged = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = refusingEverySearch();
             CapturedLog log = new CapturedLog();
             DefaultCamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    onException(Exception.class).handled(true)
                            .process(e -> bridged.add(e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)));
                    from(HostileServerRun.uri("imap", proxy.port(), "ivy", "initialDelay=0&delay=100"
                                              + "&bridgeErrorHandler=true")).log("${header.Subject}");
                }
            });
            context.start();
            Eventually.await(() -> bridged.size() >= 2, () -> bridged.size() + " failures bridged");
            context.stop();

            ImapCommandException refused = assertInstanceOf(ImapCommandException.class, bridged.get(0));
            assertTrue(refused.getMessage().contains("UID SEARCH"), refused.getMessage());
            assertFalse(log.text().contains("Failed polling endpoint"), log::text);
        }
    }
}
