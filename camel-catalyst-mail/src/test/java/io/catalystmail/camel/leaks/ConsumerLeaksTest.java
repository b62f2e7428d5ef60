package io.catalystmail.camel.leaks;

import java.io.IOException;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FaultProxy.Direction;
import io.catalystmail.camel.testsupport.FaultProxy.Fault;
import io.catalystmail.camel.testsupport.ProcessResources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer left running against a bad server must not die slowly: after many failed polls of each kind (no
 * server, a server that hangs up, speaks another protocol, refuses the login, presents an untrusted certificate or
 * no TLS at all, goes silent, stalls in a FETCH/RETR, cuts a message in half, drops an IDLE; a route that fails every
 * message) the JVM holds no more descriptors, threads or deadline-timer tasks than after the first few. The server
 * is GreenMail, behind a {@link FaultProxy} where the fault needs one; the failures come every few milliseconds.
 */
class ConsumerLeaksTest {

    /** Failed polls before the snapshot: pools have started their threads, the JVM has opened its jars. */
    private static final int WARM_UP = 3;
    /** Failed polls after it: a leak of one descriptor or thread per poll would show this many times over. */
    private static final int ROUNDS = 12;
    /** For the proxy's and the servers' ends of the last connection to close after the client's end. */
    private static final Duration SETTLE = Duration.ofSeconds(15);

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(new ServerSetup[] {
            ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.IMAPS.dynamicPort(), ServerSetupTest.POP3.dynamicPort(),
            ServerSetupTest.POP3S.dynamicPort(), ServerSetupTest.SMTP.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("lee", "lee", "s3cret"));

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
        STALLS_IN_FETCH, CUTS_A_MESSAGE, ROUTE_FAILS, CUTS_IDLE
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
        if (!messages(greenMail, "lee", "INBOX").isEmpty()) {
            return; // the failed polls left them there: nothing was deleted
        }
        for (String subject : new String[] { "first", "second" }) {
            deliver(greenMail, "lee", SpooledMail.to("lee@example.test", subject));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cells")
    void failedPollsLeaveNothingBehind(Protocol protocol, Scenario scenario) throws Exception {
        try (FaultProxy proxy = new FaultProxy(protocol.plainPort())) {
            String uri = uri(protocol, scenario, proxy);
            try (FailingRoute route = new FailingRoute(uri, scenario == Scenario.ROUTE_FAILS).start()) {
                // a dropped IDLE is no failed poll: the consumer reconnects for the next one, through the proxy
                IntSupplier progress = scenario == Scenario.CUTS_IDLE ? proxy::connections : null;
                route.awaitFailures(WARM_UP, progress);
                ProcessResources.Snapshot warm = quietest(scenario, route, proxy);
                route.awaitFailures(ROUNDS, progress);
                if (scenario == Scenario.CUTS_IDLE) {
                    hangUpOnIdle(route, proxy);
                }
                ProcessResources.awaitBackTo(warm, SETTLE, ROUNDS + " more failed polls (" + scenario + "); the last "
                                                           + "failure:\n" + route.lastFailure());
                if (needsProxy(scenario)) {
                    assertTrue(proxy.fired() || scenario == Scenario.HANGS_UP, "the proxy's fault fired");
                }
            }
        }
    }

    /**
     * The JVM between two failed polls. An idling consumer is never between polls, it holds its connection: its
     * quiet state is that of a consumer whose server hangs up, before and after the dropped IDLEs alike.
     */
    private static ProcessResources.Snapshot quietest(Scenario scenario, FailingRoute route, FaultProxy proxy) {
        if (scenario != Scenario.CUTS_IDLE) {
            return ProcessResources.quietest(Duration.ofSeconds(1));
        }
        hangUpOnIdle(route, proxy);
        ProcessResources.Snapshot quiet = ProcessResources.quietest(Duration.ofSeconds(1));
        proxy.refuseConnections(false);
        return quiet;
    }

    private static void hangUpOnIdle(FailingRoute route, FaultProxy proxy) {
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
        String password = scenario == Scenario.REFUSES_LOGIN ? "wrong" : "s3cret";
        return "catalystmail:" + scheme + ":127.0.0.1:" + port + "?username=lee&password=" + password
               + "&connectTimeout=2000&readTimeout=500&bodyStorageThreshold=1024" + options;
    }

}
