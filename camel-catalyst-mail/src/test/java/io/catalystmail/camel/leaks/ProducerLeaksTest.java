package io.catalystmail.camel.leaks;

import java.io.IOException;
import java.time.Duration;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FaultProxy.Direction;
import io.catalystmail.camel.testsupport.FaultProxy.Fault;
import io.catalystmail.camel.testsupport.GreenMailCertificates;
import io.catalystmail.camel.testsupport.ProcessResources;
import org.apache.camel.ProducerTemplate;
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

    private static final int WARM_UP = 3;
    private static final int ROUNDS = 12;
    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static final String PASSWORD = "s3cret";
    private static final String BODY = "a body that no server takes";

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(new ServerSetup[] {
            ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort(), ServerSetupTest.POP3.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("kim@example.test", "kim", PASSWORD));

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
            ProducerTemplate template = context.createProducerTemplate();
            String uri = uri(scenario, proxy);
            RepeatedSends.send(template, uri, BODY, WARM_UP, true);
            ProcessResources.Snapshot warm = ProcessResources.quietest(Duration.ofMillis(500));
            String last = RepeatedSends.send(template, uri, BODY, ROUNDS, true);
            ProcessResources.awaitBackTo(warm, SETTLE, ROUNDS + " more failed sends (" + scenario + "); the last "
                                                       + "failure:\n" + last);
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
        String password = scenario == Scenario.REFUSES_LOGIN ? "wrong" : PASSWORD;
        return "catalystmail:" + scheme + ":127.0.0.1:" + port + "?username=kim&password=" + password
               + "&from=kim@example.test&to=lou@example.test&connectTimeout=2000&readTimeout=500";
    }
}
