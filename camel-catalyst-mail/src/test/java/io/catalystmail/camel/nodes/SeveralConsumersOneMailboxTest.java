package io.catalystmail.camel.nodes;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.FaultProxy;
import org.apache.camel.BindToRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Active-active in one JVM: two consumers poll one GreenMail mailbox at once with a shared idempotent repository in
 * the eager mode ({@code idempotentEager=true}): the consumer whose add succeeds routes a message, the other skips
 * it; a message whose route failed is released and routed again later.
 */
class SeveralConsumersOneMailboxTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(
            new ServerSetup[] {ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.POP3.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    @BindToRegistry("shared")
    private final IdempotentRepository shared = MemoryIdempotentRepository.memoryIdempotentRepository(10_000);

    /** Subject -> successful routings. */
    private final Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();
    /** Subject -> attempts, failed ones included. */
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> byNode = new ConcurrentHashMap<>();

    private void twoNodes(String failFirstAttemptOf) throws Exception {
        twoNodes("imap", greenMail.getImap().getPort(), failFirstAttemptOf);
    }

    private void twoNodes(String protocol, int port, String failFirstAttemptOf) throws Exception {
        for (String node : new String[] {"a", "b"}) {
            // delay differs so the two are two endpoints (Camel allows one consumer per endpoint)
            String uri = "catalystmail:" + protocol + ":127.0.0.1:" + port
                         + "?username=alice&password=s3cret&initialDelay=0&delay=" + (node.equals("a") ? 20 : 21)
                         + "&fetchRoundSize=5&delete=true"
                         + "&idempotentRepository=#shared&idempotentEager=true";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId(node).process(e -> {
                        String subject = e.getMessage().getHeader("Subject", String.class);
                        int attempt = attempts.computeIfAbsent(subject, s -> new AtomicInteger()).incrementAndGet();
                        if (subject.equals(failFirstAttemptOf) && attempt == 1) {
                            throw new IllegalStateException("the first attempt at " + subject + " fails");
                        }
                        routed.computeIfAbsent(subject, s -> new AtomicInteger()).incrementAndGet();
                        byNode.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet()).add(subject);
                    });
                }
            });
        }
    }

    private void deliverMany(int count) {
        AliceInbox.fill(greenMail, 1, count);
    }

    private void awaitAllRoutedAndGone(int count) {
        AliceInbox.awaitAllRoutedAndGone(greenMail, routed::size, count);
    }

    @Test
    void eachMessageIsRoutedByOneConsumerOnce() throws Exception {
        deliverMany(150);
        twoNodes(null);
        awaitAllRoutedAndGone(150);
        context.stop();
        routed.forEach((subject, times) -> assertEquals(1, times.get(), subject + " routed more than once"));
        assertEquals(150, attempts.values().stream().mapToInt(AtomicInteger::get).sum(), "attempts " + attempts);
    }

    /**
     * POP3: the keys are UIDLs; a DELE takes effect at the QUIT that ends each poll. GreenMail has no maildrop lock
     * and numbers messages by their place in the live folder, so another session's QUIT renumbers an open session's
     * messages: its {@code RETR 2} then returns the third message and its {@code DELE 2} deletes it, which lost a
     * message once (59 of 60 routed, none left). RFC 1939 §4 has the server lock the maildrop (or, like Dovecot and
     * James, keep each session's numbers): the proxy gives GreenMail that lock, so each poll meets a conforming
     * server and the one locked out polls again.
     */
    @Test
    void eachMessageIsRoutedByOneConsumerOnceOverPop3() throws Exception {
        deliverMany(60);
        try (FaultProxy maildropLock = new FaultProxy(greenMail.getPop3().getPort())
                .oneClientAtATime("-ERR [IN-USE] maildrop locked by another session")) {
            twoNodes("pop3", maildropLock.port(), null);
            awaitAllRoutedAndGone(60);
            context.stop();
        }
        routed.forEach((subject, times) -> assertEquals(1, times.get(), subject + " routed more than once"));
    }

    @Test
    void aFailedRouteReleasesItsKeyAndTheMessageIsRoutedLater() throws Exception {
        deliverMany(40);
        twoNodes("m7");
        awaitAllRoutedAndGone(40);
        context.stop();
        assertEquals(2, attempts.get("m7").get(), "m7: one failed attempt, then one that succeeded");
        routed.forEach((subject, times) -> assertEquals(1, times.get(), subject + " routed more than once"));
        attempts.forEach((subject, times) -> assertTrue(subject.equals("m7") || times.get() == 1,
                subject + " attempted " + times));
    }
}
