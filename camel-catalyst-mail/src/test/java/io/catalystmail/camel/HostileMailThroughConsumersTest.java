package io.catalystmail.camel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.icegreen.greenmail.util.ServerSetup;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile corpus (src/test/resources/messages/hostile) between two good neighbours in one mailbox, consumed
 * over IMAP and POP3 with delete=true: every message either reaches the route or the error handler as a
 * per-message error, both neighbours are processed, the consumer keeps polling, and only unreadable messages
 * stay on the server.
 */
class HostileMailThroughConsumersTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] { ServerSetupTest.IMAP, ServerSetupTest.POP3 }))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("erin", "erin", "s3cret"));

    private static List<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/messages/hostile"))) {
            return files.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "imap", "pop3" })
    void everyMessageReachesTheRouteOrTheErrorHandlerAndTheNeighboursAreProcessed(String protocol) throws Exception {
        deliver(greenMail, "erin", textMessage("neighbour before", "first"));
        int stored = 0;
        for (Path p : corpus()) {
            byte[] bytes = Files.readAllBytes(p);
            if (bytes.length == 0) {
                bytes = "\r\n".getBytes(StandardCharsets.US_ASCII);
            }
            if (p.getFileName().toString().startsWith("nested-10000")) {
                // GreenMail parses what it stores with Jakarta Mail, which overflows the stack on this one; the
                // mapper's own corpus test (HostileMessagesTest) covers it
                continue;
            }
            deliver(greenMail, "erin", bytes);
            stored++;
        }
        deliver(greenMail, "erin", textMessage("neighbour after", "last"));
        int total = stored + 2;
        int port = "imap".equals(protocol) ? greenMail.getImap().getPort() : greenMail.getPop3().getPort();

        MockEndpoint ok = getMockEndpoint("mock:ok");
        MockEndpoint errors = getMockEndpoint("mock:errors");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).handled(true).to("mock:errors");
                from("catalystmail:" + protocol + ":127.0.0.1:" + port + "?username=erin&password=s3cret&delete=true"
                     + "&bridgeErrorHandler=true&initialDelay=0&delay=100&readTimeout=20000")
                        .routeId("mail")
                        .process(e -> e.getMessage().getBody(String.class))
                        .to("mock:ok");
            }
        });
        // an unreadable message stays on the server and is offered again at each poll: count distinct messages
        Eventually.await(java.time.Duration.ofSeconds(60), () -> distinctKeys(ok, errors).size() >= total,
                () -> "seen " + distinctKeys(ok, errors).size() + " of " + total);
        List<Object> subjects = ok.getReceivedExchanges().stream().map(e -> e.getMessage().getHeader("Subject")).toList();
        assertTrue(subjects.contains("neighbour before") && subjects.contains("neighbour after"), subjects.toString());
        assertTrue(context.getRouteController().getRouteStatus("mail").isStarted(), "the consumer keeps running");
        Set<Object> unreadable = distinctKeys(errors);
        assertEquals(total, distinctKeys(ok).size() + unreadable.size(), "each message either routed or reported");
        // processed messages are deleted; exactly the unreadable ones stay, untouched
        Eventually.await(() -> messages(greenMail, "erin", "INBOX").size() == unreadable.size(),
                () -> messages(greenMail, "erin", "INBOX").size() + " left, " + unreadable.size() + " unreadable");
    }

    private static Set<Object> distinctKeys(MockEndpoint... mocks) {
        Set<Object> keys = new HashSet<>();
        for (MockEndpoint m : mocks) {
            m.getReceivedExchanges().forEach(e -> keys.add(e.getMessage().getHeader(CatalystMailConstants.MESSAGE_KEY)));
        }
        return keys;
    }
}
