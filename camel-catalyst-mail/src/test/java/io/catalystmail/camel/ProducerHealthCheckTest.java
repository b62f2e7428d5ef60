package io.catalystmail.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.ScriptedSmtpServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The producer's readiness: the SMTP server answers and accepts the login, without a mail being sent. */
class ProducerHealthCheckTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    private void sender(String routeId, String uri) throws Exception {
        // producers' health checks are off in Camel until the "producers" repository is registered and enabled,
        // as camel.health.producersEnabled=true does in Camel Main and Spring Boot
        HealthCheckRegistry registry = HealthCheckHelper.getHealthCheckRegistry(context);
        if (registry.getRepository("producers").isEmpty()) {
            HealthCheckRepository producers = HealthCheckHelper.getHealthCheckRepository(context, "producers");
            producers.setEnabled(true);
            registry.register(producers);
            // report UP checks too while another is DOWN
            registry.setExposureLevel("full");
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + routeId).routeId(routeId).to(uri);
            }
        });
    }

    private HealthCheck.Result readiness(String server) {
        List<HealthCheck.Result> ours = HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().startsWith("producer:catalystmail-"))
                .filter(r -> server.equals(r.getDetails().get("server")))
                .toList();
        assertEquals(1, ours.size(), ours.toString());
        return ours.get(0);
    }

    private String smtp(int port) {
        return "catalystmail:smtp:127.0.0.1:" + port + "?from=app@example.test&to=bob@example.test";
    }

    @Test
    void upWhenTheServerAcceptsTheLoginAndDownWhenItRefusesIt() throws Exception {
        int port = greenMail.getSmtp().getPort();
        sender("good", smtp(port) + "&username=alice&password=s3cret");
        sender("bad", "catalystmail:smtp:localhost:" + port + "?from=app@example.test&to=bob@example.test"
                      + "&username=alice&password=wrong-Secret-9");

        assertEquals(HealthCheck.State.UP, readiness("smtp://127.0.0.1:" + port).getState());
        HealthCheck.Result down = readiness("smtp://localhost:" + port);
        assertEquals(HealthCheck.State.DOWN, down.getState());
        String message = down.getMessage().orElse("");
        assertTrue(message.contains("535"), message);
        assertFalse(message.contains("wrong-Secret-9"), message);
        assertEquals(0, greenMail.getReceivedMessages().length, "a health check sends no mail");
    }

    @Test
    void downWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        sender("nobody", smtp(port) + "&connectTimeout=2000");
        HealthCheck.Result result = readiness("smtp://127.0.0.1:" + port);
        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertTrue(result.getError().isPresent());
    }

    @Test
    void probesTheServerAtMostOncePerInterval() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(ScriptedSmtpServer.script()
                .greet("220 scripted ESMTP")
                .expect("EHLO", "250-scripted\n250 AUTH PLAIN")
                .expect("AUTH PLAIN", "235 2.7.0 ok")
                .expect("QUIT", "221 bye"))) {
            sender("scripted", smtp(server.port()) + "&username=alice&password=s3cret&readTimeout=2000");
            String name = "smtp://127.0.0.1:" + server.port();
            assertEquals(HealthCheck.State.UP, readiness(name).getState());
            server.verify();
            // a second probe would find nobody answering and report DOWN after the read timeout
            HealthCheck.Result again = readiness(name);
            assertEquals(HealthCheck.State.UP, again.getState());
            assertEquals(Map.of("server", name), Map.of("server", again.getDetails().get("server")));
            assertEquals(1, server.commands().stream().filter(c -> c.startsWith("EHLO")).count());
        }
    }

    /**
     * A server that accepts the connection and never greets holds a probe up to loginTimeout (2 minutes here). The
     * probe held Camel's lock of the check on the calling thread, so this call and every one after it waited that
     * long; now the calls answer while the probe still runs, and its result comes with a later call.
     */
    @Test
    void healthCallsAnswerWhileAProbeOfASilentServerStillRuns() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            sender("silent", smtp(silent.getLocalPort()) + "&username=alice&password=s3cret&readTimeout=120000"
                             + "&loginTimeout=120000");
            String name = "smtp://127.0.0.1:" + silent.getLocalPort();

            for (int call = 0; call < 2; call++) {
                HealthCheck.Result whileProbing = CompletableFuture.supplyAsync(() -> readiness(name))
                        .get(60, TimeUnit.SECONDS);
                assertEquals(HealthCheck.State.UNKNOWN, whileProbing.getState(), whileProbing.toString());
                assertEquals(true, whileProbing.getDetails().get("probing"));
                assertTrue(whileProbing.getMessage().orElse("").contains("has not ended yet"), whileProbing.toString());
            }
            accepted.get(60, TimeUnit.SECONDS).close(); // the probe fails on the closed connection
            Eventually.await(() -> readiness(name).getState() == HealthCheck.State.DOWN,
                    () -> "the probe's failure was not reported: " + readiness(name));
        }
    }

    @Test
    void healthCheckProducerEnabledFalseDisablesIt() throws Exception {
        context.getComponent("catalystmail", CatalystMailComponent.class).setHealthCheckProducerEnabled(false);
        sender("off", smtp(greenMail.getSmtp().getPort()));
        List<HealthCheck.Result> ours = HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().startsWith("producer:catalystmail-")).toList();
        assertTrue(ours.stream().allMatch(r -> r.getState() == HealthCheck.State.UNKNOWN && !r.getCheck().isEnabled()),
                ours.toString());
    }

    /**
     * The probe runs on a thread of the CamelContext's ExecutorServiceManager (named as Camel names its threads, a
     * daemon, shut down with the context), which ends with the probe: a producer stopped for good leaves none behind.
     */
    @Test
    void theProbeRunsOnACamelThreadThatEndsWithIt() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Thread> prober =
                new java.util.concurrent.atomic.AtomicReference<>();
        SmtpLoginHealthCheck check = new SmtpLoginHealthCheck("thread", "smtp://127.0.0.1:1", () -> {
            prober.set(Thread.currentThread());
            throw new IOException("no server here (thrown by the test)");
        }, SmtpLoginHealthCheck.MIN_INTERVAL_MILLIS);
        check.setCamelContext(context);
        Eventually.await(() -> check.call().getState() == HealthCheck.State.DOWN, () -> "not DOWN: " + check.call());
        Thread thread = prober.get();
        assertTrue(thread.getName().startsWith("Camel (" + context.getName() + ") thread #")
                   && thread.getName().endsWith("CatalystMailHealthProbe smtp://127.0.0.1:1"), thread.getName());
        assertTrue(thread.isDaemon(), thread.getName());
        thread.join(10_000);
        assertFalse(thread.isAlive(), "the probe's thread outlived the probe: " + thread.getName());
    }

    /**
     * A probe that ends with an Error (a class its login needs missing): the result says so and the next due call
     * probes again. Before, the probe's thread caught only Exception, so an Error left it "running" for good: every
     * call answered the stale result with probing=true and the server was never probed again.
     */
    @Test
    void aProbeEndedByAnErrorIsReportedAndTheNextCallProbesAgain() throws Exception {
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        try (ServerSocket refusing = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int port = refusing.getLocalPort();
            refusing.close(); // nothing listens there any more: the second probe's connect is refused
            SmtpLoginHealthCheck check = new SmtpLoginHealthCheck("error", "smtp://127.0.0.1:" + port, () -> {
                if (opened.getAndIncrement() == 0) {
                    throw new NoClassDefFoundError("a class the login needs");
                }
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    throw new IOException("connected to a closed port");
                }
            }, 0);
            check.setCamelContext(context);
            HealthCheck.Result first = check.call();
            Eventually.await(() -> opened.get() == 1, () -> "the first probe did not run");
            Eventually.await(() -> {
                HealthCheck.Result r = check.call();
                return opened.get() >= 2 && r.getState() == HealthCheck.State.DOWN
                       && r.getMessage().orElse("").contains("Connection refused");
            }, () -> "no second probe after the first ended with an Error: opened " + opened + ", first "
                     + first.getState() + " " + first.getDetails() + ", now " + check.call().getDetails());
        }
    }
}
