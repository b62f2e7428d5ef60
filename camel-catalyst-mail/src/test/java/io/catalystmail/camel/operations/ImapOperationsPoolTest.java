package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operations' connection pool against GreenMail, counted at a proxy in front of it: bounded by maxConnections,
 * a clear error when the wait for a connection times out, and one idle sweeper per shared pool.
 */
class ImapOperationsPoolTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.org", "joe", "secret"))
            .withPerMethodLifecycle(true);

    private static final String SWEEPER = "CatalystMailIdleMailboxSessions";

    private static String imap(int port, String options) {
        return "catalystmail:imap:127.0.0.1:" + port + "?username=joe&password=secret&allowInsecureAuth=true&"
                + options;
    }

    private static long sweeperThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().contains(SWEEPER)).count();
    }

    @Test
    void aBurstOfConcurrentOperationsNeverOpensMoreThanMaxConnectionsAndLosesNone() throws Exception {
        int burst = 16;
        byte[] filler = "x".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
        ExecutorService senders = Executors.newFixedThreadPool(burst);
        try (FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort())) {
            String uri = imap(proxy.port(), "operation=append&raw=true&folder=INBOX&maxConnections=2");
            CyclicBarrier together = new CyclicBarrier(burst);
            List<CompletableFuture<Exchange>> appends = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                int n = i;
                appends.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return template.send(uri, e -> e.getIn().setBody(GreenMailboxes.textMessage("burst " + n,
                            new String(filler, StandardCharsets.US_ASCII))));
                }, senders));
            }
            for (CompletableFuture<Exchange> append : appends) {
                Exchange done = append.get(120, TimeUnit.SECONDS);
                assertNull(done.getException(), () -> String.valueOf(done.getException()));
            }
            assertEquals(burst, GreenMailboxes.messages(GREEN_MAIL, "joe", "INBOX").size(), "every message arrived");
            assertTrue(proxy.peakOpen() <= 2, "at most 2 connections at once, saw " + proxy.peakOpen());
            assertTrue(proxy.connections() <= 2, "connections are reused, not replaced: " + proxy.connections());
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void waitingLongerThanConnectTimeoutFailsNamingServerAndLimitAndTheHeldConnectionComesBack() throws Exception {
        for (int i = 0; i < 3; i++) {
            GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("held " + i, "body"));
        }
        try (FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort())) {
            String options = "maxConnections=1&connectTimeout=300&";
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // a streamed fetch keeps its connection until its body is read or its exchange is done
                    from("direct:hold").to(imap(proxy.port(), options + "operation=fetch&search=ALL&fetchAs=iterator"))
                            .process(e -> {
                                holding.countDown();
                                release.await(60, TimeUnit.SECONDS);
                            });
                }
            });
            CompletableFuture<Exchange> held = CompletableFuture.supplyAsync(() -> template.send("direct:hold",
                    e -> { }));
            assertTrue(holding.await(60, TimeUnit.SECONDS));

            Exchange waited = template.send(imap(proxy.port(), options + "operation=status"), e -> { });

            assertNotNull(waited.getException());
            String message = waited.getException().getMessage();
            assertTrue(message.contains("imap://127.0.0.1:" + proxy.port()) && message.contains("All 1 connections")
                    && message.contains("maxConnections"), message);
            release.countDown();
            assertNull(held.get(60, TimeUnit.SECONDS).getException());
            Exchange after = template.send(imap(proxy.port(), options + "operation=status"), e -> { });
            assertNull(after.getException(), () -> String.valueOf(after.getException()));
            assertEquals(3L, after.getMessage().getHeader(CatalystMailConstants.MESSAGES));
            assertEquals(1, proxy.connections(), "the unread fetch gave its connection back when its exchange was done");
        }
    }

    @Test
    void producersSharingAPoolStartOneSweeperWhichClosesIdleConnectionsAndEndsWithTheLastProducerFirstStopping()
            throws Exception {
        sharedPoolIsSweptOnceAndItsSweeperEnds("status", "list");
    }

    @Test
    void producersSharingAPoolStartOneSweeperWhichClosesIdleConnectionsAndEndsWithTheLastProducerLastStopping()
            throws Exception {
        sharedPoolIsSweptOnceAndItsSweeperEnds("list", "status");
    }

    /**
     * The pool was found again at stop by the endpoint's settings as they were then: a password changed on the
     * endpoint before a restart (a rotated secret) found no pool, and the old one, its connection and its sweeper
     * stayed for good.
     */
    @Test
    void aProducerStoppedAfterItsEndpointsPasswordChangedStillClosesItsPool() throws Exception {
        Eventually.await(() -> sweeperThreads() == 0, () -> sweeperThreads() + " sweeper threads left before the test");
        try (FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort())) {
            String uri = imap(proxy.port(), "operation=status");
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:status").routeId("status").to(uri);
                }
            });
            Exchange done = template.send("direct:status", e -> { });
            assertNull(done.getException(), () -> String.valueOf(done.getException()));
            assertEquals(1, proxy.openNow());

            context.getEndpoint(uri, io.catalystmail.camel.CatalystMailEndpoint.class).getConfiguration()
                    .setPassword("rotated");
            context.getRouteController().stopRoute("status");
            Eventually.await(() -> sweeperThreads() == 0, () -> sweeperThreads() + " sweeper threads still run");
            Eventually.await(() -> proxy.openNow() == 0, () -> "the pool's connection is still open");
        }
    }

    private void sharedPoolIsSweptOnceAndItsSweeperEnds(String firstStopped, String lastStopped) throws Exception {
        Eventually.await(() -> sweeperThreads() == 0, () -> sweeperThreads() + " sweeper threads left before the test");
        try (FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort())) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (String operation : List.of("status", "list")) {
                        from("direct:" + operation).routeId(operation)
                                .to(imap(proxy.port(), "idleTimeout=1000&operation=" + operation));
                    }
                }
            });
            assertEquals(1, sweeperThreads(), "two producers on one pool start one sweeper");
            for (String operation : List.of("status", "list")) {
                Exchange done = template.send("direct:" + operation, e -> { });
                assertNull(done.getException(), () -> String.valueOf(done.getException()));
            }
            assertEquals(1, proxy.connections(), "the two producers shared one connection");
            Eventually.await(() -> proxy.openNow() == 0, () -> "the idle connection was not closed by the sweeper");

            context.getRouteController().stopRoute(firstStopped);
            assertEquals(1, sweeperThreads(), "the pool is still used by the " + lastStopped + " producer");
            Exchange stillServed = template.send("direct:" + lastStopped, e -> { });
            assertNull(stillServed.getException(), () -> String.valueOf(stillServed.getException()));
            context.getRouteController().stopRoute(lastStopped);
            Eventually.await(() -> sweeperThreads() == 0, () -> sweeperThreads() + " sweeper threads still run");
        }
    }
}
