package io.catalystmail.camel.nodes;

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
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With a repository on a database every lookup is a query: a poll capped by {@code maxMessagesPerPoll} asks the
 * repository about no more listed messages than it takes, whatever the mailbox holds. (A new leader of a standby
 * set-up used to ask about every listed message before routing its first: thousands of queries on a full mailbox.)
 */
class RepositoryLookupsPerPollTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger routed = new AtomicInteger();

    @BindToRegistry("counting")
    private final MemoryIdempotentRepository counting = new MemoryIdempotentRepository() {
        @Override
        public boolean contains(String key) {
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
}
