package io.catalystmail.camel;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.GreenMailIdle;
import io.catalystmail.camel.testsupport.HostileBytes;
import io.catalystmail.camel.testsupport.FaultProxy.Direction;
import io.catalystmail.camel.testsupport.FaultProxy.Fault;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.health.ConsumersHealthCheckRepository;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push delivery (option idle, RFC 2177) against GreenMail, through a {@link FaultProxy} that records what the
 * consumer sends: with delay set to an hour, only IDLE can bring mail to the route after the first poll.
 */
class ImapIdleConsumerTest extends CamelTestSupport {

    private static final String HOUR = "&initialDelay=0&delay=3600000";

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] { ServerSetupTest.IMAP, ServerSetupTest.POP3 }))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        HealthCheckRegistry registry = new DefaultHealthCheckRegistry();
        registry.setExposureLevel("full");
        camel.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, registry);
        registry.register(new ConsumersHealthCheckRepository());
        return camel;
    }

    private static String imap(int port, String options) {
        return "catalystmail:imap:127.0.0.1:" + port + "?username=alice&password=s3cret&idle=true" + options;
    }

    private void route(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("mail").to("mock:result");
            }
        });
    }

    private List<String> routedSubjects() {
        return getMockEndpoint("mock:result").getReceivedExchanges().stream()
                .map(e -> e.getMessage().getHeader("Subject", String.class)).collect(Collectors.toList());
    }

    private static void awaitIdle(FaultProxy proxy, int times) {
        GreenMailIdle.await(greenMail, "alice", proxy, times);
    }

    private void awaitRouted(List<String> subjects) {
        Eventually.await(Duration.ofSeconds(30), () -> routedSubjects().size() >= subjects.size(),
                () -> "routed " + routedSubjects() + ", expected " + subjects);
        assertEquals(subjects, routedSubjects());
    }

    @Test
    void mailDeliveredWhileIdlingReachesTheRouteWithoutAPollTick() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            deliver(greenMail, "alice", textMessage("before", "polled"));
            route(imap(proxy.port(), HOUR));
            awaitRouted(List.of("before"));
            awaitIdle(proxy, 1);
            deliver(greenMail, "alice", textMessage("pushed 1", "announced by EXISTS"));
            awaitRouted(List.of("before", "pushed 1"));
            awaitIdle(proxy, 2);
            deliver(greenMail, "alice", textMessage("pushed 2", "announced by EXISTS"));
            awaitRouted(List.of("before", "pushed 1", "pushed 2"));
            assertTrue(proxy.timesSent("DONE\r\n") >= 2, proxy.clientText());
            // Camel's consumer health check: UP while the consumer idles on a live connection
            awaitIdle(proxy, 3);
            Eventually.await(Duration.ofSeconds(30), () -> HealthCheckHelper.invoke(context).stream()
                    .anyMatch(r -> r.getCheck().getId().equals("consumer:mail") && r.getState() == HealthCheck.State.UP),
                    () -> "health: " + HealthCheckHelper.invoke(context).stream()
                            .map(r -> r.getCheck().getId() + "=" + r.getState()).collect(Collectors.toList()));
        }
    }

    @Test
    void idleIsIssuedAgainBeforeTheRenewInterval() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            route(imap(proxy.port(), HOUR + "&idleRenewInterval=200"));
            awaitIdle(proxy, 4);
            assertTrue(proxy.timesSent("DONE\r\n") >= 3, proxy.clientText());
            deliver(greenMail, "alice", textMessage("after renewals", "still pushed"));
            awaitRouted(List.of("after renewals"));
        }
    }

    @Test
    void connectionCutWhileIdlingReconnectsWithoutLossOrDuplicate() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // the first DONE follows the EXISTS of "cut 1": the connection is cut before the server hears it
            proxy.arm(Direction.CLIENT_TO_SERVER, "DONE\r\n", 0, Fault.CUT);
            route(imap(proxy.port(), HOUR));
            awaitIdle(proxy, 1);
            deliver(greenMail, "alice", textMessage("cut 1", "announced, then the connection is cut"));
            awaitRouted(List.of("cut 1"));
            assertTrue(proxy.fired(), "the cut never happened: " + proxy.clientText());
            assertTrue(proxy.connections() >= 2, "the consumer reconnected");
            awaitIdle(proxy, 2);
            deliver(greenMail, "alice", textMessage("cut 2", "on the new connection"));
            awaitRouted(List.of("cut 1", "cut 2"));
        }
    }

    /** With the schedule an hour away, a server that was unreachable for a while is reconnected to by the loop. */
    @Test
    void aFailedReconnectIsRetriedWithoutWaitingForTheSchedule() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            outageWhileIdling(proxy, 2);
        }
    }

    /**
     * Idles with the schedule an hour away, refuses connections until the consumer tried {@code attempts} times
     * (the first cuts the idling connection), then lets it through: mail delivered then is routed, IDLE resumes.
     */
    private void outageWhileIdling(FaultProxy proxy, int attempts) throws Exception {
        route(imap(proxy.port(), HOUR));
        awaitIdle(proxy, 1);
        int before = proxy.connections();
        proxy.refuseConnections(true);
        Eventually.await(Duration.ofSeconds(30), () -> proxy.connections() >= before + attempts,
                () -> "not " + attempts + " reconnects tried: " + (proxy.connections() - before));
        proxy.refuseConnections(false);
        deliver(greenMail, "alice", textMessage("back", "delivered once the server is back"));
        awaitRouted(List.of("back"));
        awaitIdle(proxy, 2);
    }

    /**
     * An outage while idling: the lost IDLE and the first failed reconnect each say it once at WARN; the loop's
     * retries (1 s, 2 s, ... apart) go to DEBUG; one INFO line says when the server answers again.
     */
    @Test
    void anOutageWhileIdlingWarnsOnceAndSaysOnceWhenTheServerAnswersAgain() throws Exception {
        try (CapturedLog log = new CapturedLog();
             FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            outageWhileIdling(proxy, 3);
            String text = log.text();
            assertEquals(1, occurrences(text, "WARN|io.catalystmail.camel.CatalystMailConsumer|Failed polling"), text);
            assertEquals(1, occurrences(text, "WARN|io.catalystmail.camel.IdleLoop|IDLE on"), text);
            assertTrue(occurrences(text, "DEBUG|io.catalystmail.camel.CatalystMailConsumer|Failed polling") >= 2, text);
            assertEquals(1, occurrences(text, "INFO|io.catalystmail.camel.CatalystMailConsumer|127.0.0.1:" + proxy.port()
                    + " answers again"), text);
        }
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void idleThatIsRefusedFallsBackToTheScheduleAndSaysSoOnce() throws Exception {
        try (CapturedLog log = new CapturedLog();
             FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer(" IDLE\r\n", line -> new java.io.ByteArrayInputStream(
                    (FaultProxy.tagOf(line) + " BAD IDLE is switched off here\r\n").getBytes()), 0);
            route(imap(proxy.port(), "&initialDelay=0&delay=200"));
            Eventually.await(Duration.ofSeconds(30), () -> log.text().contains("refused IDLE"), log::text);
            deliver(greenMail, "alice", textMessage("scheduled", "found by the next poll"));
            awaitRouted(List.of("scheduled"));
            assertEquals(1, proxy.timesSent(" IDLE\r\n"), "IDLE is not tried again: " + proxy.clientText());
            assertEquals(1, log.text().split("refused IDLE", -1).length - 1, log.text());
        }
    }

    /**
     * A BYE in place of IDLE's continuation (a server restarting) is no refusal: the consumer reconnects and idles
     * again. It fell back to the hourly schedule for good before, logging "refused IDLE".
     */
    @Test
    void aByeInPlaceOfTheContinuationIsNoRefusal() throws Exception {
        try (CapturedLog log = new CapturedLog();
             FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer(" IDLE\r\n", line -> HostileBytes.thenCut("* BYE server shutting down\r\n"), 0);
            route(imap(proxy.port(), HOUR));
            awaitIdle(proxy, 2);
            deliver(greenMail, "alice", textMessage("pushed", "announced on the new connection"));
            awaitRouted(List.of("pushed"));
            assertFalse(log.text().contains("refused IDLE"), log.text());
            // as a BYE while idling (push-delivery.adoc): DEBUG only, the poll reconnects
            assertTrue(log.text().contains("ended IDLE: IMAP server 127.0.0.1:" + proxy.port() + " ended the session"
                    + " (BYE) during IDLE: server shutting down"), log.text());
        }
    }

    /**
     * A server that answers every IDLE with BYE in place of the continuation (a policy, not a restart: it took the
     * connection, the login and the poll) is not reconnected to without end: after a few connections in a row the
     * consumer polls on its schedule only, as after a refusal. It reconnected at once, each time, before (21
     * connections in 5 s here).
     */
    @Test
    void aServerThatAnswersEveryIdleWithByeIsPolledOnTheScheduleAfterAFewTries() throws Exception {
        try (CapturedLog log = new CapturedLog();
             FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer(" IDLE\r\n", line -> HostileBytes.thenCut("* BYE no idling here\r\n"), 0).everyTime();
            route(imap(proxy.port(), HOUR));
            Eventually.await(Duration.ofSeconds(30), () -> log.text().contains("answered IDLE with BYE on"),
                    () -> "no fallback after " + proxy.timesSent(" IDLE\r\n") + " IDLE(s): " + log.text());
            assertTrue(log.text().contains("IMAP server 127.0.0.1:" + proxy.port() + " answered IDLE with BYE on 3"
                    + " connections in a row (IMAP server 127.0.0.1:" + proxy.port() + " ended the session (BYE) during"
                    + " IDLE: no idling here): polling on the schedule only (option delay)"), log.text());
            // the loop has ended with that line: no IDLE is sent after it
            assertEquals(3, proxy.timesSent(" IDLE\r\n"));
        }
    }

    /**
     * What may not follow IDLE's continuation (RFC 2177 §3: untagged data, then the tagged answer to DONE): garbage, a
     * second continuation, the answer of a command never sent, a literal of 2 GB announced. Each fails that IDLE
     * naming server and what came, the connection is dropped, and the next one idles again.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "garbage|\u0001\u0002 garbage|broke the protocol answering IDLE: expected a space, got end of line",
            "a second continuation|+ again|unexpected continuation request during IDLE",
            "another tag's answer|X999 OK not yours|tagged response for unknown tag 'X999' during IDLE",
            "a 2 GB literal|* 1 FETCH (BODY[] {2147483648}|2147483648" })
    void garbageAfterTheContinuationDropsTheConnectionAndTheNextOneIdles(String what, String line, String named)
            throws Exception {
        try (CapturedLog log = new CapturedLog();
             FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer(" IDLE\r\n", l -> HostileBytes.text("+ idling\r\n" + line + "\r\n"), 0);
            route(imap(proxy.port(), HOUR));
            awaitIdle(proxy, 2);
            deliver(greenMail, "alice", textMessage("pushed", "announced on the new connection"));
            awaitRouted(List.of("pushed"));
            assertTrue(log.text().contains("IDLE on 127.0.0.1:" + proxy.port() + " failed (")
                    && log.text().contains(named), log.text());
            assertEquals(2, proxy.connections());
        }
    }

    @Test
    void serverWithoutIdleIsPolledOnTheSchedule() throws Exception {
        try (CapturedLog log = new CapturedLog();
             ScriptedImapServer server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS] logged in already")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK done")
                .expect("SELECT \"INBOX\"").send("* 0 EXISTS", "* OK [UIDVALIDITY 7] ok", "{tag} OK [READ-WRITE] done")
                // polls 1.5 s apart: the last OK stands for a NOOP (ImapConnection#needsNoop)
                .expect("UID SEARCH .*").send("* SEARCH", "{tag} OK done")
                .expect("UID SEARCH .*").send("* SEARCH", "{tag} OK done")
                .expect("UID SEARCH .*").send("* SEARCH", "{tag} OK done")
                .stall()
                .start()) {
            // the schedule leaves the IDLE loop time to look at the capabilities between polls
            route(imap(server.port(), "&initialDelay=0&delay=1500"));
            Eventually.await(Duration.ofSeconds(30),
                    () -> server.received().stream().filter(l -> l.contains("UID SEARCH")).count() >= 3,
                    () -> "three scheduled polls; the server got " + server.received() + ", problems "
                            + server.problems());
            assertTrue(server.received().stream().noneMatch(l -> l.contains("IDLE")), server.received().toString());
            assertTrue(log.text().contains("does not offer IDLE"), log.text());
            assertEquals(List.of(), server.problems());
        }
    }

    /** The tagged OK to DONE shows the connection alive and in step: the poll it starts searches at once. */
    @Test
    void thePollAnIdleStartsSearchesRightAfterDoneWithoutANoop() throws Exception {
        List<String> sent = secondIdleAfter("+ idling", "* 1 EXISTS");
        int done = sent.indexOf("DONE");
        assertTrue(done > 0 && sent.get(done - 1).equals("IDLE") && sent.get(done + 1).startsWith("UID SEARCH"),
                sent.toString());
    }

    /**
     * Mail delivered between the poll's SEARCH and the IDLE is announced with the IDLE's first answer, before the
     * continuation (GreenMail and Dovecot flush pending EXISTS there): it ends the IDLE at once, it is not left
     * until the renewal an hour away.
     */
    @Test
    void anExistsAnnouncedBeforeTheContinuationEndsTheIdleAtOnce() throws Exception {
        secondIdleAfter("* 1 EXISTS", "+ idling");
    }

    /**
     * A server whose INBOX is empty, whose first IDLE is answered with {@code idleAnswer} (an EXISTS in it), which then
     * finds nothing again and idles until the test ends: what the client sent, once it idled the second time.
     */
    private List<String> secondIdleAfter(String... idleAnswer) throws Exception {
        try (ScriptedImapServer server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS IDLE] logged in already")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK done")
                .expect("SELECT \"INBOX\"").send("* 0 EXISTS", "* OK [UIDVALIDITY 7] ok", "{tag} OK [READ-WRITE] done")
                .expect("UID SEARCH .*").send("* SEARCH", "{tag} OK done")
                .expect("IDLE").send(idleAnswer)
                .expectLine("DONE").send("{tag} OK IDLE terminated")
                .expect("UID SEARCH .*").send("* SEARCH", "{tag} OK done")
                .expect("IDLE").send("+ idling")
                .stall()
                .start()) {
            route(imap(server.port(), HOUR));
            Eventually.await(Duration.ofSeconds(60),
                    () -> server.received().stream().filter("IDLE"::equals).count() >= 2 || !server.problems().isEmpty(),
                    () -> "the EXISTS in the IDLE's answer did not end it: the server got " + server.received()
                          + ", problems " + server.problems());
            assertEquals(List.of(), server.problems());
            return server.received();
        }
    }

    @Test
    void stopWhileIdlingReturnsEvenWhenTheServerNeverAnswersDone() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // the server gets the IDLE and nothing after it: DONE is never answered
            proxy.arm(Direction.CLIENT_TO_SERVER, " IDLE\r\n", 0, Fault.STALL);
            route(imap(proxy.port(), HOUR + "&readTimeout=600000"));
            awaitIdle(proxy, 1);
            assertStopsWellBeforeTheServerGivesUp();
        }
    }

    @Test
    void stopReturnsEvenWhenTheServerNeverAnswersLogout() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // DONE is answered, the LOGOUT after it is not
            proxy.arm(Direction.CLIENT_TO_SERVER, "DONE\r\n", 0, Fault.STALL);
            route(imap(proxy.port(), HOUR + "&readTimeout=600000"));
            awaitIdle(proxy, 1);
            assertStopsWellBeforeTheServerGivesUp();
            assertEquals(1, proxy.timesSent("DONE\r\n"), proxy.clientText());
        }
    }

    /**
     * The read timeout is ten minutes. A stop that waited for the swallowed answer ended only when GreenMail dropped
     * the silent connection (30 s into the stop, measured here); one within 20 s did not wait for it.
     */
    private void assertStopsWellBeforeTheServerGivesUp() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> context.getRouteController().stopRoute("mail"));
        assertTrue(context.getRouteController().getRouteStatus("mail").isStopped());
    }

    @Test
    void suspendEndsIdleAndResumeIdlesAgain() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            route(imap(proxy.port(), HOUR));
            awaitIdle(proxy, 1);
            assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> context.getRouteController().suspendRoute("mail"));
            Eventually.await(Duration.ofSeconds(30), () -> proxy.timesSent("DONE\r\n") >= 1,
                    () -> "suspending ended IDLE: " + proxy.clientText());
            deliver(greenMail, "alice", textMessage("while suspended", "waits"));
            int idles = proxy.timesSent(" IDLE\r\n");
            context.getRouteController().resumeRoute("mail");
            Eventually.await(Duration.ofSeconds(30), () -> routedSubjects().size() >= 1,
                    () -> "routed " + routedSubjects() + " after resuming; the consumer sent " + proxy.clientText());
            assertEquals(List.of("while suspended"), routedSubjects());
            awaitIdle(proxy, idles + 1);
        }
    }

    @Test
    void pop3RefusesIdleAtStart() throws Exception {
        Exception e = assertThrows(Exception.class, () -> route("catalystmail:pop3:127.0.0.1:"
                + greenMail.getPop3().getPort() + "?username=alice&password=s3cret&idle=true"));
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("POP3 has no push delivery"), cause.toString());
    }
}
