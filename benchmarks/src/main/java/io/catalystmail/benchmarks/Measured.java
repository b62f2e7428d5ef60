package io.catalystmail.benchmarks;

/**
 * What one measurement of a run found.
 *
 * @param phase          which measurement of the run
 * @param cpuSeconds     CPU time this JVM used (all its threads) while the clock ran; -1 when unknown
 * @param jitCpuSeconds  the part of cpuSeconds the JIT compiler's threads used; -1 when unknown
 * @param serverCpuSeconds CPU time the mail servers' processes used while the clock ran ({@link ServerCpu}), for a
 *                       send workload until the server had delivered the measured messages
 *                       ({@link #withServerCpuUntilDelivered}); -1 when unknown
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

    /**
     * This measurement with the servers' CPU read once the server has delivered the measured messages instead of
     * when the clock stopped: Postfix accepts faster than it delivers, so the servers' CPU while the clock ran grew
     * with the window's length (about 1.7 cores in every window), and a slower sender showed more of it per message
     * as a consequence; counted to the delivery, it is what the measured messages cost the servers.
     *
     * @param serverCpuSecondsAtStart the servers' CPU when the clock started ({@link ServerCpu#secondsSoFar})
     * @param serverCpuSecondsDelivered the same once the server had delivered them
     */
    Measured withServerCpuUntilDelivered(double serverCpuSecondsAtStart, double serverCpuSecondsDelivered) {
        double server = serverCpuSecondsAtStart < 0 || serverCpuSecondsDelivered < 0 ? -1
                : serverCpuSecondsDelivered - serverCpuSecondsAtStart;
        return new Measured(phase, seconds, cpuSeconds, jitCpuSeconds, server, allocatedBytes, minorFaults, gcCount,
                gcSeconds, messages, bytesRead, load);
    }

    /** Where nothing of this JVM is measured (smtp-source's own process). */
    static Measured wallOnly(double seconds, double serverCpuSeconds, int messages, double load) {
        return new Measured(WorkloadMain.Phase.COLD, seconds, -1, -1, serverCpuSeconds, -1, -1, -1, -1, messages, 0,
                load);
    }
}
