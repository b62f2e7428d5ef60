package io.catalystmail.camel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FinishedPolls;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import jakarta.mail.Flags;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.engine.DefaultHeadersMapFactory;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.util.CaseInsensitiveMap;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the consumer owes a message processed before (idempotentKey=MESSAGE_ID, its key known only once it is fetched)
 * depends on whether the server's FETCH answer showed it \Seen, never on the exchange's
 * {@code CamelCatalystMailFlags} header, which is the route's to read and change. Here every exchange's headers claim
 * \Seen (a headers map that rewrites that header, as a filter on its way might): the message, processed before and
 * not \Seen on the server, still gets its \Seen, once. Before, the consumer read the header, stored nothing, and the
 * message stayed unseen, its action lost.
 */
class SeenAtFetchFromTheServerTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    @BindToRegistry("memory")
    private final MemoryIdempotentRepository memory = new MemoryIdempotentRepository();

    @BindToRegistry("polls")
    private final FinishedPolls polls = new FinishedPolls();

    private final List<String> routed = new CopyOnWriteArrayList<>();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        camel.getCamelContextExtension().setHeadersMapFactory(new DefaultHeadersMapFactory() {
            @Override
            public Map<String, Object> newMap() {
                return new SeenClaimingHeaders();
            }
        });
        return camel;
    }

    /** Headers whose FLAGS entry says \Seen, whatever was put there. */
    private static final class SeenClaimingHeaders extends CaseInsensitiveMap {
        @Override
        public Object put(String key, Object value) {
            return super.put(key, CatalystMailConstants.FLAGS.equalsIgnoreCase(key) ? Set.of("\\Seen") : value);
        }
    }

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
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=alice&password=s3cret"
                         + "&initialDelay=0&delay=50&unseen=false&idempotentKey=MESSAGE_ID"
                         + "&idempotentRepository=#memory&pollStrategy=#polls")
                            .process(e -> routed.add(e.getMessage().getHeader("Subject", String.class)));
                }
            });
            polls.await(4);
            List<String> sent = proxy.clientText().lines().toList();
            assertTrue(sent.stream().anyMatch(l -> l.contains("BODY.PEEK[]")), "fetched in full: " + sent);
            assertTrue(GreenMailboxes.messages(greenMail, "alice", "INBOX").get(0).getFlags()
                    .contains(Flags.Flag.SEEN), "the action owed was done: " + sent);
            assertEquals(1, sent.stream().filter(l -> l.contains("STORE")).count(), "\\Seen stored once: " + sent);
            assertEquals(List.of(), routed, "never routed");
        }
    }
}
