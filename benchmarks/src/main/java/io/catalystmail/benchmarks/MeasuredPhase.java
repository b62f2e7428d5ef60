package io.catalystmail.benchmarks;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * Marks a measured part of a run in its JFR recording (with {@code --profile true}), so that a profile can be cut to
 * the messages the figures are about rather than the warm-up before them. Costs nothing when no recording runs.
 */
@Name(MeasuredPhase.NAME)
@Label("Measured phase")
@Category("Benchmarks")
@Description("The measured messages of a benchmark run, after the warm-up")
final class MeasuredPhase extends Event {

    static final String NAME = "io.catalystmail.benchmarks.MeasuredPhase";

    /** Which measurement of the run: {@link WorkloadMain.Phase}'s name. */
    @Label("Phase")
    String phase;

    MeasuredPhase(String phase) {
        this.phase = phase;
    }

    /**
     * Under a recording ({@code --profile true}), registers this event class and runs its instrumented code once,
     * before anything is measured. JFR rewrites an event class with its bundled ASM when the class is first used, and
     * the C2 compilations that ASM work sets off (jdk.internal.org.objectweb.asm.Frame.execute: 0.2-0.7 s of compiler
     * time in one run) otherwise fell into the first measured phase, for every component. Without a recording this
     * does nothing, so an unprofiled run starts no part of JFR.
     */
    static void registerBeforeMeasuring() {
        if (FlightRecorder.isInitialized()) {
            FlightRecorder.register(MeasuredPhase.class);
            new MeasuredPhase("none").shouldCommit();
        }
    }
}
