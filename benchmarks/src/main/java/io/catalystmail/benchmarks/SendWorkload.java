package io.catalystmail.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.catalystmail.benchmarks.WorkloadMain.Phase;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A send workload through a component's producer: the clock runs from the first measured send until the last one
 * returned.
 */
final class SendWorkload {

    private SendWorkload() {
    }

    static MeasuredPhases.Results run(RunSpec spec) throws Exception {
        ComponentUnderTest component = spec.component();
        String producerUri = component.producerUri(spec.target(), spec.from(), spec.to());
        Path attachment = spec.attachmentFile();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            // resolved once, as a route's to() is: sending by URI string would normalise and look the URI up per
            // message, a quarter of the JVM's CPU per message in a profile of the SMTP workload, for both components
            org.apache.camel.Endpoint uri = camel.getEndpoint(producerUri);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(spec.timeoutSeconds());
            // the warm-up messages go first through the same endpoint, from as many threads (and so connections,
            // where they are kept) as the measured ones: an 8-thread run warmed up by one thread met its other
            // connections' logins and the pool's contended paths for the first time while measured
            int senders = spec.workload().senders();
            sendShares(template, uri, component, attachment, senders, 1, spec.warmup(), deadline, spec);
            int[] next = { spec.warmup() + 1 };
            // the mailbox check counts at least warm-up + measured messages, so the extra ones do not disturb it
            CompilerSettling.Batch sent = count -> {
                sendShares(template, uri, component, attachment, senders, next[0], count, deadline, spec);
                next[0] += count;
            };
            MailboxRefill driver = new MailboxRefill();
            return MeasuredPhases.afterWarmUps(spec, phase -> {
                if (phase == Phase.SETTLED) {
                    System.out.println("warm-up: " + (next[0] - 1) + " messages sent before the measured ones");
                }
                if (phase != Phase.COLD) {
                    // Postfix delivers more slowly than it accepts: without this the measured messages would share
                    // the server's two cores with delivering the warm-up's backlog, which smtp-source (no warm-up)
                    // never meets
                    driver.awaitDelivered(next[0] - 1);
                    CompilerThreads.awaitQuiet();
                }
                MeasurementStart start = MeasurementStart.now(phase, spec.serverPids());
                sent.move(spec.messages());
                Measured measured = start.measured(spec.messages(), 0);
                // the servers' CPU up to the delivery of the measured messages, as the wire's (WireWorkload)
                driver.awaitDelivered(next[0] - 1);
                return measured.withServerCpuUntilDelivered(start.serverCpuSeconds(),
                        ServerCpu.secondsSoFar(start.servers()));
            }, sent, SEND_SETTLING_BATCH, count -> { });
        }
    }

    /**
     * A sender's settling batch: at about 200 messages a second for one thread, a second, so that 3 % of it is a few
     * of the compiler's 10 ms CPU ticks.
     */
    private static final int SEND_SETTLING_BATCH = 200;

    /**
     * Messages {@code first} to {@code first + total - 1}, sent by {@code senders} threads that each take the next
     * number not yet taken until none is left (one sender: this thread sends them all), as smtp-source's sessions
     * share the wire's messages. With a fixed share per thread, a thread slowed by the JIT compiler (right after the
     * counted warm-up) still sent its share alone while the others had finished: in a profiled 8-thread run the
     * first share was done 3.05 s into a 3.61 s measurement, the second 0.29 s and the third 0.10 s later.
     */
    private static void sendShares(ProducerTemplate template, org.apache.camel.Endpoint uri,
                                   ComponentUnderTest component, Path attachment, int senders, int first, int total,
                                   long deadline, RunSpec spec) throws Exception {
        AtomicInteger next = new AtomicInteger(first);
        int last = first + total - 1;
        if (senders == 1 || total < senders) {
            sendNumbered(template, uri, component, attachment, next, last, deadline, spec);
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(senders);
        try {
            java.util.List<java.util.concurrent.Future<?>> shares = new java.util.ArrayList<>();
            for (int t = 0; t < senders; t++) {
                shares.add(pool.submit(() -> {
                    sendNumbered(template, uri, component, attachment, next, last, deadline, spec);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> share : shares) {
                try {
                    share.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends the next message number not yet taken, until {@code last} is taken. */
    private static void sendNumbered(ProducerTemplate template, org.apache.camel.Endpoint uri,
                                     ComponentUnderTest component, Path attachment, AtomicInteger next, int last,
                                     long deadline, RunSpec spec) {
        for (int i = next.getAndIncrement(); i <= last; i = next.getAndIncrement()) {
            int number = i;
            Exchange sent = template.send(uri, exchange -> component.prepareOutgoing(exchange, number, attachment));
            if (sent.getException() != null) {
                throw new IllegalStateException("sending message " + i + " failed", sent.getException());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("sending was not done within " + spec.timeoutSeconds()
                        + " s: at message " + i + " (" + spec.warmup() + " warm-up, then more while the compiler"
                        + " worked, then " + spec.messages() + " measured)");
            }
        }
    }
}
