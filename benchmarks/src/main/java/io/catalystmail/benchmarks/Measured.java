package io.catalystmail.benchmarks;

/**
 * What one measurement of a run found.
 *
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
record Measured(WorkloadMain.Phase phase, double seconds, double cpuSeconds, double jitCpuSeconds,
                double serverCpuSeconds, long allocatedBytes, long minorFaults, long gcCount, double gcSeconds,
                int messages, long bytesRead, double load) {

    /** Where nothing of this JVM is measured (smtp-source's own process). */
    static Measured wallOnly(double seconds, double serverCpuSeconds, int messages, double load) {
        return new Measured(WorkloadMain.Phase.COLD, seconds, -1, -1, serverCpuSeconds, -1, -1, -1, -1, messages, 0,
                load);
    }
}
