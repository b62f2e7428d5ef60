package io.catalystmail.camel;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
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
 * The connection is lost while the poll's UID STORE of \Seen goes out: the next poll retries the three actions
 * together, one UID STORE and one line, as it does actions never tried. A lost connection is no refusal, so there is
 * nothing to tell apart one message at a time. Before, each went alone: its own STORE and INFO line (349 of them on
 * Dovecot after a drain of a few hundred).
 * <p>
 * When that batch loses the connection too, the next poll tries them one message at a time, and a lost connection
 * while one is tried alone counts against it, so afterProcessingAttempts gives up on a message whose action always
 * costs the connection and the others are done. Before, the batch was sent again every poll, every poll failed,
 * nothing was ever \Seen.
 */
class LostActionsRetriedTogetherTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    @BindToRegistry("memory")
    private final MemoryIdempotentRepository memory = new MemoryIdempotentRepository();

    private final Set<String> routed = ConcurrentHashMap.newKeySet();

    @Test
    void actionsLostWithTheConnectionAreRetriedInOneBatch() throws Exception {
        deliverAndRoute(3, proxy -> proxy.arm(FaultProxy.Direction.CLIENT_TO_SERVER, "+FLAGS.SILENT (\\Seen", 0,
                FaultProxy.Fault.CUT), "", (proxy, log) -> {
            Eventually.await(() -> allSeen(), () -> "seen at last: " + proxy.clientText());
            assertTrue(proxy.fired(), "the first STORE cut the connection");
            List<String> stores = stores(proxy);
            assertEquals(2, stores.size(), "the cut one, then one retry of all three: " + stores);
            assertTrue(stores.get(1).contains("UID STORE 1:3 "), stores.get(1));
            // the line follows the server's answer, which GreenMail applies first: awaited, not read at once
            Eventually.await(() -> !doneLines(log).isEmpty(), () -> "no line: " + log.text());
            assertEquals(1, doneLines(log).size(), "one line for the three: " + doneLines(log));
        });
    }

    @Test
    void aBatchCutEveryTimeIsRetriedOneMessageAtATime() throws Exception {
        deliverAndRoute(3, cutEveryTime("UID STORE 1:3 +FLAGS.SILENT (\\Seen"), "", (proxy, log) -> {
            Eventually.await(() -> allSeen(), () -> "seen at last: " + stores(proxy));
            List<String> stores = stores(proxy);
            assertEquals(2, stores.stream().filter(l -> l.contains("UID STORE 1:3 ")).count(),
                    "the poll's cut STORE and the cut retry together, then one at a time: " + stores);
            for (int uid = 1; uid <= 3; uid++) {
                String alone = "UID STORE " + uid + " ";
                assertEquals(1, stores.stream().filter(l -> l.contains(alone)).count(), alone + "in " + stores);
            }
        });
    }

    @Test
    void aMessageWhoseActionAlwaysCostsTheConnectionIsGivenUpAndTheOthersAreDone() throws Exception {
        // cuts the poll's UID STORE 1:2 and its retry together, then every UID STORE 2 alone; UID STORE 1 goes through
        deliverAndRoute(2, cutEveryTime("2 +FLAGS.SILENT (\\Seen"), "&afterProcessingAttempts=3", (proxy, log) -> {
            Eventually.await(() -> log.text().contains("Giving up the after-processing of 1 message(s)"),
                    () -> "not given up: " + stores(proxy) + "\n" + log.text());
            assertTrue(log.text().contains("UID 2 in INBOX"), log.text());
            List<StoredFlags> flags = GreenMailboxes.messages(greenMail, "alice", "INBOX").stream()
                    .map(m -> new StoredFlags(m.getUid(), m.getFlags().contains(Flags.Flag.SEEN))).toList();
            assertEquals(List.of(new StoredFlags(1, true), new StoredFlags(2, false)), flags);
            int sent = stores(proxy).size();
            CatalystMailConsumer consumer = (CatalystMailConsumer) context.getRoutes().get(0).getConsumer();
            long polls = consumer.statistics().polls();
            Eventually.await(() -> consumer.statistics().polls() >= polls + 3, () -> "polls go on");
            assertEquals(sent, stores(proxy).size(), "given up: no STORE after it: " + stores(proxy));
        });
    }

    private static List<String> doneLines(CapturedLog log) {
        return log.text().lines().filter(l -> l.contains("After-processing of") && l.contains(" done")).toList();
    }

    private record StoredFlags(long uid, boolean seen) {
    }

    private interface ProxyCheck {
        void check(FaultProxy proxy, CapturedLog log) throws Exception;
    }

    private void deliverAndRoute(int count, Consumer<FaultProxy> fault, String options,
            ProxyCheck check) throws Exception {
        for (int i = 1; i <= count; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "body " + i));
        }
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort()); CapturedLog log = new CapturedLog()) {
            fault.accept(proxy);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=alice&password=s3cret"
                         + "&initialDelay=0&delay=50&idempotentRepository=#memory" + options)
                            .process(e -> routed.add(e.getMessage().getHeader("Subject", String.class)));
                }
            });
            check.check(proxy, log);
            assertEquals(count, routed.size(), "each routed once: " + routed);
        }
    }

    private static Consumer<FaultProxy> cutEveryTime(String text) {
        return proxy -> proxy.arm(FaultProxy.Direction.CLIENT_TO_SERVER, text, 0, FaultProxy.Fault.CUT).everyTime();
    }

    private static boolean allSeen() {
        return GreenMailboxes.messages(greenMail, "alice", "INBOX").stream()
                .allMatch(m -> m.getFlags().contains(Flags.Flag.SEEN));
    }

    private static List<String> stores(FaultProxy proxy) {
        return proxy.clientText().lines().filter(l -> l.contains("+FLAGS.SILENT (\\Seen")).toList();
    }
}
