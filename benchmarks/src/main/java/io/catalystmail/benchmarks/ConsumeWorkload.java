package io.catalystmail.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.catalystmail.benchmarks.WorkloadMain.Phase;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;

/**
 * A consume workload through a component's consumer: one route, built and started once, polls the mailbox for the
 * whole run, as a user's route does; the warm-up and every measurement are batches of its polls ({@link PollGate}).
 * The clock runs from the start of a measured batch's first poll until polls covering every message have finished
 * (route done, deletions sent).
 *
 * <p>Until 2026-12-02 every warm-up poll and every measurement had a route of its own, built, started, stopped and
 * removed: Camel's route building and starting ran thousands of times less often than the polls, so its code was
 * still being compiled when a measurement began, beside the component's, and a poll on a new route always logged in,
 * which a long-running IMAP route does once. Now an IMAP measurement polls on the session the route kept since the
 * warm-up; a POP3 one logs in, as every POP3 poll does (its deletions become final at QUIT).
 */
final class ConsumeWorkload {

    private static final String ROUTE_ID = "consume";
    /**
     * {@code -Dbenchmarks.idempotentRepository=memory} (through the driver's {@code --jvm-options}): catalystmail's
     * route gets an in-memory idempotent repository, so every message is looked up as its round is planned (the
     * consumer's repository mode) instead of taken as listed.
     */
    private static final String REPOSITORY_PROPERTY = "benchmarks.idempotentRepository";
    private static final String REPOSITORY_BEAN = "benchmarkRepository";

    private ConsumeWorkload() {
    }

    /** The URI options of the repository {@value #REPOSITORY_PROPERTY} asks for (bound in {@code camel}), or none. */
    private static String repository(CamelContext camel, ComponentUnderTest component) {
        String kind = System.getProperty(REPOSITORY_PROPERTY);
        if (kind == null) {
            return "";
        }
        if (!kind.equals("memory") || component != ComponentUnderTest.CATALYSTMAIL) {
            throw new IllegalArgumentException(REPOSITORY_PROPERTY + "=" + kind + " is not measured for "
                                               + component.label() + ": only 'memory', for catalystmail");
        }
        // holds every key a run's JVM can meet (warm-up, settling and measurements move at most ~12,000 messages)
        camel.getRegistry().bind(REPOSITORY_BEAN, MemoryIdempotentRepository.memoryIdempotentRepository(100_000));
        return "&idempotentRepository=#" + REPOSITORY_BEAN;
    }

    static MeasuredPhases.Results run(RunSpec spec) throws Exception {
        ComponentUnderTest component = spec.component();
        PollGate gate = new PollGate();
        AtomicLong bytesRead = new AtomicLong();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind(PollGate.BEAN_NAME, gate);
            // every poll takes at most the measured number of messages, so a batch of that many is one poll of a
            // mailbox that holds them (the warm-up is a whole number of such batches: BenchmarkOptions)
            String uri = component.consumerUri(spec.workload(), spec.target(), spec.messages(), PollGate.BEAN_NAME)
                         + repository(camel, component);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId(ROUTE_ID).process(exchange -> {
                        try {
                            bytesRead.addAndGet(spec.workload().raw() ? component.readRaw(exchange)
                                    : component.readMapped(exchange));
                        } catch (Exception e) {
                            gate.fail(e);
                            throw e;
                        }
                    });
                }
            });
            // the route polls from now on, refused by the gate until a batch is due
            camel.start();
            CompilerSettling.Batch warmUp = count -> batch(gate, spec, count, null, bytesRead);
            for (int done = 0; done < spec.warmup(); done += spec.messages()) {
                warmUp.move(spec.messages());
            }
            return MeasuredPhases.afterWarmUps(spec, phase -> batch(gate, spec, spec.messages(), phase, bytesRead),
                    warmUp, spec.messages(), new MailboxRefill()::add);
        }
    }

    /** Lets the route's polls consume {@code messages} messages and times them; {@code phase} null for a warm-up. */
    private static Measured batch(PollGate gate, RunSpec spec, int messages, Phase phase, AtomicLong bytesRead)
            throws InterruptedException {
        long bytesBefore = bytesRead.get();
        gate.open(messages, phase, phase == null ? List.of() : spec.serverPids());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(spec.timeoutSeconds());
        MeasurementStart start = gate.awaitDone(deadline, phase == null ? "during the warm-up, " : "");
        return start.measured(gate.consumed(), bytesRead.get() - bytesBefore);
    }
}
