package io.catalystmail.camel;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.GreenMailIdle;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Camel's route-level polling options while the consumer idles (option idle, RFC 2177), against GreenMail through a
 * {@link FaultProxy}: with delay at an hour only IDLE (or a tick the test runs itself, as the scheduler would) makes
 * the consumer poll after the first poll. What push-delivery.adoc says about sendEmptyMessageWhenIdle and the
 * backoff options is what these tests show.
 */
class ImapIdleRouteFeaturesTest extends CamelTestSupport {

    private static final String HOUR = "&initialDelay=0&delay=3600000";

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] { ServerSetupTest.IMAP }))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    private static String imap(int port, String options) {
        return "catalystmail:imap:127.0.0.1:" + port + "?username=alice&password=s3cret&idle=true" + HOUR + options;
    }

    private void route(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("mail").to("mock:result");
            }
        });
    }

    private CatalystMailConsumer mailConsumer() {
        return (CatalystMailConsumer) context.getRoute("mail").getConsumer();
    }

    private List<Exchange> received() {
        return getMockEndpoint("mock:result").getReceivedExchanges();
    }

    /** Subjects of what reached the route; an empty exchange (no body, no headers) shows as "(empty)". */
    private List<String> routed() {
        return received().stream().map(e -> e.getMessage().getBody() == null ? "(empty)"
                : e.getMessage().getHeader("Subject", String.class)).collect(Collectors.toList());
    }

    private void awaitRouted(List<String> expected) {
        Eventually.await(Duration.ofSeconds(30), () -> received().size() >= expected.size(),
                () -> "routed " + routed() + ", expected " + expected);
        assertEquals(expected, routed());
    }

    private static void awaitIdle(FaultProxy proxy, int times) {
        GreenMailIdle.await(greenMail, "alice", proxy, times);
    }

    /** A message another client filed already read: the server announces it, but the consumer (unseen=true) skips it. */
    private static void fileAlreadySeen(String subject) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(textMessage(subject, "read elsewhere")));
        GreenMailboxes.folder(greenMail, "alice", "INBOX").appendMessage(message, new Flags(Flags.Flag.SEEN), new Date());
    }

    @Test
    void aPollIdleTriggeredThatFindsNothingNewSendsAnEmptyExchange() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            route(imap(proxy.port(), "&sendEmptyMessageWhenIdle=true"));
            awaitRouted(List.of("(empty)")); // the first, scheduled poll: an empty mailbox
            awaitIdle(proxy, 1);
            fileAlreadySeen("read elsewhere");
            // EXISTS ends the IDLE; the poll it starts finds no unseen message: one empty exchange, as on the schedule
            awaitRouted(List.of("(empty)", "(empty)"));
            assertEquals(1, proxy.timesSent("DONE\r\n"), proxy.clientText());
            awaitIdle(proxy, 2);
            deliver(greenMail, "alice", textMessage("new", "found by the next IDLE-triggered poll"));
            Eventually.await(Duration.ofSeconds(30), () -> routed().contains("new"), () -> "routed " + routed());
        }
    }

    @Test
    void renewingTheIdleIsNoPollAndSendsNoEmptyExchange() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            route(imap(proxy.port(), "&sendEmptyMessageWhenIdle=true&idleRenewInterval=200"));
            awaitRouted(List.of("(empty)"));
            awaitIdle(proxy, 4);
            assertEquals(1, proxy.timesSent("UID SEARCH"), "renewals searched: " + proxy.clientText());
            assertEquals(List.of("(empty)"), routed());
        }
    }

    /**
     * backoffIdleThreshold thins out the schedule while nothing comes; mail the server announces is polled at once,
     * and the poll that finds it ends the idle streak.
     */
    @Test
    void announcedMailIsPolledAtOnceWhileTheScheduleBacksOffForIdlePolls() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            route(imap(proxy.port(), "&backoffIdleThreshold=1&backoffMultiplier=100"));
            awaitIdle(proxy, 1);
            // a scheduled tick after the first (empty) poll: Camel skips it, and the IDLE goes on undisturbed
            mailConsumer().run();
            assertEquals(1, mailConsumer().getBackoffCounter(), "the schedule backs off after an idle poll");
            assertEquals(0, proxy.timesSent("DONE\r\n"), proxy.clientText());
            deliver(greenMail, "alice", textMessage("announced", "polled at once despite the backoff"));
            awaitRouted(List.of("announced"));
        }
    }

    /**
     * backoffErrorThreshold: after that many failed polls (the IDLE loop's reconnect attempts are polls) the loop
     * stops reconnecting and says so once; only the schedule tries, skipping backoffMultiplier - 1 ticks as Camel
     * does, and the first poll that connects resumes IDLE.
     */
    @Test
    void theIdleLoopStopsReconnectingWhileTheErrorBackoffHoldsAndTheScheduleEndsIt() throws Exception {
        try (CapturedLog log = new CapturedLog();
             FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            route(imap(proxy.port(), "&backoffErrorThreshold=2&backoffMultiplier=2"));
            awaitIdle(proxy, 1);
            proxy.refuseConnections(true); // cuts the idling connection; each reconnect fails
            Eventually.await(Duration.ofSeconds(60), () -> log.text().contains("error backoff"),
                    () -> "the IDLE loop never stopped reconnecting; errors " + mailConsumer().getErrorCounter() + ", log: "
                          + log.text());
            assertEquals(2, mailConsumer().getErrorCounter(), log.text());
            assertEquals(0, mailConsumer().getBackoffCounter(), "the loop's attempts must not use up the schedule's backoff");
            int connections = proxy.connections();
            proxy.refuseConnections(false);
            deliver(greenMail, "alice", textMessage("after backoff", "polled by the schedule"));
            mailConsumer().run(); // the first scheduled tick in backoff: skipped
            assertEquals(connections, proxy.connections(), "a skipped tick does not connect");
            assertEquals(List.of(), routed());
            mailConsumer().run(); // the second: backoffMultiplier reached, Camel polls
            awaitRouted(List.of("after backoff"));
            awaitIdle(proxy, 2);
            assertEquals(1, log.text().split("error backoff", -1).length - 1, log.text());
        }
    }
}
