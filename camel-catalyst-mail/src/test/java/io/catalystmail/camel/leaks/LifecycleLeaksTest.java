package io.catalystmail.camel.leaks;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FaultProxy.Direction;
import io.catalystmail.camel.testsupport.FaultProxy.Fault;
import io.catalystmail.camel.testsupport.LeakCheck;
import io.catalystmail.camel.testsupport.PollOutcomes;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Routes and contexts started and stopped again and again (as a management console, a Spring context refresh or a
 * route controller does) leave nothing behind: no connection, no consumer thread (poll, fetch-ahead, IDLE), no pool
 * sweeper, no timer task. Also when a stop meets a poll stuck on a server that stopped answering.
 */
class LifecycleLeaksTest {

    /** Nothing runs between two cycles: the quiet window only lets the last one's closing threads end. */
    private static final LeakCheck CYCLES = new LeakCheck(2, 3, Duration.ofMillis(300));

    @RegisterExtension
    static GreenMailExtension greenMail = LeakGreenMail.with("max@example.test", "max", ServerSetupTest.IMAP,
            ServerSetupTest.POP3, ServerSetupTest.SMTP);

    private static String imap(String options) {
        return "catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=max&password=s3cret"
               + "&initialDelay=0&delay=50&pollSummaryLoggingLevel=OFF&pollStrategy=#polls" + options;
    }

    private static String pop3() {
        return "catalystmail:pop3:127.0.0.1:" + greenMail.getPop3().getPort() + "?username=max&password=s3cret"
               + "&initialDelay=0&delay=50&pollSummaryLoggingLevel=OFF&pollStrategy=#polls";
    }

    private static String smtp() {
        return "catalystmail:smtp:127.0.0.1:" + greenMail.getSmtp().getPort() + "?username=max&password=s3cret"
               + "&from=max@example.test&to=max@example.test";
    }

    /** A context whose routes count the polls that ended; routes start only when told. */
    private static final class Routes implements AutoCloseable {

        final DefaultCamelContext context = new DefaultCamelContext();
        final AtomicInteger polls = new AtomicInteger();

        Routes(String... consumerUris) throws Exception {
            context.getRegistry().bind("polls", PollOutcomes.onEveryPoll(polls::incrementAndGet));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (int i = 0; i < consumerUris.length; i++) {
                        from(consumerUris[i]).routeId("consumer" + i).autoStartup(false).log("got ${header.Subject}");
                    }
                    from("direct:send").routeId("producer").autoStartup(false).to(smtp());
                }
            });
            context.start();
        }

        void awaitPolls(int more) {
            int target = polls.get() + more;
            Eventually.await(() -> polls.get() >= target, () -> polls.get() + " of " + target + " polls ended");
        }

        void send(String subject) {
            context.createProducerTemplate().sendBodyAndHeader("direct:send", "body", CatalystMailConstants.SUBJECT,
                    subject);
        }

        @Override
        public void close() {
            context.stop();
        }
    }

    /** Runs {@code cycle} as {@link #CYCLES} says, and waits for the JVM to be back. */
    private static void leaveNothingBehind(Runnable cycle, String what) throws Exception {
        CYCLES.assertNothingLeft(times -> {
            for (int i = 0; i < times; i++) {
                cycle.run();
            }
        }, what, null);
    }

    @ParameterizedTest
    @ValueSource(strings = { "imap", "imap idle", "pop3", "smtp" })
    void routesStartedAndStoppedLeaveNothingBehind(String kind) throws Exception {
        String uri = switch (kind) {
            case "imap" -> imap("");
            case "imap idle" -> imap("&idle=true");
            case "pop3" -> pop3();
            default -> null;
        };
        String route = uri == null ? "producer" : "consumer0";
        try (Routes routes = uri == null ? new Routes() : new Routes(uri)) {
            Runnable cycle = () -> {
                try {
                    routes.context.getRouteController().startRoute(route);
                    if (uri == null) {
                        routes.send("cycle"); // opens a connection the pool keeps, until the route stops
                    } else {
                        deliver(greenMail, "max", textMessage("cycle", "body"));
                        routes.awaitPolls(2);
                    }
                    routes.context.getRouteController().stopRoute(route);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            leaveNothingBehind(cycle, "starts and stops of the " + kind + " route");
        }
    }

    @Test
    void contextsStartedAndStoppedLeaveNothingBehind() throws Exception {
        Runnable cycle = () -> {
            try (Routes routes = new Routes(imap("&idle=true"), pop3(), imap(""))) {
                for (String route : new String[] { "consumer0", "consumer1", "consumer2", "producer" }) {
                    routes.context.getRouteController().startRoute(route);
                }
                routes.send("context cycle");
                routes.awaitPolls(6);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        leaveNothingBehind(cycle, "CamelContexts started and stopped");
    }

    /**
     * The server stops answering in the middle of a FETCH, and the read timeout is a minute: stopping the context
     * must cut the stuck poll's connection, not wait for it or leave it open.
     */
    @Test
    void contextsStoppedDuringAStuckPollLeaveNothingBehind() throws Exception {
        deliver(greenMail, "max", textMessage("stuck", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.arm(Direction.CLIENT_TO_SERVER, "UID FETCH", 0, Fault.STALL).everyTime();
            String uri = "catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=max&password=s3cret"
                         + "&initialDelay=0&readTimeout=60000";
            Runnable cycle = () -> {
                int stalls = proxy.timesSent("UID FETCH");
                try (Routes routes = new Routes(uri)) {
                    routes.context.getRouteController().startRoute("consumer0");
                    Eventually.await(() -> proxy.timesSent("UID FETCH") > stalls, () -> "the poll reached its FETCH");
                    // a guard against a hang, not a speed limit: the read timeout is a minute
                    assertTimeoutPreemptively(Duration.ofSeconds(30), routes::close, "the stop waited for the poll");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            leaveNothingBehind(cycle, "CamelContexts stopped during a stuck FETCH");
        }
    }
}
