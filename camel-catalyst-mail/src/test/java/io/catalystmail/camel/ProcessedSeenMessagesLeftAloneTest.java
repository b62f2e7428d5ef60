package io.catalystmail.camel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FinishedPolls;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import jakarta.mail.Flags;
import org.apache.camel.BindToRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.engine.DefaultHeadersMapFactory;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.util.CaseInsensitiveMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code unseen=false} every poll lists the messages processed before, and the idempotent repository tells the
 * consumer so. Their action is owed only when the server does not show it done: a message already \Seen (markSeen
 * is its whole action) gets no UID STORE, no "routed before" line and no "marked seen" in the poll's summary. Before,
 * each poll stored \Seen again on every such message and said so. A processed message the server does not show
 * \Seen (its node stopped before the STORE) still gets it, once.
 */
class ProcessedSeenMessagesLeftAloneTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    @BindToRegistry("memory")
    private final MemoryIdempotentRepository memory = new MemoryIdempotentRepository();

    @BindToRegistry("polls")
    private final FinishedPolls polls = new FinishedPolls();

    @BindToRegistry("laterPolls")
    private final FinishedPolls laterPolls = new FinishedPolls();

    private final Set<String> routed = ConcurrentHashMap.newKeySet();

    private MailboxStatistics consume(FaultProxy proxy, String routeId, String strategy, String options) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=alice&password=s3cret"
                     + "&initialDelay=0&delay=50&unseen=false&idempotentRepository=#memory&pollStrategy=#" + strategy
                     + options).routeId(routeId)
                        .process(e -> routed.add(e.getMessage().getHeader("Subject", String.class)));
            }
        });
        return ((CatalystMailConsumer) context.getRoute(routeId).getConsumer()).statistics();
    }

    @Test
    void locationKeysAlreadySeenGetNoStore() throws Exception {
        seenMessagesAreLeftAlone("");
    }

    @Test
    void messageIdKeysAlreadySeenGetNoStore() throws Exception {
        seenMessagesAreLeftAlone("&idempotentKey=MESSAGE_ID");
    }

    private void seenMessagesAreLeftAlone(String options) throws Exception {
        for (int i = 1; i <= 3; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "body " + i));
        }
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort()); CapturedLog log = new CapturedLog()) {
            MailboxStatistics statistics = consume(proxy, "mail", "polls", options);
            polls.await(1);
            assertEquals(Set.of("m1", "m2", "m3"), routed);
            assertTrue(GreenMailboxes.messages(greenMail, "alice", "INBOX").stream()
                    .allMatch(m -> m.getFlags().contains(Flags.Flag.SEEN)), "the first poll marked them \\Seen");
            int sentBefore = proxy.clientText().length();
            int loggedBefore = log.text().length();
            polls.await(4);

            List<String> later = proxy.clientText().substring(sentBefore).lines().toList();
            assertTrue(later.stream().anyMatch(l -> l.contains("SEARCH")), "later polls listed: " + later);
            assertEquals(List.of(), later.stream().filter(l -> l.contains("STORE")).toList(),
                    "nothing stored on messages processed and \\Seen already");
            List<String> told = log.text().substring(loggedBefore).lines()
                    .filter(l -> !l.startsWith("DEBUG|") && !l.startsWith("TRACE|")).toList();
            assertEquals(List.of(), told.stream().filter(l -> l.contains("routed before")).toList());
            assertEquals(List.of(), told.stream().filter(l -> l.contains("marked seen")).toList());
            assertEquals(Map.of(), statistics.lastSummary().actions(), statistics.lastSummary().toString());
            assertEquals(3, statistics.lastSummary().skipped(), statistics.lastSummary().toString());
            assertEquals(Set.of("m1", "m2", "m3"), routed, "nothing routed twice");
        }
    }

    @Test
    void aProcessedMessageNotSeenYetGetsItsSeenOnce() throws Exception {
        deliver(greenMail, "alice", textMessage("m1", "routed by a node that stopped before its STORE"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            consume(proxy, "old", "polls", "&markSeen=false");
            polls.await(1);
            context.getRouteController().stopRoute("old");
            assertEquals(1, memory.getCacheSize());
            int sentBefore = proxy.clientText().length();

            consume(proxy, "new", "laterPolls", "");
            laterPolls.await(4);
            assertTrue(GreenMailboxes.messages(greenMail, "alice", "INBOX").get(0).getFlags()
                    .contains(Flags.Flag.SEEN), "the action owed was done");
            List<String> stores = proxy.clientText().substring(sentBefore).lines()
                    .filter(l -> l.contains("STORE")).toList();
            assertEquals(1, stores.size(), "once: " + stores);
            assertEquals(Set.of("m1"), routed, "routed once, by the old node");
        }
    }

    /** Before, every poll made one more copy: five polls, five copies in Done. */
    @Test
    void aProcessedMessageIsCopiedOnce() throws Exception {
        deliver(greenMail, "alice", textMessage("m1", "copied once"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            consume(proxy, "copying", "polls", "&copyTo=Done");
            polls.await(5);
            List<String> copies = proxy.clientText().lines().filter(l -> l.contains("COPY")).toList();
            assertEquals(1, copies.size(), "one UID COPY: " + copies);
            assertEquals(1, GreenMailboxes.messages(greenMail, "alice", "Done").size());
            assertEquals(Set.of("m1"), routed);
        }
    }

    /**
     * markSeen=false and copyTo: the message stays unseen, so every poll lists it, and the repository names it
     * processed. Before, each poll copied it again: five polls, five copies.
     */
    @Test
    void aCopyWithoutMarkSeenIsMadeOnce() throws Exception {
        deliver(greenMail, "alice", textMessage("m1", "copied once, left unseen"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=alice&password=s3cret"
                         + "&initialDelay=0&delay=50&markSeen=false&copyTo=Done&idempotentRepository=#memory"
                         + "&pollStrategy=#polls")
                            .process(e -> routed.add(e.getMessage().getHeader("Subject", String.class)));
                }
            });
            polls.await(5);
            List<String> copies = proxy.clientText().lines().filter(l -> l.contains("COPY")).toList();
            assertEquals(1, copies.size(), "one UID COPY: " + copies);
            assertEquals(1, GreenMailboxes.messages(greenMail, "alice", "Done").size());
            assertFalse(GreenMailboxes.messages(greenMail, "alice", "INBOX").get(0).getFlags()
                    .contains(Flags.Flag.SEEN), "left unseen, as asked");
            assertEquals(Set.of("m1"), routed);
        }
    }

    /**
     * What the consumer owes a message processed before (idempotentKey=MESSAGE_ID, its key known only once it is
     * fetched) depends on whether the server's FETCH answer showed it \Seen, never on the exchange's
     * {@code CamelCatalystMailFlags} header, which is the route's to read and change. Here every exchange's headers
     * claim \Seen: the message, processed before and not \Seen on the server, still gets its \Seen, once. Before,
     * the consumer read the header, stored nothing, and the message stayed unseen, its action lost.
     */
    @Test
    void aProcessedMessageTheServerShowsUnseenGetsItsSeenWhateverTheFlagsHeaderSays() throws Exception {
        // a Message-ID longer than a header line may be (RFC 5322 §2.1.1) is not learned from the header fetch
        // (MessageIdValues): the message is fetched in full in every poll, and its key checked then
        String messageId = "<" + "k".repeat(1000) + "@example.test>";
        deliver(greenMail, "alice", ("From: sender@example.test\r\nTo: alice@example.test\r\nSubject: known\r\n"
                + "Message-ID: " + messageId + "\r\n\r\nprocessed by a node that stopped before its STORE\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        memory.start();
        memory.add(messageId);
        // every exchange's headers claim \Seen, as a headers map that rewrites that header on its way might
        context.getCamelContextExtension().setHeadersMapFactory(new DefaultHeadersMapFactory() {
            @Override
            public Map<String, Object> newMap() {
                return new SeenClaimingHeaders();
            }
        });
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            consume(proxy, "mail", "polls", "&idempotentKey=MESSAGE_ID");
            polls.await(4);
            List<String> sent = proxy.clientText().lines().toList();
            assertTrue(sent.stream().anyMatch(l -> l.contains("BODY.PEEK[]")), "fetched in full: " + sent);
            assertTrue(GreenMailboxes.messages(greenMail, "alice", "INBOX").get(0).getFlags()
                    .contains(Flags.Flag.SEEN), "the action owed was done: " + sent);
            assertEquals(1, sent.stream().filter(l -> l.contains("STORE")).count(), "\\Seen stored once: " + sent);
            assertEquals(Set.of(), routed, "never routed");
        }
    }

    /** Headers whose FLAGS entry says \Seen, whatever was put there. */
    private static final class SeenClaimingHeaders extends CaseInsensitiveMap {
        @Override
        public Object put(String key, Object value) {
            return super.put(key, CatalystMailConstants.FLAGS.equalsIgnoreCase(key) ? Set.of("\\Seen") : value);
        }
    }
}
