package io.catalystmail.camel.nodes;

import java.util.List;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rounds that yield no exchange (their messages are over maxMessageSize, as for unreadable, vanished or already
 * routed ones): the poll's batch still closes on its last exchange, with the exact size. Over IMAP and POP3 alike:
 * both go through the same rounds.
 */
class BatchClosedByRoundsWithoutExchangesTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(
            new ServerSetup[] { ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.POP3.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    private static final String LARGE = "x".repeat(20_000);

    @ParameterizedTest
    @ValueSource(strings = { "imap", "pop3" })
    void aBatchWhoseLastRoundYieldsNothingCloses(String scheme) throws Exception {
        deliver(greenMail, "alice", textMessage("m1", "x"));
        deliver(greenMail, "alice", textMessage("m2", "x"));
        deliver(greenMail, "alice", textMessage("m3", LARGE));
        assertOneBatch(scheme, 2, List.of("m1", "m2"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "imap", "pop3" })
    void aBatchWhoseLastTwoRoundsYieldNothingCloses(String scheme) throws Exception {
        deliver(greenMail, "alice", textMessage("m1", "x"));
        deliver(greenMail, "alice", textMessage("m2", "x"));
        deliver(greenMail, "alice", textMessage("m3", LARGE));
        deliver(greenMail, "alice", textMessage("m4", LARGE));
        assertOneBatch(scheme, 1, List.of("m1", "m2"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "imap", "pop3" })
    void aRoundInTheMiddleThatYieldsNothingKeepsTheBatchGoing(String scheme) throws Exception {
        deliver(greenMail, "alice", textMessage("m1", "x"));
        deliver(greenMail, "alice", textMessage("m2", LARGE));
        deliver(greenMail, "alice", textMessage("m3", "x"));
        assertOneBatch(scheme, 1, List.of("m1", "m3"));
    }

    private void assertOneBatch(String scheme, int roundSize, List<String> expected) throws Exception {
        int port = scheme.equals("imap") ? greenMail.getImap().getPort() : greenMail.getPop3().getPort();
        MockEndpoint batches = getMockEndpoint("mock:batch");
        batches.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:" + scheme + ":127.0.0.1:" + port + "?username=alice"
                     + "&password=s3cret&initialDelay=0&delay=3600000&maxMessageSize=10000&fetchRoundSize=" + roundSize)
                        .setBody(header("Subject"))
                        .aggregate(constant(true), AggregationStrategies.groupedBody()).completionFromBatchConsumer()
                        .eagerCheckCompletion()
                        .to("mock:batch");
            }
        });
        batches.setResultWaitTime(20_000);
        batches.assertIsSatisfied();
        assertEquals(expected, batches.getReceivedExchanges().get(0).getMessage().getBody(List.class));
    }
}
