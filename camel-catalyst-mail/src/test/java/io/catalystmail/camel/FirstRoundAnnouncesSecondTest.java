package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With an after-processing action (rounds settled one by one) and nothing to look up before a round is fetched, the
 * poll's first UID FETCH has the second round's behind it on the wire, so the server streams the second round while
 * the client still reads the first, as it does for every later round. The first round's answer is frozen at its first
 * body: the second FETCH must have been sent all the same, and nothing was routed or deleted meanwhile.
 */
class FirstRoundAnnouncesSecondTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("dave", "dave", "s3cret"));

    private static final Pattern BODY_FETCH = Pattern.compile("UID FETCH (\\S+) \\([^)]*BODY\\.PEEK\\[\\]");

    @Test
    void theSecondRoundIsOnTheWireBeforeTheFirstRoundIsAnswered() throws Exception {
        for (int i = 1; i <= 5; i++) {
            deliver(greenMail, "dave", textMessage("f" + i, "x"));
        }
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // the first body of the first round's answer reaches the client, nothing after it
            proxy.arm(FaultProxy.Direction.SERVER_TO_CLIENT, "BODY[] {", 0, FaultProxy.Fault.FREEZE);
            MockEndpoint mock = getMockEndpoint("mock:result");
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=dave&password=s3cret"
                         + "&fetchRoundSize=2&delete=true&initialDelay=0&delay=60000")
                            .to("mock:result");
                }
            });
            Eventually.await(() -> bodyFetches(proxy.clientText()).size() >= 2,
                    () -> "the second round was not asked for while the first one's answer was held:\n"
                          + proxy.clientText());
            assertEquals(List.of("1:2", "3:4"), bodyFetches(proxy.clientText()),
                    "the first two rounds, nothing more before an answer:\n" + proxy.clientText());
            assertEquals(0, mock.getReceivedCounter(), "nothing routed before its round was read");
            assertEquals(5, messages(greenMail, "dave", "INBOX").size(), "nothing deleted");
        }
    }

    private static List<String> bodyFetches(String sent) {
        Matcher m = BODY_FETCH.matcher(sent);
        List<String> sets = new ArrayList<>();
        while (m.find()) {
            sets.add(m.group(1));
        }
        return sets;
    }
}
