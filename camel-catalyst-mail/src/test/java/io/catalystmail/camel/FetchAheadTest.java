package io.catalystmail.camel;

import java.util.List;
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
                         + "&fetchRoundSize=2&delete=true&initialDelay=0&delay=60000")
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

    @Test
    void withoutAConfiguredActionTheRoundAfterNextIsRequestedTooAndActionsHeldBehindItAreApplied() throws Exception {
        for (int i = 1; i <= 7; i++) {
            deliver(greenMail, "carol", textMessage("n" + i, "x"));
        }
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            MockEndpoint mock = getMockEndpoint("mock:result");
            mock.expectedMessageCount(7);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // no configured action (nothing to wait for between rounds, so rounds are announced ahead);
                    // the route asks for the deletion of each message, which rides on a later fetch
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=carol&password=s3cret"
                         + "&fetchRoundSize=2&markSeen=false&initialDelay=0&delay=60000")
                            .setHeader(CatalystMailConstants.DELETE, constant(true))
                            .process(e -> {
                                if ("n1".equals(e.getMessage().getHeader("Subject"))) {
                                    // rounds 1 and 2 went out with the first fetch; the fetch of round 2 sends round 3
                                    Eventually.await(() -> bodyFetches(proxy.clientText()) >= 3,
                                            () -> "round 3 not requested while round 1 was routed:\n"
                                                  + proxy.clientText());
                                }
                            })
                            .to("mock:result");
                }
            });
            mock.setResultWaitTime(20_000);
            mock.assertIsSatisfied();
            // every deletion was held behind a round fetched ahead and still reached the server, each message once
            Eventually.await(() -> messages(greenMail, "carol", "INBOX").isEmpty(),
                    () -> messages(greenMail, "carol", "INBOX").size() + " of 7 left");
            List<String> routed = mock.getReceivedExchanges().stream()
                    .map(e -> e.getMessage().getHeader("Subject", String.class)).toList();
            assertEquals(List.of("n1", "n2", "n3", "n4", "n5", "n6", "n7"), routed);
            assertEquals(4, bodyFetches(proxy.clientText()), "one FETCH per round of two:\n" + proxy.clientText());
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
