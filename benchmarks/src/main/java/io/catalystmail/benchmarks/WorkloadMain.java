package io.catalystmail.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * One measured run, in a JVM of its own so that peak heap, RSS and {@code -Xmx} belong to this run alone.
 * Arguments are {@code key=value} pairs (see {@link RunSpec#toArguments()}). Prints one line starting with
 * {@value #RESULT_PREFIX} on success, or {@value #ERROR_PREFIX} and a reason, and exits.
 *
 * <p>First the warm-up messages of the spec are moved, unmeasured, through the same kind of route, and the JIT
 * compiler is given time to work through what they made hot ({@link CompilerThreads#awaitQuiet()}). Every workload
 * with a warm-up is then measured twice: once right after that counted warm-up ({@link Phase#COUNTED}, issue 19's
 * "warm": a JVM that has drained 2,000 messages), and, after more warm-up by {@link CompilerSettling}'s rule and
 * with its young generation settled ({@link YoungGeneration#settle()}), once more ({@link Phase#SETTLED}). Consume
 * workloads: the mailbox is already filled; the clock runs from the measured route's start until polls
 * covering every message have finished (route done, deletions sent). Send workloads: the clock runs from
 * the first measured send until the last one returned.
 */
public final class WorkloadMain {

    static final String RESULT_PREFIX = "BENCH-RESULT ";
    static final String ERROR_PREFIX = "BENCH-ERROR ";

    private WorkloadMain() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            RunSpec spec = RunSpec.fromArguments(args);
            Results results = spec.component() == ComponentUnderTest.WIRE ? wire(spec)
                    : spec.workload().consumes() ? consume(spec) : send(spec);
            if (results.counted() != null) {
                printResult(spec, results.counted(), 0, false, YoungGeneration.Collected.UNKNOWN);
            }
            printResult(spec, results.last(), results.settling(), results.quiet(), results.youngGc());
        } catch (Throwable e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root != e) {
                reason += " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
            }
            System.out.println(ERROR_PREFIX + reason.replace('\n', ' ').replace('\r', ' '));
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        // Camel's non-daemon threads must not keep the measured JVM alive
        System.exit(status);
    }

    /** Which measurement of a run a result line gives. */
    enum Phase {
        /** No warm-up: the figures include the JIT compiler's warm-up. */
        COLD,
        /** Right after the counted warm-up (issue 19's "warm after 2,000"). */
        COUNTED,
        /** After the counted warm-up and {@link CompilerSettling}'s batches. */
        SETTLED
    }

    /**
     * The run's measurements: {@code counted} (null when there was none), then {@code last}, the run's figure, after
     * {@code settling} messages of {@link CompilerSettling}, which ended with the compiler {@code quiet} or at a cap,
     * and the young collection {@code youngGc} that came before it.
     */
    private record Results(Measured counted, Measured last, int settling, boolean quiet,
                           YoungGeneration.Collected youngGc) {

        static Results only(Measured measured) {
            return new Results(null, measured, 0, false, YoungGeneration.Collected.UNKNOWN);
        }
    }

    private static void printResult(RunSpec spec, Measured measured, int settling, boolean quiet,
                                    YoungGeneration.Collected youngGc) throws IOException {
        System.out.println(RESULT_PREFIX + "phase=" + measured.phase() + " warmup=" + spec.warmup() + " settling="
                           + settling + " quiet=" + quiet + " youngGc=" + youngGc.token() + " seconds="
                           + measured.seconds() + " cpuSeconds="
                           + measured.cpuSeconds() + " jitCpuSeconds=" + measured.jitCpuSeconds() + " serverCpuSeconds="
                           + measured.serverCpuSeconds() + " allocatedBytes="
                           + measured.allocatedBytes() + " minorFaults=" + measured.minorFaults() + " gcCount="
                           + measured.gcCount() + " gcSeconds="
                           + measured.gcSeconds() + " messages=" + measured.messages() + " bytesRead="
                           + measured.bytesRead() + " peakHeap=" + Math.max(peakHeap(), ownPeaks[0]) + " rss="
                           + (ownPeaks[1] >= 0 ? ownPeaks[1] : peakRss()) + " tmpFilesLeft="
                           + countFiles(tmpDir()) + " load=" + measured.load());
    }

    /**
     * @param phase          which measurement of the run
     * @param cpuSeconds     CPU time this JVM used (all its threads) while the clock ran; -1 when unknown
     * @param jitCpuSeconds  the part of cpuSeconds the JIT compiler's threads used; -1 when unknown
     * @param serverCpuSeconds CPU time the mail servers' processes used while the clock ran ({@link ServerCpu}); -1
     *                       when unknown
     * @param allocatedBytes heap this JVM allocated (all its threads) while the clock ran; -1 when unknown
     * @param minorFaults    page faults of this JVM served without I/O while the clock ran (first touches of fresh
     *                       heap pages among them); -1 when unknown. In the run's log only.
     * @param gcCount        garbage collections while the clock ran; -1 when unknown
     * @param gcSeconds      time those collections took; -1 when unknown
     * @param load           the machine's one-minute load average when the clock started (-1: unknown): what the
     *                       measurement met, which after a settling of minutes is not the load when the JVM started
     */
    private record Measured(Phase phase, double seconds, double cpuSeconds, double jitCpuSeconds,
                            double serverCpuSeconds, long allocatedBytes, long minorFaults, long gcCount,
                            double gcSeconds, int messages, long bytesRead, double load) {

        /** Where nothing of this JVM is measured (smtp-source's own process). */
        static Measured wallOnly(double seconds, double serverCpuSeconds, int messages, double load) {
            return new Measured(Phase.COLD, seconds, -1, -1, serverCpuSeconds, -1, -1, -1, -1, messages, 0, load);
        }
    }

    /**
     * Where the clock started: wall, CPU, allocation and garbage collection counters; {@code phase} null for a warm-up
     * poll, which is timed like a measured one but marks nothing in a JFR recording.
     */
    private record Start(Phase phase, long nanos, long cpuNanos, Map<String, Long> compilerTicks, long allocatedBytes,
                         long minorFaults, long[] collections, MeasuredPhase event, List<Integer> servers,
                         double serverCpuSeconds, double load) {

        /** @param servers the mail servers' masters whose CPU is measured too (a warm-up poll passes none) */
        static Start now(Phase phase, List<Integer> servers) {
            // read before the clock starts: scanning /proc takes a few milliseconds of this JVM's CPU
            List<Integer> measuredServers = phase == null ? List.of() : servers;
            double serverCpu = ServerCpu.secondsSoFar(measuredServers);
            double load = ResultsFile.oneMinuteLoad();
            MeasuredPhase event = phase == null ? null : new MeasuredPhase(phase.name());
            if (event != null) {
                event.begin();
            }
            return new Start(phase, System.nanoTime(), processCpuNanos(), CompilerThreads.ticks(), heapAllocatedSoFar(),
                    YoungGeneration.minorFaultsSoFar(), collectionsSoFar(), event, measuredServers, serverCpu, load);
        }

        Measured measured(int messages, long bytesRead) {
            if (event != null) {
                event.commit();
            }
            long nanosNow = System.nanoTime();
            double cpuNow = cpuSecondsSince(cpuNanos);
            long allocatedNow = heapAllocatedSoFar();
            long faultsNow = YoungGeneration.minorFaultsSoFar();
            double jit = CompilerThreads.secondsBetween(compilerTicks, CompilerThreads.ticks());
            long[] collectionsNow = collectionsSoFar();
            boolean gcKnown = collections[0] >= 0 && collectionsNow[0] >= 0;
            double serverCpuNow = ServerCpu.secondsSoFar(servers);
            return new Measured(phase, (nanosNow - nanos) / 1e9, cpuNow, jit,
                    serverCpuSeconds < 0 || serverCpuNow < 0 ? -1 : serverCpuNow - serverCpuSeconds,
                    allocatedBytes < 0 || allocatedNow < 0 ? -1 : allocatedNow - allocatedBytes,
                    minorFaults < 0 || faultsNow < 0 ? -1 : faultsNow - minorFaults,
                    gcKnown ? collectionsNow[0] - collections[0] : -1,
                    gcKnown ? (collectionsNow[1] - collections[1]) / 1000.0 : -1, messages, bytesRead, load);
        }
    }

    /**
     * Garbage collections so far and their accumulated milliseconds, over all collectors ({-1, -1} when a collector
     * does not say). A heap too small for the work shows here first: more collections per message, each costing
     * CPU the component's own figure then includes.
     */
    private static long[] collectionsSoFar() {
        long count = 0;
        long millis = 0;
        for (java.lang.management.GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector.getCollectionCount() < 0 || collector.getCollectionTime() < 0) {
                return new long[] { -1, -1 };
            }
            count += collector.getCollectionCount();
            millis += collector.getCollectionTime();
        }
        return new long[] { count, millis };
    }

    /**
     * Heap bytes allocated by all threads of this JVM so far, the dead ones included, or -1. Allocation per message,
     * like CPU per message, hardly moves with the machine's load, and it is what drives the garbage collector.
     */
    private static long heapAllocatedSoFar() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
            && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            return threads.getTotalThreadAllocatedBytes();
        }
        return -1;
    }

    /**
     * CPU time of this process so far, in nanoseconds, or -1. On a shared machine the wall clock moves with other
     * work; the CPU a component spends per message moves much less, so it is recorded beside it.
     */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static double cpuSecondsSince(long startCpu) {
        long now = processCpuNanos();
        return startCpu < 0 || now < 0 ? -1 : (now - startCpu) / 1e9;
    }

    private static Results consume(RunSpec spec) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            // the warm-up goes through routes like the measured one, each polling once on a session of its own, so
            // the compiler has seen connecting, listing, fetching and deleting several times, not just one long poll
            int[] polls = { 0 };
            CompilerSettling.Batch warmUp = count -> consumePhase(camel, spec, "warmup-" + ++polls[0], count, null);
            for (int done = 0; done < spec.warmup(); done += spec.messages()) {
                warmUp.move(Math.min(spec.messages(), spec.warmup() - done));
            }
            return measuredAfterWarmUps(spec, phase -> consumePhase(camel, spec, "consume-" + phase, spec.messages(), phase),
                    warmUp, spec.messages(), new MailboxRefill()::add);
        }
    }

    /** One measurement of a run, after whatever warmed it up. */
    @FunctionalInterface
    private interface Measurement {
        Measured take(Phase phase) throws Exception;
    }

    /**
     * What follows the counted warm-up: measured at once (unless there was no warm-up: then that one cold measurement
     * is all; without {@link RunSpec#settle()} that one after the counted warm-up is), {@code refill} called for the
     * measured messages, {@link CompilerSettling}'s batches of
     * {@code settlingBatch} messages (each followed by {@code refill}, out of the judged time), the young generation
     * settled ({@link YoungGeneration#settle()}), measured again. A consume run refills its mailbox, so both
     * measurements meet a mailbox as the driver left it after the counted warm-up; a send run has nothing to put back.
     */
    private static Results measuredAfterWarmUps(RunSpec spec, Measurement measurement, CompilerSettling.Batch warmUp,
                                                int settlingBatch, CompilerSettling.Batch refill) throws Exception {
        if (spec.warmup() == 0) {
            ProtocolLog.measuredPhaseStarts();
            return Results.only(measurement.take(Phase.COLD));
        }
        CompilerThreads.awaitQuiet();
        if (!spec.settle()) {
            // the counted measurement is the run's only one (--settle false)
            ProtocolLog.measuredPhaseStarts();
            return Results.only(measurement.take(Phase.COUNTED));
        }
        Measured counted = measurement.take(Phase.COUNTED);
        refill.move(spec.messages());
        CompilerSettling settling = new CompilerSettling(settlingBatch, spec.warmup());
        settling.run(warmUp, refill);
        YoungGeneration.Collected youngGc = settleYoungGeneration();
        CompilerThreads.awaitQuiet();
        ProtocolLog.measuredPhaseStarts();
        Measured settled = measurement.take(Phase.SETTLED);
        return new Results(counted, settled, settling.moved(), settling.quiet(), youngGc);
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
        Start start = Start.now(phase, spec.serverPids());
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

    /**
     * The raw wire: the warm-up messages first (IMAP and POP3, in rounds of the measured size, so the JIT has seen
     * the client's loops), then measured as a consume run is. smtp-source is a C program: nothing to warm up.
     */
    private static Results wire(RunSpec spec) throws Exception {
        ComponentUnderTest.Target target = spec.target();
        Workload.Protocol protocol = spec.workload().protocol();
        if (protocol == Workload.Protocol.SMTP) {
            Path message = tmpDir().resolve("smtp-source-message.txt");
            WireClients.writeSmtpSourceMessage(message, TestMessage.standard(spec.from(), spec.to(), 1));
            double serverCpu = ServerCpu.secondsSoFar(spec.serverPids());
            double load = ResultsFile.oneMinuteLoad();
            long start = System.nanoTime();
            WireClients.smtpSource(target, spec.from(), spec.to(), spec.messages(), spec.workload().senders(), message,
                    spec.timeoutSeconds());
            double seconds = (System.nanoTime() - start) / 1e9;
            double serverCpuNow = ServerCpu.secondsSoFar(spec.serverPids());
            Files.delete(message);
            // smtp-source's own CPU is another process's: not counted
            return Results.only(Measured.wallOnly(seconds, serverCpu < 0 || serverCpuNow < 0 ? -1
                    : serverCpuNow - serverCpu, spec.messages(), load));
        }
        CompilerSettling.Batch warmUp = count -> wireRound(protocol, target, count);
        for (int done = 0; done < spec.warmup(); done += spec.messages()) {
            warmUp.move(Math.min(spec.messages(), spec.warmup() - done));
        }
        return measuredAfterWarmUps(spec, phase -> {
            Start start = Start.now(phase, spec.serverPids());
            long bytes = wireRound(protocol, target, spec.messages());
            return start.measured(spec.messages(), bytes);
        }, warmUp, spec.messages(), new MailboxRefill()::add);
    }

    private static long wireRound(Workload.Protocol protocol, ComponentUnderTest.Target target, int messages)
            throws Exception {
        return protocol == Workload.Protocol.IMAP ? WireClients.imapFetchAndDelete(target, messages)
                : WireClients.pop3RetrieveAndDelete(target, messages);
    }

    private static Results send(RunSpec spec) throws Exception {
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
            return measuredAfterWarmUps(spec, phase -> {
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
                Start start = Start.now(phase, spec.serverPids());
                sent.move(spec.messages());
                return start.measured(spec.messages(), 0);
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
    private static void sendNumbered(ProducerTemplate template, org.apache.camel.Endpoint uri, ComponentUnderTest component,
                                     Path attachment, AtomicInteger next, int last, long deadline, RunSpec spec) {
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

    /**
     * Peak heap and peak RSS of the component's own work, before the harness's garbage ({@link YoungGeneration});
     * {-1, -1} until then. That garbage grows the young generation to its full size (the wire's client peaked at
     * 229 MiB of heap instead of 20 after it), which says nothing about what a component needs.
     */
    private static final long[] ownPeaks = { -1, -1 };

    /**
     * {@link YoungGeneration#settle()}, with the heap and RSS peaks taken before it; the heap pools' peaks start again
     * after it, so the measured messages' own peak still counts. The RSS peak cannot start again below the pages the
     * garbage left resident: the settled measurement's is not known, and the one before the garbage is reported.
     */
    private static YoungGeneration.Collected settleYoungGeneration() throws IOException {
        ownPeaks[0] = peakHeap();
        ownPeaks[1] = peakRss();
        YoungGeneration.Collected collected = YoungGeneration.settle();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        return collected;
    }

    /** Peak heap: the peaks of the heap pools, summed (an upper bound, as pools peak at different times). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Peak resident set size of this process (VmHWM), in bytes; -1 where /proc is missing. */
    private static long peakRss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static Path tmpDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Files left below the run's own temp directory once the Camel context has stopped. */
    static long countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** Parses {@code key=value} arguments. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return values;
    }
}
