package io.catalystmail.camel;

import java.util.concurrent.TimeUnit;
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
 * The next round is fetched while the route works on the current one: the route holds the first message until
 * the proxy has seen the client ask for the second round, which only happens if fetching runs ahead.
 */
class FetchAheadTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("carol", "carol", "s3cret"));

    private static final Pattern BODY_FETCH = Pattern.compile("UID FETCH \\S+ \\([^)]*BODY\\.PEEK\\[\\]");

    @Test
    void secondRoundIsRequestedWhileTheFirstIsStillBeingRouted() throws Exception {
        for (int i = 1; i <= 4; i++) {
            deliver(greenMail, "carol", textMessage("m" + i, "x"));
        }
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            MockEndpoint mock = getMockEndpoint("mock:result");
            mock.expectedMessageCount(4);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=carol&password=s3cret"
                         + "&fetchSize=2&delete=true&initialDelay=0&delay=60000")
                            .process(e -> {
                                if ("m1".equals(e.getMessage().getHeader("Subject"))) {
                                    Eventually.await(() -> bodyFetches(proxy.clientText()) >= 2,
                                            () -> "second round not requested while the first was routed:\n"
                                                  + proxy.clientText());
                                }
                            })
                            .to("mock:result");
                }
            });
            mock.setResultWaitTime(20_000);
            mock.assertIsSatisfied();
            Eventually.await(() -> messages(greenMail, "carol", "INBOX").isEmpty(), () -> "all deleted");
            assertEquals("m1", mock.getReceivedExchanges().get(0).getMessage().getHeader("Subject"));
            assertEquals("m4", mock.getReceivedExchanges().get(3).getMessage().getHeader("Subject"));
        }
    }

    private static int bodyFetches(String sent) {
        Matcher m = BODY_FETCH.matcher(sent);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
