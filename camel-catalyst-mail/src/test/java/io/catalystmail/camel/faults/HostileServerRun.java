package io.catalystmail.camel.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.CatalystMailConsumer;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.ScheduledPollConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer route polling a hostile server (a {@link io.catalystmail.camel.testsupport.FaultProxy} answering
 * for the real one): records the subjects it processed, in order, with their size header, and what reached the
 * consumer's exception handler. The checks every hostile scenario makes: an error naming server, command and
 * limit; the consumer still polling and delivering the next good message; a shutdown that completes.
 */
final class HostileServerRun implements AutoCloseable {

    /** Long enough for a timeout, a failed poll and a good one on a loaded machine; short enough to show a hang. */
    static final Duration DEADLINE = Duration.ofSeconds(20);

    /** The password of the one user {@link #greenMail} sets up. */
    private static final String PASSWORD = "s3cret";

    /** The real server behind the proxy: GreenMail on a free port with one user (password {@value #PASSWORD}). */
    static GreenMailExtension greenMail(ServerSetup setup, String user) {
        return new GreenMailExtension(setup.dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(user, user, PASSWORD));
    }

    /**
     * The consumer URI for {@code user} through the proxy on {@code proxyPort}: 2 s to connect and, unless
     * {@code options} sets its own, 2 s per read, so a hostile answer ends a poll quickly.
     */
    static String uri(String protocol, int proxyPort, String user, String options) {
        return "catalystmail:" + protocol + ":127.0.0.1:" + proxyPort + "?username=" + user + "&password=" + PASSWORD
               + "&connectTimeout=2000" + (options.contains("readTimeout") ? "" : "&readTimeout=2000") + "&" + options;
    }

    private final Duration deadline;
    private final DefaultCamelContext context = new DefaultCamelContext();
    private final CapturedExceptions errors = new CapturedExceptions();
    private final List<String> processed = new ArrayList<>();
    private final Map<String, Long> sizes = new ConcurrentHashMap<>();
    private final Map<String, Class<?>> bodyTypes = new ConcurrentHashMap<>();

    HostileServerRun(String uri) throws Exception {
        this(uri, DEADLINE);
    }

    /** @param deadline how long to wait for each expected error or message */
    HostileServerRun(String uri, Duration deadline) throws Exception {
        this.deadline = deadline;
        context.getRegistry().bind("errors", errors);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri + "&exceptionHandler=#errors&initialDelay=0&delay=100").routeId("hostile").process(e -> {
                    String subject = e.getMessage().getHeader("Subject", String.class);
                    synchronized (processed) {
                        processed.add(subject);
                    }
                    Object body = e.getMessage().getBody();
                    if (body != null) {
                        bodyTypes.put(subject, body.getClass());
                    }
                    Long size = e.getMessage().getHeader(CatalystMailConstants.SIZE, Long.class);
                    if (size != null) {
                        sizes.put(subject, size);
                    }
                });
            }
        });
    }

    HostileServerRun start() {
        context.start();
        return this;
    }

    DefaultCamelContext context() {
        return context;
    }

    List<String> processed() {
        synchronized (processed) {
            return List.copyOf(processed);
        }
    }

    Long size(String subject) {
        return sizes.get(subject);
    }

    Class<?> bodyType(String subject) {
        return bodyTypes.get(subject);
    }

    /** The consumer's figures. */
    MailboxStatistics statistics() {
        return ((CatalystMailConsumer) context.getRoute("hostile").getConsumer()).statistics();
    }

    /** Lets {@code count} more polls run; returns the consumer's figures. */
    MailboxStatistics awaitMorePolls(int count) {
        MailboxStatistics statistics = statistics();
        long polls = statistics.polls();
        Eventually.await(deadline, () -> statistics.polls() >= polls + count, () -> statistics.polls() + " polls");
        return statistics;
    }

    /** Waits until {@code subject} was processed. */
    void awaitProcessed(String subject) {
        Eventually.await(deadline, () -> processed().contains(subject),
                () -> "'" + subject + "' not processed; processed " + processed() + "; errors: " + errorText());
    }

    /** Waits for an error whose messages (with causes) contain every one of {@code parts}; returns its text. */
    String awaitError(String... parts) {
        String[] found = new String[1];
        Eventually.await(deadline, () -> {
            String text = errorText();
            for (String part : parts) {
                if (!text.contains(part)) {
                    return false;
                }
            }
            found[0] = text;
            return true;
        }, () -> "no error naming " + List.of(parts) + "; errors so far:\n" + errorText());
        return found[0];
    }

    /**
     * The hostile answer failed a poll with an error naming every one of {@code error}; a later poll routed
     * {@code subject}, once and alone; the consumer still polls.
     */
    void awaitFailedPollThenOnly(String subject, String... error) {
        awaitError(error);
        awaitProcessed(subject);
        assertEquals(List.of(subject), processed(), "routed once, after the failed poll");
        assertStillPolling();
    }

    /** Everything the exception handler got: its messages and the full text of each exception. */
    String errorText() {
        return errors.messagesText() + "\n" + errors.allText();
    }

    /** The route is started and its consumer polls on schedule (not stopped by an Error, not stuck). */
    void assertStillPolling() {
        Route route = context.getRoute("hostile");
        assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("hostile"));
        assertTrue(route.getConsumer() instanceof ScheduledPollConsumer poller && poller.isSchedulerStarted(),
                "the consumer's scheduler runs");
    }

    /** Stops the context, which must complete within the deadline even with a poll stuck on the server. */
    @Override
    public void close() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), context::stop,
                "CamelContext.stop() did not return: a poll stuck on the server holds the shutdown");
    }
}
