package io.catalystmail.benchmarks;

import io.catalystmail.benchmarks.WorkloadMain.Phase;

/**
 * The measurements of one run after its counted warm-up: right after it, and, after {@link CompilerSettling}'s
 * batches and a settled young generation, once more; every kind of workload takes them the same way.
 */
final class MeasuredPhases {

    private MeasuredPhases() {
    }

    /**
     * The run's measurements: {@code counted} (null when there was none), then {@code last}, the run's figure, after
     * {@code settling} messages of {@link CompilerSettling}, which ended with the compiler {@code quiet} or at a cap,
     * and the young collection {@code youngGc} that came before it.
     */
    record Results(Measured counted, Measured last, int settling, boolean quiet, YoungGeneration.Collected youngGc) {

        static Results only(Measured measured) {
            return new Results(null, measured, 0, false, YoungGeneration.Collected.UNKNOWN);
        }
    }

    /** One measurement of a run, after whatever warmed it up. */
    @FunctionalInterface
    interface Measurement {
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
    static Results afterWarmUps(RunSpec spec, Measurement measurement, CompilerSettling.Batch warmUp,
                                int settlingBatch, CompilerSettling.Batch refill) throws Exception {
        if (spec.warmup() == 0) {
            ProtocolLog.measuredPhaseStarts();
            return Results.only(measurement.take(Phase.COLD));
        }
        MeasurementStart.rehearse(spec.serverPids());
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
        // before the young generation is settled: the rehearsal's garbage must not start the measured phase's heap
        MeasurementStart.rehearse(spec.serverPids());
        YoungGeneration.Collected youngGc = MemoryPeaks.settleYoungGeneration();
        CompilerThreads.awaitQuiet();
        ProtocolLog.measuredPhaseStarts();
        Measured settled = measurement.take(Phase.SETTLED);
        return new Results(counted, settled, settling.moved(), settling.quiet(), youngGc);
    }
}
