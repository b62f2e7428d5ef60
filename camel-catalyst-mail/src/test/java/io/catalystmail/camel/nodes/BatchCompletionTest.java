package io.catalystmail.camel.nodes;

import java.util.List;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Camel's aggregator closes a consumer's batch ({@code completionFromBatchConsumer}) when it has counted
 * {@code CamelBatchSize} exchanges. A poll learns only round by round which candidates it takes (the repository is
 * asked as each round is planned; in the eager mode another node may hold some), so earlier exchanges carry an upper
 * bound and the last one the exact count: the batch closes on it with {@code eagerCheckCompletion()}, which reads
 * the incoming exchange's size (without it the aggregator reads the first exchange's). The eager mode used to give
 * every exchange the number of candidates, so a batch with messages held elsewhere never closed.
 */
class BatchCompletionTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    @BindToRegistry("shared")
    private final MemoryIdempotentRepository shared = new MemoryIdempotentRepository();

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aBatchWithMessagesProcessedOrHeldElsewhereClosesOnItsLastExchange(boolean eager) throws Exception {
        for (int i = 0; i < 20; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "x"));
        }
        String server = "catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=alice"
                        + "&password=s3cret&idempotentRepository=#shared&initialDelay=0&delay=3600000";
        // another consumer took the 6 newest (their keys are in the repository; nothing changed on the server)
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(server + "&markSeen=false&sortOrder=UID_DESCENDING&maxMessagesPerPoll=6&fetchRoundSize=6")
                        .routeId("other").to("mock:other");
            }
        });
        Eventually.await(() -> shared.getCacheSize() == 6, () -> shared.getCacheSize() + " keys recorded");
        context.getRouteController().stopRoute("other");

        MockEndpoint batches = getMockEndpoint("mock:batch");
        batches.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(server + "&fetchRoundSize=5&idempotentEager=" + eager).routeId("batch")
                        .setBody(header("Subject"))
                        .aggregate(constant(true), AggregationStrategies.groupedBody()).completionFromBatchConsumer()
                        // checked on the incoming exchange: without it the aggregator reads the first one's size
                        .eagerCheckCompletion()
                        .to("mock:batch");
            }
        });
        batches.setResultWaitTime(30_000);
        batches.assertIsSatisfied();
        Exchange batch = batches.getReceivedExchanges().get(0);
        List<?> subjects = batch.getMessage().getBody(List.class);
        assertEquals(14, subjects.size(), "the poll's batch: " + subjects);
        assertEquals("m13", subjects.get(13));
    }
}
