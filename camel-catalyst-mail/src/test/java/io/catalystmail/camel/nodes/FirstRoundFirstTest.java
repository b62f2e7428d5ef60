package io.catalystmail.camel.nodes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import jakarta.mail.Flags;
import org.apache.camel.BindToRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.subjectOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new leader's first poll routes its first message as soon as that message's round is ready. It used to ask the
 * repository about every listed message (up to {@code maxMessagesPerPoll}, a database query each), then delete what
 * the dead leader had routed, then look for what it had flagged and never expunged, and only then route: 226 lookups
 * took 11 s of a 28 s takeover. Now the repository is asked round by round as the rounds are planned, the next
 * round's lookups run beside the route, and the owed deletions and the orphan check come after the rounds.
 */
class FirstRoundFirstTest extends CamelTestSupport {

    private static final int ROUND = 5;

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    private final AtomicInteger lookups = new AtomicInteger();

    @BindToRegistry("counting")
    private final MemoryIdempotentRepository counting = new MemoryIdempotentRepository() {
        @Override
        public boolean contains(String key) {
            lookups.incrementAndGet();
            return super.contains(key);
        }
    };

    private final Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();

    private void record(String subject) {
        routed.computeIfAbsent(subject, s -> new AtomicInteger()).incrementAndGet();
    }

    @Test
    void theFirstExchangeStartsAfterOneRoundsLookupsAndEveryMessageIsRoutedOnce() throws Exception {
        for (int i = 0; i < 40; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "x"));
        }
        AtomicInteger lookupsBeforeFirst = new AtomicInteger(-1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=alice&password=s3cret"
                     + "&delete=true&fetchRoundSize=" + ROUND + "&idempotentRepository=#counting"
                     + "&initialDelay=0&delay=3600000")
                        .process(e -> {
                            lookupsBeforeFirst.compareAndSet(-1, lookups.get());
                            record(e.getMessage().getHeader("Subject", String.class));
                        });
            }
        });
        Eventually.await(() -> routed.size() == 40 && messages(greenMail, "alice", "INBOX").isEmpty(),
                () -> routed.size() + " routed, " + messages(greenMail, "alice", "INBOX").size() + " left");
        assertTrue(lookupsBeforeFirst.get() <= ROUND, lookupsBeforeFirst.get()
                                                      + " repository lookups before the first exchange, more than a round of " + ROUND);
        assertTrue(routed.values().stream().allMatch(n -> n.get() == 1), "routed more than once: " + routed);
    }

    @Test
    void theDeadLeadersOwedDeletionsAndFlaggedMessagesWaitUntilTheFirstMessageIsRouted() throws Exception {
        for (int i = 0; i < 12; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "x"));
        }
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            String server = "catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=alice&password=s3cret"
                            + "&idempotentRepository=#counting&initialDelay=0&delay=3600000";
            // the old leader: routes 8, records their keys and dies before any action reaches the server
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(server + "&markSeen=false&maxMessagesPerPoll=8&fetchRoundSize=8").routeId("old")
                            .process(e -> record("old " + e.getMessage().getHeader("Subject", String.class)));
                }
            });
            Eventually.await(() -> counting.getCacheSize() == 8, () -> counting.getCacheSize() + " keys recorded");
            context.getRouteController().stopRoute("old");
            // one of them it had flagged \Deleted and not expunged (its STORE reached the server, its expunge did not)
            StoredMessage orphan = messages(greenMail, "alice", "INBOX").stream()
                    .filter(m -> subjectOf(m).equals("m0")).findFirst().orElseThrow();
            orphan.setFlag(Flags.Flag.DELETED, true);
            int before = proxy.clientText().length();

            AtomicReference<String> sentBeforeFirst = new AtomicReference<>();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(server + "&delete=true&fetchRoundSize=" + ROUND).routeId("new")
                            .process(e -> {
                                sentBeforeFirst.compareAndSet(null, proxy.clientText().substring(before));
                                record(e.getMessage().getHeader("Subject", String.class));
                            });
                }
            });
            Eventually.await(() -> messages(greenMail, "alice", "INBOX").isEmpty(),
                    () -> messages(greenMail, "alice", "INBOX").stream().map(m -> subjectOf(m)).toList() + " left");

            List<String> sent = sentBeforeFirst.get().lines().toList();
            assertFalse(sent.stream().anyMatch(l -> l.contains("STORE")),
                    "the owed deletions were sent before the first message was routed: " + sent);
            assertFalse(sent.stream().anyMatch(l -> l.contains("SEARCH DELETED")),
                    "the dead leader's flagged messages were looked for before the first message was routed: " + sent);
            assertEquals(List.of("m10", "m11", "m8", "m9"), routed.keySet().stream()
                    .filter(s -> !s.startsWith("old ")).sorted().toList(), "the new leader routes the rest only");
            assertTrue(routed.values().stream().allMatch(n -> n.get() == 1), "routed more than once: " + routed);
            assertTrue(proxy.clientText().substring(before).contains("SEARCH DELETED"),
                    "the new session looked for what the dead leader flagged");
        }
    }
}
