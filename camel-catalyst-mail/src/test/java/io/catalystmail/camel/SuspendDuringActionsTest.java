package io.catalystmail.camel;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.function.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A suspend closes the connection of a poll still running after its grace (PollInProgress): the actions of the
 * messages routed in that poll are then not confirmed, but the server never refused them. Such a cut is the
 * consumer's own doing, so it is no failed attempt: with {@code afterProcessingAttempts=1} the message was given up
 * (left on the server for good, an ERROR blaming its deletion) for a suspend; now its deletion goes out after the
 * resume, and it is routed once.
 */
class SuspendDuringActionsTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("bob", "bob", "s3cret"));

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void aSuspendThatCutsAPop3PollIsNoFailedAttemptOfItsDeletion() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server()) {
            server.add("u1", "Subject: m1\r\n\r\nbody 1\r\n").start();
            suspendWhileRoutingThenResume("catalystmail:pop3:127.0.0.1:" + server.port()
                    + "?username=anna&password=RAW(s3cret!)", server::maildropUidls);
        }
    }

    @Test
    void aSuspendThatCutsAnImapPollIsNoFailedAttemptOfItsDeletion() throws Exception {
        deliver(greenMail, "bob", textMessage("m1", "body 1"));
        suspendWhileRoutingThenResume("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort()
                + "?username=bob&password=s3cret", () -> messages(greenMail, "bob", "INBOX"));
    }

    /**
     * The retry of an owed action, alone, cut by a suspend: with afterProcessingAttempts=2 and one attempt lost to the
     * server already, the cut was counted as the second and the message given up.
     */
    @Test
    void aSuspendThatCutsTheRetryOfAnOwedDeletionIsNoFailedAttempt() throws Exception {
        AtomicInteger routed = new AtomicInteger();
        try (ScriptedPop3Server server = new ScriptedPop3Server(); CapturedLog log = new CapturedLog()) {
            server.add("u1", "Subject: m1\r\n\r\nbody 1\r\n").cutOn("DELE").start();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:pop3:127.0.0.1:" + server.port() + "?username=anna&password=RAW(s3cret!)"
                         + "&delete=true&afterProcessingAttempts=2&initialDelay=0&delay=3000&readTimeout=20000")
                            .routeId("mail").process(e -> routed.incrementAndGet());
                }
            });
            context.start();
            // the first DELE loses the connection: attempt 1 of 2; the next poll's retry of it waits for an answer
            Eventually.await(() -> deles(server) == 1, () -> "no DELE: " + server.commands());
            server.cutOn(null).stallOn("DELE");
            Eventually.await(() -> deles(server) == 2, () -> "the deletion was not retried: " + server.commands());

            CompletableFuture<Void> suspended = suspendInTheBackground();
            suspended.get(60, TimeUnit.SECONDS);
            String text = log.text();
            assertTrue(text.contains("Closing the connection of a poll in progress: the consumer is suspending"), text);
            assertFalse(text.contains("Giving up"), text);
            assertTrue(text.contains("cut by the consumer stopping or suspending"), text);

            server.stallOn(null);
            context.getRouteController().resumeRoute("mail");
            Eventually.await(() -> server.maildropUidls().isEmpty(), () -> "not deleted after the resume: "
                    + server.commands() + "\n" + log.text());
            assertEquals(1, routed.get(), "routed again");
            assertFalse(log.text().contains("Giving up"), log.text());
        }
    }

    /**
     * A route stop cuts the poll likewise, and the WARN says the message "will not be routed again": without an
     * idempotent repository the restarted consumer began with no memory of it, found it still in the mailbox and
     * routed it a second time.
     */
    @Test
    void aStopThatCutsAnImapPollLeavesTheDeletionOwedAcrossTheRestartNotTheRouting() throws Exception {
        deliver(greenMail, "bob", textMessage("m1", "body 1"));
        HeldRoute route = new HeldRoute();
        try (CapturedLog log = new CapturedLog()) {
            route.start("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=bob"
                        + "&password=s3cret&delete=true&initialDelay=0&delay=100&readTimeout=5000");
            route.cutBy(() -> context.getRouteController().stopRoute("mail"), log, "");
            assertEquals(1, messages(greenMail, "bob", "INBOX").size(), "deleted while the connection was closed");
            assertTrue(log.text().contains("They were routed successfully and will not be routed again"), log::text);

            context.getRouteController().startRoute("mail");
            Eventually.await(() -> messages(greenMail, "bob", "INBOX").isEmpty(),
                    () -> "not deleted after the start:\n" + log.text());
            assertEquals(1, route.routed.get(), "routed again after the route's restart");
        }
    }

    /** A route whose one exchange is held until a stop or suspend closed the poll's connection. */
    private final class HeldRoute {
        private final CountDownLatch inRoute = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final AtomicInteger routed = new AtomicInteger();

        void start(String uri) throws Exception {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("mail").process(e -> {
                        routed.incrementAndGet();
                        inRoute.countDown();
                        assertTrue(release.await(30, TimeUnit.SECONDS), "never released");
                    });
                }
            });
            context.start();
            assertTrue(inRoute.await(30, TimeUnit.SECONDS), "the message was not routed");
        }

        /**
         * Runs {@code change} on another thread (Camel's suspend and stop wait for the exchange in flight, which is
         * held), releases the exchange once the change closed the poll's connection, and waits for the change.
         */
        void cutBy(ThrowingRunnable<Exception> change, CapturedLog log, String consumerIs) throws Exception {
            CompletableFuture<Void> changed = inTheBackground(change);
            Eventually.await(() -> log.text().contains("Closing the connection of a poll in progress: the consumer is"
                    + consumerIs), () -> "the poll's connection was not closed: " + log.text());
            release.countDown();
            changed.get(60, TimeUnit.SECONDS);
        }
    }

    /** Camel's suspend and stop wait for the exchange or poll in flight, which the test holds: so on another thread. */
    private CompletableFuture<Void> inTheBackground(ThrowingRunnable<Exception> change) {
        return CompletableFuture.runAsync(() -> {
            try {
                change.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private CompletableFuture<Void> suspendInTheBackground() {
        return inTheBackground(() -> context.getRouteController().suspendRoute("mail"));
    }

    private static long deles(ScriptedPop3Server server) {
        return server.commands().stream().filter(c -> c.startsWith("DELE")).count();
    }

    /** Routes the one message in the mailbox, suspends the route while it is in the route, resumes. */
    private void suspendWhileRoutingThenResume(String uri, Supplier<List<?>> mailbox) throws Exception {
        HeldRoute route = new HeldRoute();
        try (CapturedLog log = new CapturedLog()) {
            route.start(uri + "&delete=true&afterProcessingAttempts=1&initialDelay=0&delay=100&readTimeout=5000");
            route.cutBy(() -> context.getRouteController().suspendRoute("mail"), log, " suspending");
            assertEquals(1, mailbox.get().size(), "deleted while the connection was closed");

            context.getRouteController().resumeRoute("mail");
            Eventually.await(() -> mailbox.get().isEmpty(), () -> "not deleted after the resume:\n" + log.text());
            assertEquals(1, route.routed.get(), "routed again");
            String text = log.text();
            assertFalse(text.contains("Giving up"), text);
            assertTrue(text.contains("not counted as an attempt"), text);
            // the WARN says who cut the connection: neither the server nor "the poll failed, not at the server"
            assertTrue(text.contains("is unconfirmed: the consumer closed the poll's connection to stop or suspend"),
                    text);
            assertFalse(text.contains("not at the server"), text);
        }
    }
}
