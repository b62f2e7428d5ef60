package io.catalystmail.benchmarks;

/**
 * What one measured run gave. {@code failure} is null for a run that did all its work and passed the
 * harness's checks (every message read in full, deleted or delivered, no temp file left).
 *
 * @param cpuSeconds   CPU time the measured JVM used while the clock ran (-1: unknown, as for smtp-source)
 * @param jitCpuSeconds the part of cpuSeconds spent by the JIT compiler's threads (-1: unknown)
 * @param allocatedBytes heap the measured JVM allocated while the clock ran (-1: unknown)
 * @param messageBytes size of one message on the wire, for bytes per second
 * @param gcCount      garbage collections (young and old) while the clock ran (-1: unknown)
 * @param gcSeconds    time those collections took, as the JVM's collectors report it (-1: unknown)
 * @param warmUp       what the measured JVM moved before the measured messages (null: not known, as for a failed run)
 * @param serverCpuSeconds CPU time the mail servers' processes used while the clock ran (-1: unknown), see
 *                     {@link ServerCpu}
 * @param load         the machine's load average (1 minute) when the measurement's clock started, or where the
 *                     measured JVM did not say (a failed run), when it started (-1: unknown)
 */
record RunResult(ComponentUnderTest component, Workload workload, int round, int messages, double seconds,
                 double cpuSeconds, double jitCpuSeconds, long allocatedBytes, long gcCount, double gcSeconds, long messageBytes, long bytesRead,
                 long peakHeap, long peakRss, long tmpFilesLeft, WarmUp warmUp, String failure,
                 double serverCpuSeconds, double load) {

    /** A run whose servers' CPU and load are not known. */
    RunResult(ComponentUnderTest component, Workload workload, int round, int messages, double seconds,
              double cpuSeconds, double jitCpuSeconds, long allocatedBytes, long gcCount, double gcSeconds,
              long messageBytes, long bytesRead, long peakHeap, long peakRss, long tmpFilesLeft, WarmUp warmUp,
              String failure) {
        this(component, workload, round, messages, seconds, cpuSeconds, jitCpuSeconds, allocatedBytes, gcCount,
                gcSeconds, messageBytes, bytesRead, peakHeap, peakRss, tmpFilesLeft, warmUp, failure, -1, -1);
    }

    /**
     * The messages a measured JVM moved before its measured ones: {@code counted}, the warm-up the options asked for,
     * then {@code more} (an earlier measurement of the same JVM and {@link CompilerSettling}'s batches); {@code quiet}
     * when the settling batches ended because the compiler went quiet rather than at a cap; {@code youngGc}, how the
     * young generation came to be collected before a settled measurement.
     */
    record WarmUp(int counted, int more, boolean quiet, boolean settled, YoungGeneration.Collected youngGc) {

        static final WarmUp NONE = new WarmUp(0, 0, false, false, YoungGeneration.Collected.UNKNOWN);

        /**
         * For the table: "2000" after the counted warm-up only; after settling "2000 + 3000 quiet, 2 young GCs" (the
         * compiler went quiet; the component's own work had been collected twice) or "... cap, young GC by harness".
         */
        String describe() {
            return !settled ? String.valueOf(counted)
                    : counted + " + " + more + (quiet ? " quiet" : " cap") + ", " + youngGc.describe();
        }
    }

    static RunResult failed(ComponentUnderTest component, Workload workload, int round, String failure) {
        return new RunResult(component, workload, round, 0, 0, -1, -1, -1, -1, -1, 0, 0, -1, -1, 0, null, failure);
    }

    boolean ok() {
        return failure == null;
    }

    double messagesPerSecond() {
        return messages / seconds;
    }

    /** Milliseconds of the measured JVM's CPU per message, the JIT compiler's threads left out where known, or -1. */
    double cpuMillisPerMessage() {
        return cpuSeconds < 0 || messages == 0 ? -1 : (cpuSeconds - Math.max(0, jitCpuSeconds)) * 1000 / messages;
    }

    /** Milliseconds of the JIT compiler's CPU per message while the clock ran, or -1. */
    double jitCpuMillisPerMessage() {
        return jitCpuSeconds < 0 || messages == 0 ? -1 : jitCpuSeconds * 1000 / messages;
    }

    /** KiB the measured JVM allocated per message, or -1. */
    double allocatedKibPerMessage() {
        return allocatedBytes < 0 || messages == 0 ? -1 : allocatedBytes / 1024.0 / messages;
    }

    /** Garbage collections per 1,000 messages while the clock ran, or -1. */
    double gcPerThousandMessages() {
        return gcCount < 0 || messages == 0 ? -1 : gcCount * 1000.0 / messages;
    }

    /** Milliseconds of garbage collection per message while the clock ran, or -1. */
    double gcMillisPerMessage() {
        return gcSeconds < 0 || messages == 0 ? -1 : gcSeconds * 1000 / messages;
    }

    double bytesPerSecond() {
        return messages * (double) messageBytes / seconds;
    }

    /** Milliseconds of the mail servers' CPU per message while the clock ran, or -1. */
    double serverCpuMillisPerMessage() {
        return serverCpuSeconds < 0 || messages == 0 ? -1 : serverCpuSeconds * 1000 / messages;
    }

    RunResult withFailure(String reason) {
        return new RunResult(component, workload, round, messages, seconds, cpuSeconds, jitCpuSeconds, allocatedBytes, gcCount, gcSeconds,
                messageBytes, bytesRead, peakHeap, peakRss, tmpFilesLeft, warmUp, reason, serverCpuSeconds, load);
    }

    /** This result with the machine's load when its JVM started. */
    RunResult withLoad(double loadAverage) {
        return new RunResult(component, workload, round, messages, seconds, cpuSeconds, jitCpuSeconds, allocatedBytes,
                gcCount, gcSeconds, messageBytes, bytesRead, peakHeap, peakRss, tmpFilesLeft, warmUp, failure,
                serverCpuSeconds, loadAverage);
    }
}
