package io.catalystmail.camel;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With a MeterRegistry in the Camel registry (as camel-micrometer names it), the figures are meters there. */
class MicrometerMetersTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(new ServerSetup[] {
            ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("dave", "dave", "s3cret")
                    .withUser("erin", "erin", "s3cret"));
    /** {@code printf %s dave | sha256sum | cut -c1-12}, and for erin: the account tags the docs tell how to get. */
    private static final String DAVE = "61ea0803f885";
    private static final String ERIN = "7cbccb0c4caa";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void consumerFiguresAreMetersUntilTheRouteStops() throws Exception {
        context.getRegistry().bind("metricsRegistry", meters);
        deliver(greenMail, "dave", textMessage("one", "1"));
        deliver(greenMail, "dave", textMessage("two", "2"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort()
                     + "?username=dave&password=s3cret&initialDelay=0&delay=60000").routeId("metered").to("mock:out");
            }
        });
        Eventually.await(Duration.ofSeconds(20),
                () -> meters.find("catalystmail.poll.duration").functionTimer() != null
                      && meters.get("catalystmail.poll.duration").functionTimer().count() >= 1,
                () -> "no poll measured: " + meters.getMetersAsString());
        assertEquals(2.0, meters.get("catalystmail.messages.routed").tag("kind", "consumer").functionCounter().count());
        assertEquals(2.0, meters.get("catalystmail.messages.fetched").functionCounter().count());
        assertEquals(0.0, meters.get("catalystmail.messages.failed").functionCounter().count());

        context.getRouteController().stopRoute("metered");
        assertNull(meters.find("catalystmail.messages.routed").functionCounter(), "meters removed at stop");
    }

    @Test
    void producersOfOneEndpointShareTheMetersUntilTheLastStops() throws Exception {
        context.getRegistry().bind("metricsRegistry", meters);
        String smtp = "catalystmail:smtp:127.0.0.1:" + greenMail.getSmtp().getPort()
                      + "?from=dave@localhost&to=dave@localhost";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:first").routeId("first").to(smtp);
                from("direct:second").routeId("second").to(smtp);
            }
        });
        template.sendBody("direct:first", "one");
        template.sendBody("direct:second", "two");
        assertEquals(2.0, meters.get("catalystmail.messages.sent").functionCounter().count());

        context.getRouteController().stopRoute("first");
        template.sendBody("direct:second", "three");
        assertNotNull(meters.find("catalystmail.messages.sent").functionCounter(),
                "the second route's producer still runs: its meters stay");
        assertEquals(3.0, meters.get("catalystmail.messages.sent").functionCounter().count());

        context.getRouteController().stopRoute("second");
        assertNull(meters.find("catalystmail.messages.sent").functionCounter(), "meters removed when the last stops");
    }

    @Test
    void producersOfTwoEndpointsOfOneServerAreCountedTogether() throws Exception {
        context.getRegistry().bind("metricsRegistry", meters);
        // two endpoints of one server (alerts and reports, say): their meters have the same name and tags
        String smtp = "catalystmail:smtp:127.0.0.1:" + greenMail.getSmtp().getPort()
                      + "?from=dave@localhost&to=dave@localhost&subject=";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:alerts").routeId("alerts").to(smtp + "alert");
                from("direct:reports").routeId("reports").to(smtp + "report");
            }
        });
        template.sendBody("direct:alerts", "one");
        template.sendBody("direct:reports", "two");
        template.sendBody("direct:reports", "three");
        assertEquals(3.0, meters.get("catalystmail.messages.sent").functionCounter().count(),
                "every message the server accepted counts: " + meters.getMetersAsString());

        context.getRouteController().stopRoute("alerts");
        template.sendBody("direct:reports", "four");
        assertEquals(4.0, meters.get("catalystmail.messages.sent").functionCounter().count(),
                "the meters stay while the other endpoint sends: " + meters.getMetersAsString());
    }

    @Test
    void consumersOfTwoEndpointsOfOneFolderAreCountedTogether() throws Exception {
        context.getRegistry().bind("metricsRegistry", meters);
        deliver(greenMail, "dave", textMessage("one", "1"));
        deliver(greenMail, "dave", textMessage("two", "2"));
        // two endpoints of one folder that differ in their delay: their meters have the same name and tags
        String imap = "catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort()
                      + "?username=dave&password=s3cret&initialDelay=0&delay=";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(imap + "60000").routeId("often").to("mock:out");
                from(imap + "50000").routeId("seldom").autoStartup(false).to("mock:out");
            }
        });
        Eventually.await(Duration.ofSeconds(20), () -> polls() >= 1, () -> "no poll measured: " + meters.getMetersAsString());
        assertEquals(2.0, meters.get("catalystmail.messages.routed").functionCounter().count());

        context.getRouteController().startRoute("seldom");
        Eventually.await(Duration.ofSeconds(20), () -> polls() >= 2,
                () -> "the second endpoint's poll is not counted: " + meters.getMetersAsString());

        context.getRouteController().stopRoute("often");
        assertNotNull(meters.find("catalystmail.messages.routed").functionCounter(),
                "the other endpoint still polls: the meters stay");
        assertEquals(2.0, meters.get("catalystmail.messages.routed").functionCounter().count(),
                "the stopped endpoint's messages still count: " + meters.getMetersAsString());
        assertEquals(2.0, polls(), "both endpoints' polls count: " + meters.getMetersAsString());

        context.getRouteController().stopRoute("seldom");
        assertNull(meters.find("catalystmail.messages.routed").functionCounter(), "meters removed when the last stops");
    }

    @Test
    void consumersOfTwoUsersOfOneFolderHaveMetersOfTheirOwnThatDoNotNameThem() throws Exception {
        context.getRegistry().bind("metricsRegistry", meters);
        deliver(greenMail, "dave", textMessage("one", "1"));
        deliver(greenMail, "erin", textMessage("two", "2"));
        deliver(greenMail, "erin", textMessage("three", "3"));
        String imap = "catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort()
                      + "?password=s3cret&initialDelay=0&delay=60000&username=";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(imap + "dave").routeId("dave").to("mock:out");
                from(imap + "erin").routeId("erin").to("mock:out");
            }
        });
        Eventually.await(Duration.ofSeconds(20), () -> routed(DAVE) == 1 && routed(ERIN) == 2,
                () -> "each user's INBOX counted on its own: " + meters.getMetersAsString());
        String all = meters.getMetersAsString();
        for (String secret : new String[] {"dave", "erin", "s3cret"}) {
            assertFalse(all.contains(secret), secret + " in the meters: " + all);
        }
    }

    @Test
    void producersOfTwoUsersOfOneServerHaveMetersOfTheirOwn() throws Exception {
        context.getRegistry().bind("metricsRegistry", meters);
        String smtp = "catalystmail:smtp:127.0.0.1:" + greenMail.getSmtp().getPort()
                      + "?from=dave@localhost&to=dave@localhost&allowInsecureAuth=true&password=s3cret";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dave").to(smtp + "&username=dave");
                from("direct:erin").to(smtp + "&username=erin");
                from("direct:nobody").to(smtp.replace("&password=s3cret", ""));
            }
        });
        template.sendBody("direct:dave", "one");
        template.sendBody("direct:erin", "two");
        template.sendBody("direct:erin", "three");
        template.sendBody("direct:nobody", "four");
        assertEquals(1.0, sent(DAVE), meters.getMetersAsString());
        assertEquals(2.0, sent(ERIN), meters.getMetersAsString());
        assertEquals(1.0, sent("none"), "a sender without AUTH: " + meters.getMetersAsString());
    }

    private double routed(String account) {
        FunctionCounter counter = meters.find("catalystmail.messages.routed").tag("account", account).functionCounter();
        return counter == null ? -1 : counter.count();
    }

    private double sent(String account) {
        return meters.get("catalystmail.messages.sent").tag("account", account).functionCounter().count();
    }

    private double polls() {
        FunctionTimer timer = meters.find("catalystmail.poll.duration").functionTimer();
        return timer == null ? 0 : timer.count();
    }
}
