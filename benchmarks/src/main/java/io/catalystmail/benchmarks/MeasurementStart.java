package io.catalystmail.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/**
 * Where the clock started: wall, CPU, allocation and garbage collection counters; {@code phase} null for a warm-up
 * poll, which is timed like a measured one but marks nothing in a JFR recording.
 */
record MeasurementStart(WorkloadMain.Phase phase, long nanos, long cpuNanos, Map<String, Long> compilerTicks,
                        long allocatedBytes, long minorFaults, long[] collections, MeasuredPhase event,
                        List<Integer> servers, double serverCpuSeconds, double load) {

    /** Passes of the measurement's own bookkeeping before a measured phase: see {@link #rehearse}. */
    static final int REHEARSALS = 20;

    /** @param servers the mail servers' masters whose CPU is measured too (a warm-up poll passes none) */
    static MeasurementStart now(WorkloadMain.Phase phase, List<Integer> servers) {
        // read before the clock starts: scanning /proc takes a few milliseconds of this JVM's CPU
        List<Integer> measuredServers = phase == null ? List.of() : servers;
        double serverCpu = ServerCpu.secondsSoFar(measuredServers);
        double load = ResultsFile.oneMinuteLoad();
        Map<String, Long> compilerTicks = CompilerThreads.ticks();
        MeasuredPhase event = phase == null ? null : new MeasuredPhase(phase.name());
        if (event != null) {
            event.begin();
        }
        return new MeasurementStart(phase, System.nanoTime(), processCpuNanos(), compilerTicks,
                heapAllocatedSoFar(), YoungGeneration.minorFaultsSoFar(), collectionsSoFar(), event, measuredServers,
                serverCpu, load);
    }

    /**
     * Runs what {@link #now} and {@link #measured} read from /proc (the servers' CPU, a scan of every process's stat
     * file; the compiler threads' ticks; the load) {@value #REHEARSALS} times, unmeasured, before a measured phase,
     * then as often again once the compiler has gone quiet; the phase then waits for it to go quiet again. A warm-up
     * poll reads no server CPU, so the measured phase's own start was the scan's first hot use, and the C2 compiles it set off ran while the clock ran and were charged to
     * the component's JIT column: String.split 30-135 ms and Integer.parseInt 6 ms of the 0.11-0.21 s of compiler
     * time in settled IMAP and POP3 phases (profiled runs, 2026-12-01). The wire's runs measure the same way.
     */
    static void rehearse(List<Integer> servers) throws InterruptedException {
        // twice, the compiler quiet in between: while C2's queue is long its thresholds rise with it, and 20 passes
        // still left Path.of's C2 compile (34-138 ms) to the settled phase's own scan at load 12-17
        for (int half = 0; half < 2; half++) {
            for (int i = 0; i < REHEARSALS; i++) {
                ServerCpu.secondsSoFar(servers);
                CompilerThreads.ticks();
                ResultsFile.oneMinuteLoad();
            }
            if (half == 0) {
                CompilerThreads.awaitQuiet();
            }
        }
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
}
