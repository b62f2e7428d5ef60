package io.catalystmail.camel.nodes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The at-least-once window is one round: a node killed with SIGKILL in the middle of a poll leaves at most
 * {@code fetchRoundSize} messages that it routed and that the next node routes again. The worst moment is made
 * certain: the first round's {@code UID STORE ... (\Deleted)} never reaches the server (a proxy swallows it and
 * everything after it), the node's own {@code fetchTimeout} ends the poll, and the node ({@link RoutingNode}, a JVM of
 * its own) is killed. A consumer that routed the next round while the previous one's flags were still unanswered
 * would leave two rounds to route again.
 */
class KilledNodeRedeliveryTest {

    private static final int ROUND = 10;
    private static final int MESSAGES = 45;

    @RegisterExtension
    static GreenMailExtension greenMail = AliceInbox.server();

    @TempDir
    Path work;

    @Test
    void aNodeKilledInThePollReDeliversAtMostTheRoundInItsRoute() throws Exception {
        AliceInbox.fill(greenMail, 1, MESSAGES);
        Path routedByKilled = work.resolve("killed.routed");
        Files.writeString(routedByKilled, "");
        Process node;
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.arm(FaultProxy.Direction.CLIENT_TO_SERVER, "(\\Deleted", 0, FaultProxy.Fault.STALL);
            node = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                    "-cp", System.getProperty("java.class.path"), RoutingNode.class.getName(),
                    Integer.toString(proxy.port()), "alice", "s3cret", Integer.toString(ROUND), "3000",
                    routedByKilled.toString())
                    .redirectErrorStream(true).redirectOutput(work.resolve("killed.log").toFile()).start();
            try {
                Eventually.await(Duration.ofSeconds(60),
                        () -> lines(routedByKilled).stream().anyMatch(l -> l.startsWith(RoutingNode.POLL_FAILED)),
                        () -> "the node's poll to fail at the swallowed STORE; it routed " + lines(routedByKilled)
                              + "; its log: " + read(work.resolve("killed.log")));
            } finally {
                node.destroyForcibly(); // SIGKILL: no LOGOUT, no expunge, nothing more reaches the server
                node.waitFor(10, TimeUnit.SECONDS);
            }
            assertTrue(proxy.fired(), "the STORE was swallowed");
        }
        List<String> first = lines(routedByKilled).stream().filter(l -> !l.startsWith("--")).toList();
        // all of its first round but the last exchange, which is routed with the next round (it waits to learn
        // whether it closes the batch), so the swallowed STORE names ROUND - 1 messages
        assertTrue(first.size() >= ROUND - 1, "the killed node routed its first round: " + first);

        Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();
        first.forEach(subject -> routed.computeIfAbsent(subject, s -> new AtomicInteger()).incrementAndGet());
        CamelContext survivor = new DefaultCamelContext();
        survivor.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort()
                     + "?username=alice&password=s3cret&delete=true&initialDelay=0&delay=50&fetchRoundSize=" + ROUND)
                        .process(e -> routed.computeIfAbsent(e.getMessage().getHeader("Subject", String.class),
                                s -> new AtomicInteger()).incrementAndGet());
            }
        });
        survivor.start();
        try {
            AliceInbox.awaitAllRoutedAndGone(greenMail, routed::size, MESSAGES);
        } finally {
            survivor.stop();
        }
        long twice = routed.values().stream().filter(n -> n.get() > 1).count();
        assertEquals(0, routed.values().stream().filter(n -> n.get() > 2).count(), "routed three times: " + routed);
        assertTrue(twice <= ROUND, twice + " messages routed twice, more than one round of " + ROUND
                                   + " (the killed node routed " + first + ")");
        assertTrue(twice > 0, "the swallowed round was routed again by the survivor: " + routed);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
