package io.catalystmail.camel.nodes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.SideBySideRelay;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The at-least-once window stays one round when the server answers the FETCH of the round after next before the
 * flags of the round in the route, as Dovecot does when it runs pipelined UID commands side by side (a several-nodes
 * run on a loaded machine routed 17 messages twice with {@code fetchRoundSize=10}: a killed node had routed the
 * early bodies with its round). {@link SideBySideRelay} answers GreenMail's STOREs that way; at every message the
 * route counts the messages routed whose \Deleted flag the client has not been answered yet: a node killed then
 * leaves exactly those to be routed again. The client now announces the round after next only once the flags are
 * answered (FetchPipeline), so the relay never gets a FETCH behind a STORE to answer first: the window holds without
 * the early bodies ever coming, and they would still wait for their round if a server sent them.
 */
class EarlyBodiesWaitForTheirRoundTest {

    private static final int ROUND = 3;
    private static final int MESSAGES = 18;

    @RegisterExtension
    static GreenMailExtension greenMail = AliceInbox.server();

    @Test
    void bodiesOfTheRoundAfterNextThatArriveBeforeTheFlagsAreRoutedWithTheirOwnRound() throws Exception {
        AliceInbox.fill(greenMail, 1, MESSAGES);
        Map<Long, AtomicInteger> routed = new ConcurrentHashMap<>();
        List<Integer> unflaggedAtEachRoute = new ArrayList<>();
        CamelContext context = new DefaultCamelContext();
        try (SideBySideRelay relay = new SideBySideRelay(greenMail.getImap().getPort())) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + relay.port() + "?username=alice&password=s3cret&delete=true"
                         + "&initialDelay=0&delay=50&maxMessagesPerPoll=100&fetchRoundSize=" + ROUND)
                            .process(e -> {
                                long uid = e.getMessage().getHeader(CatalystMailConstants.UID, Long.class);
                                routed.computeIfAbsent(uid, u -> new AtomicInteger()).incrementAndGet();
                                synchronized (unflaggedAtEachRoute) {
                                    unflaggedAtEachRoute.add((int) routed.keySet().stream()
                                            .filter(u -> !relay.flagAnswered(u)).count());
                                }
                            });
                }
            });
            context.start();
            try {
                AliceInbox.awaitAllRoutedAndGone(greenMail, routed::size, MESSAGES);
            } finally {
                context.stop();
            }
            assertEquals(0, relay.heldBack(), "a FETCH went out behind a STORE whose answer the client awaited");
        }
        assertEquals(0, routed.values().stream().filter(n -> n.get() > 1).count(), "routed twice: " + routed);
        int widest = unflaggedAtEachRoute.stream().mapToInt(Integer::intValue).max().orElse(0);
        // the round in the route, and the round before's last exchange, held back to learn whether it closes the batch
        assertTrue(widest <= ROUND + 1, "routed and not flagged at once: " + widest + " (at each message: "
                                        + unflaggedAtEachRoute + "), more than the round of " + ROUND + " and one");
    }
}
