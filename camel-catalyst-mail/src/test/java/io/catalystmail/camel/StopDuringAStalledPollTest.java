package io.catalystmail.camel;

import java.util.List;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route stopped while its poll waits on a server that has gone quiet inside a FETCH: the consumer closes that
 * poll's connection itself and says so at INFO. The failure the closed socket then gives the poll is its own doing,
 * so it is not logged as a WARN "Failed polling endpoint" after that line, which read as the server's fault (seen
 * with stopRoute during a held-up FETCH: INFO "Closing the connection of a poll in progress", then WARN "... closed
 * on this side during UID FETCH"). The line is still there at DEBUG.
 */
class StopDuringAStalledPollTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("sam", "sam", "s3cret"));

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theFailureOfAPollTheStopEndedIsNoWarning() throws Exception {
        deliver(greenMail, "sam", textMessage("held", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort()); CapturedLog log = new CapturedLog()) {
            proxy.arm(FaultProxy.Direction.SERVER_TO_CLIENT, "BODY[] {", 0, FaultProxy.Fault.FREEZE);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // deadlines of ten minutes: only the stop's closing of the socket ends the held-up fetch in time
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=sam&password=s3cret"
                         + "&initialDelay=0&delay=100&readTimeout=600000&fetchTimeout=600000")
                            .routeId("mail").to("mock:never");
                }
            });
            context.start();
            Eventually.await(proxy::fired, () -> "the FETCH was not held up");
            context.getRouteController().stopRoute("mail");

            Eventually.await(() -> log.text().contains("closed on this side"),
                    () -> "the poll's failure did not arrive: " + log.text());
            List<String> lines = log.text().lines().toList();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO|" + PollInProgress.class.getName()
                                                                 + "|Closing the connection of a poll in progress")),
                    log::text);
            assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("WARN|")).toList(), log::text);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("DEBUG|" + CatalystMailConsumer.class.getName()
                                                                 + "|A poll ended by the consumer stopping")),
                    log::text);
        }
    }
}
