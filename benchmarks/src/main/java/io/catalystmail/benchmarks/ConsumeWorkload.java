package io.catalystmail.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.catalystmail.benchmarks.WorkloadMain.Phase;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A consume workload through a component's consumer: the mailbox is already filled; the clock runs from the
 * measured route's start until polls covering every message have finished (route done, deletions sent).
 */
final class ConsumeWorkload {

    private ConsumeWorkload() {
    }

    static MeasuredPhases.Results run(RunSpec spec) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            // the warm-up goes through routes like the measured one, each polling once on a session of its own, so
            // the compiler has seen connecting, listing, fetching and deleting several times, not just one long poll
            int[] polls = { 0 };
            CompilerSettling.Batch warmUp = count -> consumePhase(camel, spec, "warmup-" + ++polls[0], count, null);
            for (int done = 0; done < spec.warmup(); done += spec.messages()) {
                warmUp.move(Math.min(spec.messages(), spec.warmup() - done));
            }
            return MeasuredPhases.afterWarmUps(spec,
                    phase -> consumePhase(camel, spec, "consume-" + phase, spec.messages(), phase), warmUp,
                    spec.messages(), new MailboxRefill()::add);
        }
    }

    /**
     * One consuming route that takes {@code messages} messages (its maxMessagesPerPoll), timed from its start
     * until polls covering all of them have finished; the route is removed afterwards, so the warm-up route
     * and the measured one never poll at the same time. {@code phase} is null for a warm-up route.
     */
    private static Measured consumePhase(CamelContext camel, RunSpec spec, String routeId, int messages, Phase phase)
            throws Exception {
        boolean warmup = phase == null;
        ComponentUnderTest component = spec.component();
        CompletedPolls polls = new CompletedPolls();
        AtomicLong bytesRead = new AtomicLong();
        AtomicLong routed = new AtomicLong();
        AtomicReference<Exception> routeFailure = new AtomicReference<>();
        String pollsBean = CompletedPolls.BEAN_NAME + "-" + routeId;
        camel.getRegistry().bind(pollsBean, polls);
        // the warm-up route polls once only: a second poll could start before the route is stopped and take
        // messages meant for the measured one
        String uri = component.consumerUri(spec.workload(), spec.target(), messages, pollsBean)
                     + (warmup ? "&repeatCount=1" : "");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).autoStartup(false).process(exchange -> {
                    try {
                        bytesRead.addAndGet(spec.workload().raw() ? component.readRaw(exchange)
                                : component.readMapped(exchange));
                        routed.incrementAndGet();
                    } catch (Exception e) {
                        routeFailure.compareAndSet(null, e);
                        throw e;
                    }
                });
            }
        });
        MeasurementStart start = MeasurementStart.now(phase, spec.serverPids());
        camel.getRouteController().startRoute(routeId);
        long deadline = start.nanos() + TimeUnit.SECONDS.toNanos(spec.timeoutSeconds());
        String during = warmup ? "during the warm-up, " : "";
        while (polls.messages() < messages || routed.get() < messages) {
            if (routeFailure.get() != null) {
                throw new IllegalStateException(during + "the route failed after " + routed.get() + " messages",
                        routeFailure.get());
            }
            if (polls.lastFailure() != null) {
                // a failed poll spoils the measurement, and retrying every 10 ms would only fill the log
                throw new IllegalStateException(during + "a poll failed after " + routed.get() + " messages",
                        polls.lastFailure());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(during + "only " + routed.get() + " of " + messages
                        + " messages processed within " + spec.timeoutSeconds() + " s");
            }
            Thread.sleep(2);
        }
        Measured measured = start.measured((int) routed.get(), bytesRead.get());
        camel.getRouteController().stopRoute(routeId);
        camel.removeRoute(routeId);
        return measured;
    }
}
