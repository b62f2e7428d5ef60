package io.catalystmail.camel;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
        for (int i = 1; i <= 3; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "body " + i));
        }
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort()); CapturedLog log = new CapturedLog()) {
            proxy.arm(FaultProxy.Direction.CLIENT_TO_SERVER, "+FLAGS.SILENT (\\Seen", 0, FaultProxy.Fault.CUT);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=alice&password=s3cret"
                         + "&initialDelay=0&delay=50&idempotentRepository=#memory")
                            .process(e -> routed.add(e.getMessage().getHeader("Subject", String.class)));
                }
            });
            Eventually.await(() -> GreenMailboxes.messages(greenMail, "alice", "INBOX").stream()
                    .allMatch(m -> m.getFlags().contains(Flags.Flag.SEEN)),
                    () -> "seen at last: " + proxy.clientText());
            assertTrue(proxy.fired(), "the first STORE cut the connection");
            List<String> stores = proxy.clientText().lines().filter(l -> l.contains("+FLAGS.SILENT (\\Seen"))
                    .toList();
            assertEquals(2, stores.size(), "the cut one, then one retry of all three: " + stores);
            assertTrue(stores.get(1).contains("UID STORE 1:3 "), stores.get(1));
            List<String> done = log.text().lines()
                    .filter(l -> l.contains("After-processing of") && l.contains(" done")).toList();
            assertEquals(1, done.size(), "one line for the three: " + done);
            assertEquals(Set.of("m1", "m2", "m3"), routed, "each routed once");
        }
    }
}
