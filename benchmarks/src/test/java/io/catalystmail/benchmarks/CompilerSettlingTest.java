package io.catalystmail.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settling rule on a scripted clock and compiler: each batch lasts one second and costs the compiler given ticks. */
class CompilerSettlingTest {

    private long nanos;
    private long compilerTicks;

    private CompilerSettling settling(int batch, int countedWarmup) {
        return new CompilerSettling(batch, countedWarmup, () -> Map.of("C2 CompilerThread0", compilerTicks),
                () -> nanos);
    }

    /** Moves batches, the n-th costing {@code ticksPerBatch[n]} compiler ticks (10 ms each) of its one second. */
    private CompilerSettling.Batch batches(int... ticksPerBatch) {
        int[] n = { 0 };
        return count -> {
            compilerTicks += ticksPerBatch[Math.min(n[0]++, ticksPerBatch.length - 1)];
            nanos += TimeUnit.SECONDS.toNanos(1);
        };
    }

    @Test
    void twoQuietBatchesInARowEndItAndABusyOneInBetweenStartsTheCountAgain() throws Exception {
        CompilerSettling settling = settling(100, 10_000);
        List<Integer> refilled = new ArrayList<>();

        // 3 % of a second is 3 ticks: 20 busy, 3 quiet, 5 busy, 0 quiet, 3 quiet
        settling.run(batches(20, 3, 5, 0, 3, 50), refilled::add);

        assertEquals(500, settling.moved());
        assertTrue(settling.quiet());
        assertEquals(List.of(100, 100, 100, 100, 100), refilled, "each batch is put back once, after it");
    }

    @Test
    void aShortBatchIsQuietWithOneTickOfTheCompilerButNotWithTwo() throws Exception {
        // the wire's 1,000 messages at 3,000 msg/s: 3 % of a third of a second is less than one 10 ms tick
        long third = TimeUnit.MILLISECONDS.toNanos(300);
        CompilerSettling oneTick = settling(1000, 2000);
        oneTick.run(count -> {
            compilerTicks += 1;
            nanos += third;
        }, count -> { });
        CompilerSettling twoTicks = settling(1000, 2000);
        twoTicks.run(count -> {
            compilerTicks += 2;
            nanos += third;
        }, count -> { });

        assertTrue(oneTick.quiet());
        assertEquals(2000, oneTick.moved());
        assertFalse(twoTicks.quiet(), "6.7 % of the batch");
        assertEquals(4000, twoTicks.moved(), "left at the cap");
    }

    @Test
    void aCompilerThatStaysBusyIsLeftAtTwiceTheCountedWarmUp() throws Exception {
        CompilerSettling settling = settling(300, 1000);

        settling.run(batches(4), count -> { });

        assertEquals(1800, settling.moved(), "the batch after 1,800 would pass 2,000");
        assertFalse(settling.quiet());
    }

    @Test
    void aCompilerThatStaysBusyIsLeftAfterTwoMinutes() throws Exception {
        CompilerSettling settling = settling(10, 1_000_000);
        CompilerSettling.Batch minute = count -> {
            compilerTicks += 1000;
            nanos += TimeUnit.SECONDS.toNanos(61);
        };

        settling.run(minute, count -> { });

        assertEquals(20, settling.moved());
        assertFalse(settling.quiet());
    }

    @Test
    void withoutTheCompilerThreadsCpuOneBatchIsAllAndNothingIsCalledQuiet() throws Exception {
        CompilerSettling settling = new CompilerSettling(100, 10_000, () -> null, () -> nanos);

        settling.run(batches(0), count -> { });

        assertEquals(100, settling.moved());
        assertFalse(settling.quiet());
    }
}
