package io.catalystmail.camel.nodes;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a new leader finds after the old one died mid-round: messages routed (their keys in the shared repository)
 * but never deleted, and messages flagged \Deleted but never expunged. It deletes the first without routing them,
 * all in one UID STORE and one UID EXPUNGE (one pair per message cost a round trip and a Dovecot expunge each: 26 of
 * them, 2.2 s at load 18, in a several-nodes run), and expunges the others; both after its first message is routed
 * (they came first, with the repository lookups of the whole listing: most of a 28 s takeover).
 */
class OwedDeletionsTogetherTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    @BindToRegistry("shared")
    private final MemoryIdempotentRepository shared = new MemoryIdempotentRepository();

    private final Set<String> routedByTheOldLeader = ConcurrentHashMap.newKeySet();
    private final Set<String> routedByTheNewLeader = ConcurrentHashMap.newKeySet();

    @Test
    void theDeadLeadersRoutedMessagesAreDeletedInOneStoreAfterTheFirstMessageIsRouted() throws Exception {
        for (int i = 0; i < 12; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "x"));
        }
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            String server = "catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=alice&password=s3cret"
                            + "&idempotentRepository=#shared&initialDelay=0&delay=3600000";
            // the old leader: routes 8, records their keys and dies before any action reaches the server
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(server + "&markSeen=false&maxMessagesPerPoll=8&fetchRoundSize=8").routeId("old")
                            .process(e -> routedByTheOldLeader.add(e.getMessage().getHeader("Subject", String.class)));
                }
            });
            Eventually.await(() -> shared.getCacheSize() == 8, () -> shared.getCacheSize() + " keys recorded");
            context.getRouteController().stopRoute("old");
            // one of them it had flagged \Deleted and not expunged (its STORE reached the server, its expunge did not)
            messages(greenMail, "alice", "INBOX").stream().filter(m -> subjectOf(m).equals("m0")).findFirst()
                    .orElseThrow().setFlag(Flags.Flag.DELETED, true);
            int before = proxy.clientText().length();

            AtomicReference<String> sentBeforeFirst = new AtomicReference<>();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(server + "&delete=true&fetchRoundSize=10").routeId("new")
                            .process(e -> {
                                sentBeforeFirst.compareAndSet(null, proxy.clientText().substring(before));
                                routedByTheNewLeader.add(e.getMessage().getHeader("Subject", String.class));
                            });
                }
            });
            Eventually.await(() -> messages(greenMail, "alice", "INBOX").isEmpty(),
                    () -> messages(greenMail, "alice", "INBOX").stream().map(m -> subjectOf(m)).toList() + " left");

            assertEquals(8, routedByTheOldLeader.size(), "routed by the old leader: " + routedByTheOldLeader);
            assertEquals(Set.of("m8", "m9", "m10", "m11"), routedByTheNewLeader, "the new leader routes the rest only");
            List<String> stores = proxy.clientText().substring(before).lines()
                    .filter(line -> line.contains("STORE")).toList();
            assertEquals(2, stores.size(), "one STORE for the 8 owed deletions, one for the round routed: " + stores);
            List<String> first = sentBeforeFirst.get().lines().toList();
            assertTrue(first.stream().noneMatch(l -> l.contains("STORE") || l.contains("SEARCH DELETED")),
                    "sent before the first message was routed: " + first);
            assertTrue(proxy.clientText().substring(before).contains("SEARCH DELETED"),
                    "the new session looked for what the dead leader flagged");
        }
    }
}
