package io.catalystmail.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * compiler is given time to work through what they made hot (see {@link #awaitQuietCompiler()}). Consume
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
            Measured measured = spec.component() == ComponentUnderTest.WIRE ? wire(spec)
                    : spec.workload().consumes() ? consume(spec) : send(spec);
            System.out.println(RESULT_PREFIX + "seconds=" + measured.seconds() + " cpuSeconds=" + measured.cpuSeconds()
                               + " jitCpuSeconds=" + measured.jitCpuSeconds() + " allocatedBytes=" + measured.allocatedBytes()
                               + " gcCount=" + measured.gcCount() + " gcSeconds=" + measured.gcSeconds()
                               + " messages=" + measured.messages()
                               + " bytesRead=" + measured.bytesRead() + " peakHeap=" + peakHeap()
                               + " rss=" + peakRss() + " tmpFilesLeft=" + countFiles(tmpDir()));
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

    /**
     * @param cpuSeconds     CPU time this JVM used (all its threads) while the clock ran; -1 when unknown
     * @param jitCpuSeconds  the part of cpuSeconds the JIT compiler's threads used; -1 when unknown
     * @param allocatedBytes heap this JVM allocated (all its threads) while the clock ran; -1 when unknown
     * @param gcCount        garbage collections while the clock ran; -1 when unknown
     * @param gcSeconds      time those collections took; -1 when unknown
     */
    private record Measured(double seconds, double cpuSeconds, double jitCpuSeconds, long allocatedBytes, long gcCount,
                            double gcSeconds, int messages, long bytesRead) {

        /** Where nothing of this JVM is measured (smtp-source's own process). */
        static Measured wallOnly(double seconds, int messages) {
            return new Measured(seconds, -1, -1, -1, -1, -1, messages, 0);
        }
    }

    /** Where the clock started: wall, CPU, allocation and garbage collection counters. */
    private record Start(long nanos, long cpuNanos, Map<String, Long> compilerTicks, long allocatedBytes,
                         long[] collections, MeasuredPhase phase) {

        static Start now() {
            MeasuredPhase phase = new MeasuredPhase();
            phase.begin();
            return new Start(System.nanoTime(), processCpuNanos(), compilerThreadTicks(), heapAllocatedSoFar(),
                    collectionsSoFar(), phase);
        }

        Measured measured(int messages, long bytesRead) {
            phase.commit();
            long allocatedNow = heapAllocatedSoFar();
            double jit = -1;
            if (compilerTicks != null) {
                Map<String, Long> now = compilerThreadTicks();
                if (now != null) {
                    long ticks = 0;
                    for (Map.Entry<String, Long> thread : now.entrySet()) {
                        ticks += thread.getValue() - compilerTicks.getOrDefault(thread.getKey(), 0L);
                    }
                    jit = ticks / (double) CLOCK_TICKS_PER_SECOND;
                }
            }
            long[] collectionsNow = collectionsSoFar();
            boolean gcKnown = collections[0] >= 0 && collectionsNow[0] >= 0;
            return new Measured((System.nanoTime() - nanos) / 1e9, cpuSecondsSince(cpuNanos), jit,
                    allocatedBytes < 0 || allocatedNow < 0 ? -1 : allocatedNow - allocatedBytes,
                    gcKnown ? collectionsNow[0] - collections[0] : -1,
                    gcKnown ? (collectionsNow[1] - collections[1]) / 1000.0 : -1, messages, bytesRead);
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

    /** Linux's USER_HZ, the unit of the CPU times in /proc/[pid]/task/[tid]/stat. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    /**
     * CPU time (user + system, in clock ticks) of each JIT compiler thread of this JVM by thread id, from
     * /proc/self/task; null where there is no /proc. On a loaded machine the compiler is still working through the
     * warm-up's backlog during the measured run and its CPU (a third of the total in one SMTP run) would otherwise
     * be charged to the component.
     */
    private static Map<String, Long> compilerThreadTicks() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return null;
        }
        Map<String, Long> ticks = new HashMap<>();
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                // pid (comm) state ppid ...: the name may hold spaces, so fields are counted after the last ')'
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name
                    ticks.put(thread.getFileName().toString(), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return ticks;
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

    private static Measured consume(RunSpec spec) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            // the warm-up goes through routes like the measured one, each polling once on a session of its own, so
            // the compiler has seen connecting, listing, fetching and deleting several times, not just one long poll
            for (int done = 0, phase = 1; done < spec.warmup(); phase++) {
                int count = Math.min(spec.messages(), spec.warmup() - done);
                consumePhase(camel, spec, "warmup-" + phase, count, true);
                done += count;
            }
            if (spec.warmup() > 0) {
                awaitQuietCompiler();
            }
            ProtocolLog.measuredPhaseStarts();
            return consumePhase(camel, spec, "consume", spec.messages(), false);
        }
    }

    /**
     * One consuming route that takes {@code messages} messages (its maxMessagesPerPoll), timed from its start
     * until polls covering all of them have finished; the route is removed afterwards, so the warm-up route
     * and the measured one never poll at the same time.
     */
    private static Measured consumePhase(CamelContext camel, RunSpec spec, String routeId, int messages,
                                         boolean warmup) throws Exception {
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
        Start start = Start.now();
        camel.getRouteController().startRoute(routeId);
        long deadline = start.nanos() + TimeUnit.SECONDS.toNanos(spec.timeoutSeconds());
        String phase = warmup ? "during the warm-up, " : "";
        while (polls.messages() < messages || routed.get() < messages) {
            if (routeFailure.get() != null) {
                throw new IllegalStateException(phase + "the route failed after " + routed.get() + " messages",
                        routeFailure.get());
            }
            if (polls.lastFailure() != null) {
                // a failed poll spoils the measurement, and retrying every 10 ms would only fill the log
                throw new IllegalStateException(phase + "a poll failed after " + routed.get() + " messages",
                        polls.lastFailure());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(phase + "only " + routed.get() + " of " + messages
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
     * the client's loops), then one measured round. smtp-source is a C program: nothing to warm up.
     */
    private static Measured wire(RunSpec spec) throws Exception {
        ComponentUnderTest.Target target = spec.target();
        Workload.Protocol protocol = spec.workload().protocol();
        if (protocol == Workload.Protocol.SMTP) {
            Path message = tmpDir().resolve("smtp-source-message.txt");
            WireClients.writeSmtpSourceMessage(message, TestMessage.standard(spec.from(), spec.to(), 1));
            long start = System.nanoTime();
            WireClients.smtpSource(target, spec.from(), spec.to(), spec.messages(), spec.workload().senders(), message,
                    spec.timeoutSeconds());
            double seconds = (System.nanoTime() - start) / 1e9;
            Files.delete(message);
            // smtp-source's own CPU is another process's: not counted
            return Measured.wallOnly(seconds, spec.messages());
        }
        for (int done = 0; done < spec.warmup(); ) {
            int count = Math.min(spec.messages(), spec.warmup() - done);
            wireRound(protocol, target, count);
            done += count;
        }
        if (spec.warmup() > 0) {
            awaitQuietCompiler();
        }
        ProtocolLog.measuredPhaseStarts();
        Start start = Start.now();
        long bytes = wireRound(protocol, target, spec.messages());
        return start.measured(spec.messages(), bytes);
    }

    private static long wireRound(Workload.Protocol protocol, ComponentUnderTest.Target target, int messages)
            throws Exception {
        return protocol == Workload.Protocol.IMAP ? WireClients.imapFetchAndDelete(target, messages)
                : WireClients.pop3RetrieveAndDelete(target, messages);
    }

    private static Measured send(RunSpec spec) throws Exception {
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
            int first = spec.warmup() + 1;
            if (spec.warmup() > 0) {
                first = sendWhileTheCompilerWorks(template, uri, component, attachment, senders, first, deadline, spec);
                System.out.println("warm-up: " + (first - 1) + " messages sent before the measured ones");
                awaitQuietCompiler();
            }
            Start start = Start.now();
            sendShares(template, uri, component, attachment, senders, first, spec.messages(), deadline, spec);
            return start.measured(spec.messages(), 0);
        }
    }

    /**
     * Goes on warming up, in batches of {@value #SETTLING_BATCH} messages, until two batches in a row kept the JIT
     * compiler's threads busy for at most {@value #SETTLED_COMPILER_SHARE_PERCENT} % of their time; for at most
     * {@value #SETTLING_MAX_SECONDS} s and {@value #SETTLING_MAX_WARMUPS} times the counted warm-up's messages. A count
     * alone does not make a sending JVM steady: on two shared cores a one-thread sender still compiled for 1.4 ms per message after 2,000 warm-up messages, while methods called once
     * per message only then crossed C2's thresholds, and the waiting for a quiet compiler ended while one five-second
     * compilation was still running (it counts finished compilations). Both components are warmed up by the same rule;
     * the mailbox check counts at least warm-up + measured messages, so the extra ones do not disturb it.
     *
     * @return the number of the first measured message
     */
    private static int sendWhileTheCompilerWorks(ProducerTemplate template, org.apache.camel.Endpoint uri,
                                                 ComponentUnderTest component, Path attachment, int senders, int next,
                                                 long deadline, RunSpec spec) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLING_MAX_SECONDS);
        // a server's queue fed far beyond the counted warm-up would still be delivering during the measured run
        int last = next - 1 + spec.warmup() * SETTLING_MAX_WARMUPS;
        int quietBatches = 0;
        while (quietBatches < 2 && System.nanoTime() < giveUp && next + SETTLING_BATCH - 1 <= last) {
            Map<String, Long> before = compilerThreadTicks();
            long started = System.nanoTime();
            sendShares(template, uri, component, attachment, senders, next, SETTLING_BATCH, deadline, spec);
            next += SETTLING_BATCH;
            Map<String, Long> after = compilerThreadTicks();
            if (before == null || after == null) {
                return next; // no /proc: the count-based warm-up is all there is
            }
            long ticks = 0;
            for (Map.Entry<String, Long> thread : after.entrySet()) {
                ticks += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
            }
            double compilerSeconds = ticks / (double) CLOCK_TICKS_PER_SECOND;
            double batchSeconds = (System.nanoTime() - started) / 1e9;
            quietBatches = compilerSeconds <= batchSeconds * SETTLED_COMPILER_SHARE_PERCENT / 100 ? quietBatches + 1 : 0;
        }
        return next;
    }

    private static final int SETTLING_BATCH = 200;
    private static final int SETTLED_COMPILER_SHARE_PERCENT = 3;
    private static final int SETTLING_MAX_SECONDS = 120;
    private static final int SETTLING_MAX_WARMUPS = 2;

    /**
     * Messages {@code first} to {@code first + total - 1}, split between {@code senders} threads, each sending its
     * share one after another (one sender: this thread sends them all).
     */
    private static void sendShares(ProducerTemplate template, org.apache.camel.Endpoint uri,
                                   ComponentUnderTest component, Path attachment, int senders, int first, int total,
                                   long deadline, RunSpec spec) throws Exception {
        if (senders == 1 || total < senders) {
            sendNumbered(template, uri, component, attachment, first, first + total - 1, deadline, spec);
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(senders);
        try {
            java.util.List<java.util.concurrent.Future<?>> shares = new java.util.ArrayList<>();
            for (int t = 0; t < senders; t++) {
                int from = first + total * t / senders;
                int to = first + total * (t + 1) / senders - 1;
                shares.add(pool.submit(() -> {
                    sendNumbered(template, uri, component, attachment, from, to, deadline, spec);
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

    private static void sendNumbered(ProducerTemplate template, org.apache.camel.Endpoint uri, ComponentUnderTest component,
                                     Path attachment, int first, int last, long deadline, RunSpec spec) {
        for (int i = first; i <= last; i++) {
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
     * Waits until the JIT compiler has finished nothing for {@value #COMPILER_QUIET_MILLIS} ms, at most
     * {@value #COMPILER_WAIT_MILLIS} ms. The warm-up makes the code hot; on two cores the compiler then works
     * through its queue for seconds, taking a core from the component and the server alike, which is what the
     * measured run should not see.
     */
    private static void awaitQuietCompiler() throws InterruptedException {
        java.lang.management.CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COMPILER_WAIT_MILLIS);
        long last = compiler.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < giveUp
               && System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(COMPILER_QUIET_MILLIS)) {
            Thread.sleep(50);
            long now = compiler.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private static final long COMPILER_QUIET_MILLIS = 500;
    private static final long COMPILER_WAIT_MILLIS = 15_000;

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
