package io.catalystmail.camel.leaks;

import java.io.IOException;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FaultProxy.Direction;
import io.catalystmail.camel.testsupport.FaultProxy.Fault;
import io.catalystmail.camel.testsupport.GreenMailCertificates;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


/**
 * A producer that keeps sending to a bad server must not die slowly: after many failed sends of each kind (no
 * server, one that hangs up, speaks POP3, refuses the login, presents an untrusted certificate or no TLS, goes
 * silent, cuts the connection at DATA, never gets the final dot) the JVM holds no more descriptors, threads or
 * deadline-timer tasks than after the first few. Nothing failed may stay in the connection pool.
 */
class ProducerLeaksTest {

    private static final String BODY = "a body that no server takes";

    @RegisterExtension
    static GreenMailExtension greenMail = LeakGreenMail.with("kim@example.test", "kim", ServerSetupTest.SMTP,
            ServerSetupTest.SMTPS, ServerSetupTest.POP3);

    /** How the server fails the producer, every time. */
    enum Scenario {
        NOTHING_LISTENS, HANGS_UP, SPEAKS_POP3, REFUSES_LOGIN, UNTRUSTED_CERTIFICATE, NO_TLS, SILENT, CUTS_AT_DATA,
        DOT_NEVER_ARRIVES
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void failedSendsLeaveNothingBehind(Scenario scenario) throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getSmtp().getPort());
             DefaultCamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("greenMailTrust", GreenMailCertificates.trustParameters());
            context.start();
            RepeatedSends.leaveNothingBehind(context.createProducerTemplate(), uri(scenario, proxy), BODY, true,
                    "failed sends (" + scenario + ")");
        }
    }

    private static String uri(Scenario scenario, FaultProxy proxy) throws IOException {
        String scheme = "smtp";
        int port = greenMail.getSmtp().getPort();
        switch (scenario) {
            case NOTHING_LISTENS -> port = ClosedPort.find();
            case HANGS_UP -> {
                proxy.refuseConnections(true);
                port = proxy.port();
            }
            case SPEAKS_POP3 -> port = greenMail.getPop3().getPort();
            case UNTRUSTED_CERTIFICATE -> {
                scheme = "smtps";
                port = greenMail.getSmtps().getPort();
            }
            case NO_TLS -> scheme = "smtps";
            case SILENT -> {
                proxy.arm(Direction.SERVER_TO_CLIENT, "220 ", 0, Fault.STALL).everyTime();
                port = proxy.port();
            }
            case CUTS_AT_DATA -> {
                proxy.arm(Direction.CLIENT_TO_SERVER, "DATA", 0, Fault.CUT).everyTime();
                port = proxy.port();
            }
            case DOT_NEVER_ARRIVES -> {
                // the content up to the marker passes, the rest and the final dot are swallowed: the client waits
                // for a reply to its dot that never comes (and cannot tell whether the server has the message)
                proxy.arm(Direction.CLIENT_TO_SERVER, BODY, 0, Fault.STALL).everyTime();
                port = proxy.port();
            }
            default -> {
                // REFUSES_LOGIN changes the password below
            }
        }
        String password = scenario == Scenario.REFUSES_LOGIN ? "wrong" : LeakGreenMail.PASSWORD;
        return "catalystmail:" + scheme + ":127.0.0.1:" + port + "?username=kim&password=" + password
               + "&from=kim@example.test&to=lou@example.test&connectTimeout=2000&readTimeout=500";
    }
}
