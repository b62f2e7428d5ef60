package io.catalystmail.camel.interop;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FaultProxy.Direction;
import io.catalystmail.camel.testsupport.FaultProxy.Fault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.catalystmail.camel.interop.InteropServers.HOST;
import static io.catalystmail.camel.interop.InteropServers.PASSWORD;
import static io.catalystmail.camel.interop.InteropServers.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push delivery (idle=true) against Dovecot, with mail submitted to Postfix, which hands it to Dovecot over LMTP:
 * with delay set to an hour, only IDLE brings it to the route. Dovecot announces new mail to an IDLE at once.
 */
class ImapIdleInteropIT extends InteropTestSupport {

    private static final String USER = "carol";

    @BeforeEach
    void emptyMailbox() {
        Mailboxes.empty(USER);
    }

    private String imaps(String options) {
        return "catalystmail:imaps:" + HOST + ":" + System.getenv("CATALYST_IMAPS_PORT") + "?username=" + USER
               + "&password=RAW(" + PASSWORD + ")&sslContextParameters=#" + InteropServers.TLS_BEAN
               + "&idle=true&delete=true&initialDelay=0&delay=3600000" + options;
    }

    private void submit(String subject) {
        template.sendBodyAndHeader("catalystmail:smtp:" + HOST + ":" + InteropServers.SMTP
                                   + "?startTls=REQUIRED&sslContextParameters=#" + InteropServers.TLS_BEAN
                                   + "&from=" + address("bob") + "&to=" + address(USER), "pushed", "Subject", subject);
    }

    private List<String> routed() {
        return getMockEndpoint("mock:result").getReceivedExchanges().stream()
                .map(e -> e.getMessage().getHeader("Subject", String.class)).collect(Collectors.toList());
    }

    private void awaitRouted(List<String> subjects) {
        Eventually.await(Duration.ofSeconds(60), () -> routed().size() >= subjects.size(),
                () -> "routed " + routed() + ", expected " + subjects);
        assertEquals(subjects, routed());
    }

    /** The IDLE commands sent: James's answers say "OK IDLE completed", so the bare word would count those too. */
    private static final Pattern IDLE_SENT = Pattern.compile("C: \\S+ IDLE\\b");

    private static void awaitIdle(ProtocolLog log, int times) {
        Eventually.await(Duration.ofSeconds(30), () -> IDLE_SENT.matcher(log.text()).results().count() >= times,
                () -> "IDLE sent " + times + " time(s): " + log.text());
    }

    @Test
    void mailThroughPostfixReachesTheRouteWithoutAPollTick() throws Exception {
        try (ProtocolLog log = new ProtocolLog()) {
            route(imaps(""), e -> { });
            awaitIdle(log, 1);
            for (int i = 1; i <= 3; i++) {
                submit("idle " + i);
            }
            Eventually.await(Duration.ofSeconds(60), () -> routed().size() >= 3, () -> "routed " + routed());
            assertEquals(List.of("idle 1", "idle 2", "idle 3"), routed().stream().sorted().toList());
            Eventually.await(Duration.ofSeconds(30), () -> Mailboxes.count(USER, "INBOX") == 0,
                    () -> Mailboxes.count(USER, "INBOX") + " messages left");
            assertEquals(1, log.text().lines().filter(l -> l.matches(".*C: A\\d+ (LOGIN|AUTHENTICATE) .*")).count(),
                    "logged in once: IDLE and the polls share the connection\n" + log.text());
        }
    }

    @Test
    void idleIsIssuedAgainBeforeTheRenewInterval() throws Exception {
        try (ProtocolLog log = new ProtocolLog()) {
            route(imaps("&idleRenewInterval=300"), e -> { });
            awaitIdle(log, 4);
            assertTrue(log.count("C: DONE") >= 3, log.text());
            submit("after renewals");
            awaitRouted(List.of("after renewals"));
        }
    }

    @Test
    void connectionCutWhileIdlingReconnectsWithoutLossOrDuplicate() throws Exception {
        try (FaultProxy proxy = new FaultProxy(Integer.parseInt(System.getenv("CATALYST_IMAP_PORT")))) {
            // the first DONE answers the EXISTS of "cut 1": the connection is cut before Dovecot hears it
            proxy.arm(Direction.CLIENT_TO_SERVER, "DONE\r\n", 0, Fault.CUT);
            route("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=" + USER + "&password=RAW(" + PASSWORD
                  + ")&startTls=DISABLED&idle=true&delete=true&initialDelay=0&delay=3600000", e -> { });
            Eventually.await(Duration.ofSeconds(30), () -> proxy.timesSent(" IDLE\r\n") >= 1, proxy::clientText);
            submit("cut 1");
            awaitRouted(List.of("cut 1"));
            assertTrue(proxy.fired(), proxy.clientText());
            Eventually.await(Duration.ofSeconds(30), () -> proxy.timesSent(" IDLE\r\n") >= 2, proxy::clientText);
            submit("cut 2");
            awaitRouted(List.of("cut 1", "cut 2"));
            assertTrue(proxy.connections() >= 2, "reconnected");
        }
    }

    @Test
    void stopWhileIdlingReturns() throws Exception {
        try (ProtocolLog log = new ProtocolLog()) {
            route(imaps("&readTimeout=600000"), e -> { });
            awaitIdle(log, 1);
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> context.getRouteController().stopRoute("mail"));
            assertTrue(context.getRouteController().getRouteStatus("mail").isStopped());
        }
    }
}
