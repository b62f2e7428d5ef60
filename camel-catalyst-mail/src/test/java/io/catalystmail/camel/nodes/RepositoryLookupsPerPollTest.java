package io.catalystmail.camel.nodes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.BindToRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a repository on a database every lookup is a query: a poll capped by {@code maxMessagesPerPoll} asks the
 * repository about no more listed messages than it takes, whatever the mailbox holds, and it asks round by round, so
 * the first message waits for one round's lookups only. (A new leader of a standby set-up used to ask about every
 * listed message before routing its first: thousands of queries on a full mailbox; 226 took 11 s of a 28 s
 * takeover at load 18.)
 */
class RepositoryLookupsPerPollTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    private static final int ROUND = 5;

    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger routed = new AtomicInteger();
    /** Opened by the first exchange: lookups past the first round wait for it (or for a deadline, once). */
    private final CountDownLatch firstRouted = new CountDownLatch(1);
    private final AtomicInteger asked = new AtomicInteger();
    private volatile boolean gateTimedOut;

    @BindToRegistry("counting")
    private final MemoryIdempotentRepository counting = new MemoryIdempotentRepository() {
        @Override
        public boolean contains(String key) {
            // the next round's lookups run beside the route: held until the first exchange, so what it counts is
            // what it waited for; a consumer that needs them first gets them after the deadline
            if (asked.incrementAndGet() > ROUND && !gateTimedOut) {
                try {
                    gateTimedOut = !firstRouted.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            lookups.incrementAndGet();
            return super.contains(key);
        }
    };

    @Test
    void aCappedPollLooksUpOnlyWhatItTakes() throws Exception {
        for (int i = 0; i < 40; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "x"));
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=alice&password=s3cret"
                     + "&delete=true&maxMessagesPerPoll=5&fetchRoundSize=5&idempotentRepository=#counting"
                     + "&initialDelay=0&delay=3600000")
                        .process(e -> routed.incrementAndGet());
            }
        });
        Eventually.await(() -> routed.get() == 5, () -> routed + " routed");
        Eventually.await(() -> counting.getCacheSize() == 5, () -> counting.getCacheSize() + " recorded");
        assertEquals(5, lookups.get(), "lookups in a poll that took 5 of 40 listed messages");
    }

    @Test
    void theFirstExchangeStartsAfterOneRoundsLookupsAndEveryMessageIsRoutedOnce() throws Exception {
        for (int i = 0; i < 40; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "x"));
        }
        AtomicInteger lookupsBeforeFirst = new AtomicInteger(-1);
        Map<String, AtomicInteger> subjects = new ConcurrentHashMap<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=alice&password=s3cret"
                     + "&delete=true&fetchRoundSize=" + ROUND + "&idempotentRepository=#counting"
                     + "&initialDelay=0&delay=3600000")
                        .process(e -> {
                            lookupsBeforeFirst.compareAndSet(-1, lookups.get());
                            firstRouted.countDown();
                            subjects.computeIfAbsent(e.getMessage().getHeader("Subject", String.class),
                                    s -> new AtomicInteger()).incrementAndGet();
                        });
            }
        });
        Eventually.await(() -> subjects.size() == 40 && messages(greenMail, "alice", "INBOX").isEmpty(),
                () -> subjects.size() + " routed, " + messages(greenMail, "alice", "INBOX").size() + " left");
        assertTrue(lookupsBeforeFirst.get() <= ROUND, lookupsBeforeFirst.get() + " repository lookups before the"
                                                      + " first exchange, more than a round of " + ROUND);
        assertTrue(subjects.values().stream().allMatch(n -> n.get() == 1), "routed more than once: " + subjects);
    }
}
