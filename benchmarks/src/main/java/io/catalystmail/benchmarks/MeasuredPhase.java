package io.catalystmail.benchmarks;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
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
}
