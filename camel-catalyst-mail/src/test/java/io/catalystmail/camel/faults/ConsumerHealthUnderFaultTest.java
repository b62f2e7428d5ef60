package io.catalystmail.camel.faults;

import java.time.Duration;
import java.util.Optional;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.health.ConsumersHealthCheckRepository;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Camel's consumer health check follows the mail server: DOWN while the server refuses connections (each poll
 * fails), UP again after the first poll that works, and never a password in what it reports.
 */
class ConsumerHealthUnderFaultTest {

    private static final String PASSWORD = "pw-never-in-health";

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(
            new ServerSetup[] { ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.POP3.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("erin", "erin", PASSWORD));

    @ParameterizedTest(name = "{0} consumer DOWN while the server is unreachable, UP after")
    @ValueSource(strings = { "imap", "pop3" })
    void healthFollowsTheServer(String protocol) throws Exception {
        int upstream = protocol.equals("imap") ? greenMail.getImap().getPort() : greenMail.getPop3().getPort();
        try (FaultProxy proxy = new FaultProxy(upstream); DefaultCamelContext context = new DefaultCamelContext()) {
            HealthCheckRegistry registry = new DefaultHealthCheckRegistry();
            registry.setExposureLevel("full");
            context.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, registry);
            registry.register(new ConsumersHealthCheckRepository());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:" + protocol + ":127.0.0.1:" + proxy.port() + "?username=erin&password=" + PASSWORD
                         + "&initialDelay=0&delay=100&connectTimeout=500&readTimeout=500")
                            .routeId("watched").to("log:mail?level=OFF");
                }
            });
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                context.start();
                awaitState(context, HealthCheck.State.UP);

                proxy.refuseConnections(true);
                HealthCheck.Result down = awaitState(context, HealthCheck.State.DOWN);
                String reported = down.getMessage().orElse("") + " " + down.getDetails() + " "
                                  + down.getError().map(Throwable::toString).orElse("");
                assertTrue(reported.contains("watched"), "names the route: " + reported);
                assertFalse(reported.contains(PASSWORD), "no password in the health report: " + reported);

                proxy.refuseConnections(false);
                awaitState(context, HealthCheck.State.UP);
            });
        }
    }

    private static HealthCheck.Result awaitState(DefaultCamelContext context, HealthCheck.State wanted) {
        Optional<HealthCheck.Result>[] last = new Optional[] { Optional.empty() };
        Eventually.await(Duration.ofSeconds(10), () -> {
            last[0] = consumerCheck(context);
            return last[0].map(r -> r.getState() == wanted).orElse(false);
        }, () -> "consumer health not " + wanted + ": " + last[0].map(r -> r.getState() + " " + r.getMessage()
                                                                         + " " + r.getDetails()).orElse("no consumer check"));
        return last[0].orElseThrow();
    }

    private static Optional<HealthCheck.Result> consumerCheck(DefaultCamelContext context) {
        return HealthCheckHelper.invoke(context).stream()
                .filter(r -> r.getCheck().getId().startsWith("consumer:") && r.getCheck().getId().contains("watched"))
                .findFirst();
    }
}
