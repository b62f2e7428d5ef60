package io.catalystmail.camel;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FailingRepository;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A poll that ends while the next round is being fetched ahead from a server that stalls in the middle of that round
 * (the server's deadlines are set far beyond the test's timeout, so waiting for them hangs the test). When the route
 * fails (here the idempotent repository's database is down) the poll does not wait for the stalled round: the
 * connection is dropped, so nothing of that round is routed or changed on the server; the poll ends with the route's
 * error and the next poll connects again and routes everything. A stop at that moment ends the poll without routing
 * any of the stalled round.
 */
class AbandonedRoundAheadTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("ria", "ria", "s3cret"));

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRouteFailureWhileTheRoundAheadStallsEndsThePollAndTheNextPollRoutesEverything() throws Exception {
        for (int i = 1; i <= 4; i++) {
            deliver(greenMail, "ria", textMessage("m" + i, "body of m" + i));
        }
        List<String> routed = new CopyOnWriteArrayList<>();
        FailingRepository repository = FailingRepository.failingOnce();
        CapturedExceptions failures = new CapturedExceptions();
        context.getRegistry().bind("repo", repository);
        context.getRegistry().bind("failures", failures);
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // the first connection stalls inside round 2 (m3, m4), after m3's subject, keeping the socket open
            proxy.arm(FaultProxy.Direction.SERVER_TO_CLIENT, "Subject: m3", 0, FaultProxy.Fault.FREEZE);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // deadlines of ten minutes: only dropping the connection ends the stalled fetch in time
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=ria&password=s3cret"
                         + "&fetchRoundSize=2&delete=true&idempotentRepository=#repo&initialDelay=0&delay=100"
                         + "&readTimeout=600000&fetchTimeout=600000&exceptionHandler=#failures")
                            .process(e -> {
                                if (proxy.connections() == 1) {
                                    // m1 on the first connection: its repository add fails once round 2 stalls
                                    Eventually.await(proxy::fired, () -> "round 2 was not fetched ahead");
                                }
                                routed.add(e.getMessage().getHeader("Subject", String.class));
                            });
                }
            });
            context.start();

            Eventually.await(java.time.Duration.ofSeconds(90), () -> messages(greenMail, "ria", "INBOX").isEmpty(),
                    () -> "not all routed and deleted; routed " + routed + ", connections " + proxy.connections());
            assertTrue(proxy.connections() >= 2, "the next poll connected again");
            assertEquals(Set.of("m1", "m2", "m3", "m4"), Set.copyOf(routed));
            // m1 was routed before its repository add failed: remembered with its deletion owed, which the next
            // poll does, not routed again; nothing of round 2 was routed on the first connection
            assertEquals(List.of("m1"), routed.subList(0, 1));
            assertEquals(4, routed.size(), "each once, m1 too (its repository add failed): " + routed);
            assertTrue(failures.allText().contains(FailingRepository.DOWN), failures.allText());
        }
    }
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aStopWhileTheRoundAheadStallsEndsThePollAndRoutesNothingOfThatRound() throws Exception {
        for (int i = 1; i <= 4; i++) {
            deliver(greenMail, "ria", textMessage("s" + i, "body of s" + i));
        }
        List<String> routed = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.arm(FaultProxy.Direction.SERVER_TO_CLIENT, "Subject: s3", 0, FaultProxy.Fault.FREEZE);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=ria&password=s3cret"
                         + "&fetchRoundSize=2&delete=true&initialDelay=0&delay=60000"
                         + "&readTimeout=600000&fetchTimeout=600000")
                            .routeId("stopped")
                            .process(e -> {
                                Eventually.await(proxy::fired, () -> "round 2 was not fetched ahead");
                                routed.add(e.getMessage().getHeader("Subject", String.class));
                            });
                }
            });
            context.start();
            Eventually.await(() -> routed.contains("s1"), () -> "s1 not routed");

            // stops while round 2 stalls on the server: the stop ends the poll instead of waiting for the server
            context.getRouteController().stopRoute("stopped", 60, TimeUnit.SECONDS);

            assertTrue(routed.size() <= 2 && !routed.contains("s3") && !routed.contains("s4"),
                    "nothing of the stalled round routed: " + routed);
            List<String> left = messages(greenMail, "ria", "INBOX").stream().map(GreenMailboxes::subjectOf).toList();
            assertTrue(left.containsAll(List.of("s3", "s4")), "the stalled round stays on the server: " + left);
        }
    }
}
