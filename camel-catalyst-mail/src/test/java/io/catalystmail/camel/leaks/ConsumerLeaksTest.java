package io.catalystmail.camel.leaks;

import java.io.IOException;
import java.time.Duration;
import java.util.stream.Stream;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FaultProxy.Direction;
import io.catalystmail.camel.testsupport.FaultProxy.Fault;
import io.catalystmail.camel.testsupport.LeakCheck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer left running against a bad server must not die slowly: after many failed polls of each kind (no
 * server, a server that hangs up, speaks another protocol, refuses the login, presents an untrusted certificate or
 * no TLS at all, goes silent, stalls in a FETCH/RETR, cuts a message in half, drops an IDLE; a route that fails every
 * message) the JVM holds no more descriptors, threads or deadline-timer tasks than after the first few. The server
 * is GreenMail, behind a {@link FaultProxy} where the fault needs one; the failures come every few milliseconds.
 */
class ConsumerLeaksTest {

    /**
     * Failed polls before the snapshot (pools have started their threads, the JVM has opened its jars) and after it;
     * the snapshot is the least over a window that holds a moment between two polls: a poll of a fast failure takes
     * milliseconds, one that waits for the read timeout half a second.
     */
    private static final LeakCheck FAST_POLLS = new LeakCheck(3, 5, Duration.ofMillis(300));
    private static final LeakCheck SLOW_POLLS = new LeakCheck(2, 4, Duration.ofSeconds(1));

    @RegisterExtension
    static GreenMailExtension greenMail = LeakGreenMail.with("lee", "lee", ServerSetupTest.IMAP, ServerSetupTest.IMAPS,
            ServerSetupTest.POP3, ServerSetupTest.POP3S, ServerSetupTest.SMTP);

    enum Protocol {
        IMAP("imap", "* OK", "UID FETCH"),
        POP3("pop3", "+OK", "RETR");

        final String scheme;
        final String greeting;
        final String fetchCommand;

        Protocol(String scheme, String greeting, String fetchCommand) {
            this.scheme = scheme;
            this.greeting = greeting;
            this.fetchCommand = fetchCommand;
        }

        int plainPort() {
            return this == IMAP ? greenMail.getImap().getPort() : greenMail.getPop3().getPort();
        }

        int tlsPort() {
            return this == IMAP ? greenMail.getImaps().getPort() : greenMail.getPop3s().getPort();
        }
    }

    /** How the server fails the consumer, every time. */
    enum Scenario {
        NOTHING_LISTENS, HANGS_UP, SPEAKS_SMTP, REFUSES_LOGIN, UNTRUSTED_CERTIFICATE, NO_TLS, SILENT,
        STALLS_IN_FETCH, CUTS_A_MESSAGE, ROUTE_FAILS, CUTS_IDLE;

        /** Each poll waits out the read timeout (or, idling, holds its connection until the proxy cuts it). */
        LeakCheck check() {
            return this == SILENT || this == STALLS_IN_FETCH || this == CUTS_IDLE ? SLOW_POLLS : FAST_POLLS;
        }
    }

    static Stream<Arguments> cells() {
        Stream.Builder<Arguments> cells = Stream.builder();
        for (Protocol protocol : Protocol.values()) {
            for (Scenario scenario : Scenario.values()) {
                if (scenario != Scenario.CUTS_IDLE || protocol == Protocol.IMAP) {
                    cells.add(Arguments.of(protocol, scenario));
                }
            }
        }
        return cells.build();
    }

    /** Two messages, each with an attachment above bodyStorageThreshold: every fetch spools a file. */
    @BeforeEach
    void mailbox() {
        SpooledMail.keepIn(greenMail, "lee", "lee@example.test", 2);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cells")
    void failedPollsLeaveNothingBehind(Protocol protocol, Scenario scenario) throws Exception {
        try (FaultProxy proxy = new FaultProxy(protocol.plainPort())) {
            String uri = uri(protocol, scenario, proxy);
            try (FailingRoute route = new FailingRoute(uri, scenario == Scenario.ROUTE_FAILS).start()) {
                scenario.check().assertNothingLeft(times -> failedPolls(scenario, route, proxy, times),
                        "failed polls (" + scenario + ")", route::lastFailure);
                if (needsProxy(scenario)) {
                    assertTrue(proxy.fired() || scenario == Scenario.HANGS_UP, "the proxy's fault fired");
                }
            }
        }
    }

    /**
     * Waits for {@code times} more failed polls. A dropped IDLE is no failed poll (the consumer reconnects for the
     * next one, through the proxy): there the connections count, and then the proxy hangs up on the consumer, as
     * an idling consumer is never between polls but holds its connection; its quiet state is that of a consumer
     * whose server hangs up, at the snapshot and at the end alike.
     */
    private static void failedPolls(Scenario scenario, FailingRoute route, FaultProxy proxy, int times) {
        if (scenario != Scenario.CUTS_IDLE) {
            route.awaitFailures(times, null);
            return;
        }
        proxy.refuseConnections(false);
        route.awaitFailures(times, proxy::connections);
        proxy.refuseConnections(true);
        route.awaitFailures(2, null);
    }

    private static boolean needsProxy(Scenario scenario) {
        return switch (scenario) {
            case HANGS_UP, SILENT, STALLS_IN_FETCH, CUTS_A_MESSAGE, CUTS_IDLE -> true;
            default -> false;
        };
    }

    private static String uri(Protocol protocol, Scenario scenario, FaultProxy proxy) throws IOException {
        String scheme = protocol.scheme;
        int port = protocol.plainPort();
        String options = "";
        switch (scenario) {
            case NOTHING_LISTENS -> port = ClosedPort.find();
            case HANGS_UP -> proxy.refuseConnections(true);
            case SPEAKS_SMTP -> port = greenMail.getSmtp().getPort();
            case UNTRUSTED_CERTIFICATE -> {
                scheme += "s";
                port = protocol.tlsPort();
            }
            case NO_TLS -> scheme += "s";
            case SILENT -> proxy.arm(Direction.SERVER_TO_CLIENT, protocol.greeting, 0, Fault.STALL).everyTime();
            case STALLS_IN_FETCH -> proxy.arm(Direction.CLIENT_TO_SERVER, protocol.fetchCommand, 0, Fault.STALL)
                    .everyTime();
            case CUTS_A_MESSAGE -> proxy.arm(Direction.SERVER_TO_CLIENT, "0123456789", 500, Fault.CUT).everyTime();
            case CUTS_IDLE -> {
                proxy.arm(Direction.CLIENT_TO_SERVER, " IDLE\r\n", 0, Fault.CUT).everyTime();
                options = "&idle=true";
            }
            default -> {
                // REFUSES_LOGIN changes the password below; ROUTE_FAILS needs a good server
            }
        }
        if (needsProxy(scenario)) {
            port = proxy.port();
        }
        String password = scenario == Scenario.REFUSES_LOGIN ? "wrong" : LeakGreenMail.PASSWORD;
        return "catalystmail:" + scheme + ":127.0.0.1:" + port + "?username=lee&password=" + password
               + "&connectTimeout=2000&readTimeout=500&bodyStorageThreshold=1024" + options;
    }

}
