package io.catalystmail.benchmarks;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The measured JVM of {@link WarmCurve}: one catalystmail consume route, as {@link ConsumeWorkload} builds it, lets
 * {@code polls} polls of {@code messages} through, one at a time, without a warm-up or a wait for the compiler, and
 * prints one {@value #LINE} line per poll: its wall and CPU time, the JIT compiler threads' CPU during the poll and
 * over the whole cycle since the previous poll ended (the refill included, when the compiler works off what the poll
 * made hot), the classes loaded so far and the code cache in use. Before each poll it asks the driver for its
 * messages ({@link MailboxRefill}); the driver runs the wire's poll of the same size meanwhile.
 *
 * <p>Question behind it (issue 19): does the compiler ever finish on the per-message path, and when; or does
 * something keep it busy (code recompiled over and over, classes made per poll)? The poll windows' wall-clock
 * instants let the driver count the JFR recording's compilations and deoptimizations per poll.
 */
final class WarmCurvePolls {

    static final String LINE = "CURVE ";
    static final String POLLS_PROPERTY = "benchmarks.curvePolls";

    private WarmCurvePolls() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            run(RunSpec.fromArguments(args), Integer.getInteger(POLLS_PROPERTY, 30));
        } catch (Throwable e) {
            System.out.println(WorkloadMain.ERROR_PREFIX + e.toString().replace('\n', ' '));
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        // Camel's non-daemon threads must not keep the JVM alive
        System.exit(status);
    }

    private static void run(RunSpec spec, int polls) throws Exception {
        ComponentUnderTest component = spec.component();
        PollGate gate = new PollGate();
        AtomicLong bytesRead = new AtomicLong();
        MailboxRefill refill = new MailboxRefill();
        // System.nanoTime to wall-clock milliseconds, for the driver's JFR windows
        long epochNanosMinusNano = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind(PollGate.BEAN_NAME, gate);
            String uri = component.consumerUri(spec.workload(), spec.target(), spec.messages(), PollGate.BEAN_NAME);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("curve").process(exchange -> {
                        try {
                            bytesRead.addAndGet(component.readMapped(exchange));
                        } catch (Exception e) {
                            gate.fail(e);
                            throw e;
                        }
                    });
                }
            });
            camel.start();
            Map<String, Long> cycleTicks = CompilerThreads.ticks();
            for (int poll = 1; poll <= polls; poll++) {
                refill.add(spec.messages());
                long bytesBefore = bytesRead.get();
                gate.open(spec.messages(), null, List.of());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(spec.timeoutSeconds());
                MeasurementStart start = gate.awaitDone(deadline, "in poll " + poll + ", ");
                Measured m = start.measured(gate.consumed(), bytesRead.get() - bytesBefore);
                long endNanos = System.nanoTime();
                Map<String, Long> ticksNow = CompilerThreads.ticks();
                ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
                System.out.println(LINE + "poll=" + poll + " startMs=" + (epochNanosMinusNano + start.nanos()) / 1_000_000
                                   + " endMs=" + (epochNanosMinusNano + endNanos) / 1_000_000 + " messages=" + m.messages()
                                   + " seconds=" + m.seconds() + " cpuSeconds=" + m.cpuSeconds() + " jitSeconds="
                                   + m.jitCpuSeconds() + " jitCycleSeconds="
                                   + CompilerThreads.secondsBetween(cycleTicks, ticksNow) + " allocatedBytes="
                                   + m.allocatedBytes() + " gcCount=" + m.gcCount() + " loadedClasses="
                                   + classes.getLoadedClassCount() + " totalLoadedClasses="
                                   + classes.getTotalLoadedClassCount() + " unloadedClasses="
                                   + classes.getUnloadedClassCount() + " codeCacheBytes=" + codeCacheUsed()
                                   + " load=" + m.load());
                System.out.flush();
                cycleTicks = ticksNow;
            }
        }
    }

    /** Bytes in use in the code cache's heaps: grows while code is compiled, and shrinks when the sweeper frees some. */
    private static long codeCacheUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.NON_HEAP && pool.getName().startsWith("CodeHeap")) {
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }
}
