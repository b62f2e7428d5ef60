package io.catalystmail.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The warm-up after the counted one, the same rule for every workload and component: more batches, until two batches
 * in a row kept the JIT compiler's threads busy for at most {@value #SETTLED_COMPILER_SHARE_PERCENT} % of their wall
 * time ({@link #quiet}); for at most {@value #MAX_SECONDS} s and {@value #MAX_WARMUPS} times the counted warm-up's
 * messages. A count alone does not make a JVM steady: on two shared cores a one-thread sender still compiled for
 * 1.4 ms per message after 2,000 warm-up messages, and IMAP consume still had 0.75 s of compiler wall time in a 0.79 s
 * measured poll after 2,000 (issue 19), while methods called once per message only then crossed C2's thresholds. The
 * cap on messages keeps a server's queue from still delivering the extra mail during the measured run (an 8-thread
 * sender sent 20,600 extra in 120 s at load 27).
 */
final class CompilerSettling {

    static final int SETTLED_COMPILER_SHARE_PERCENT = 3;
    static final int MAX_SECONDS = 120;
    static final int MAX_WARMUPS = 2;
    private static final int QUIET_BATCHES = 2;

    /** Moves {@code count} messages (sends, or consumes in polls) as the warm-up does. */
    @FunctionalInterface
    interface Batch {
        void move(int count) throws Exception;
    }

    private final int batchSize;
    private final int maxMessages;
    private final Supplier<Map<String, Long>> compilerTicks;
    private final LongSupplier nanoClock;
    private final long giveUp;
    private int moved;
    private int quietBatches;
    private boolean blind;

    /**
     * @param batchSize     messages per batch: with the compiler's CPU counted in 10 ms ticks, a batch of well under
     *                      a second is judged more leniently than 3 % ({@link #quiet})
     * @param countedWarmup the counted warm-up's messages, which bound the extra ones
     */
    CompilerSettling(int batchSize, int countedWarmup) {
        this(batchSize, countedWarmup, CompilerThreads::ticks, System::nanoTime);
    }

    CompilerSettling(int batchSize, int countedWarmup, Supplier<Map<String, Long>> compilerTicks, LongSupplier nanoClock) {
        this.batchSize = batchSize;
        this.maxMessages = countedWarmup * MAX_WARMUPS;
        this.compilerTicks = compilerTicks;
        this.nanoClock = nanoClock;
        this.giveUp = nanoClock.getAsLong() + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
    }

    /**
     * Moves batches through {@code warmUp}, judging the compiler over each, and after each batch, unjudged, calls
     * {@code refill} (a consume workload puts as many messages back into the mailbox, so the measured poll meets
     * the mailbox the counted warm-up left).
     */
    void run(Batch warmUp, Batch refill) throws Exception {
        while (!blind && quietBatches < QUIET_BATCHES && nanoClock.getAsLong() < giveUp
               && moved + batchSize <= maxMessages) {
            Map<String, Long> before = compilerTicks.get();
            long started = nanoClock.getAsLong();
            warmUp.move(batchSize);
            double batchSeconds = (nanoClock.getAsLong() - started) / 1e9;
            double compilerSeconds = CompilerThreads.secondsBetween(before, compilerTicks.get());
            moved += batchSize;
            refill.move(batchSize);
            // no /proc: the counted warm-up is all there is
            blind = compilerSeconds < 0;
            quietBatches = quiet(compilerSeconds, batchSeconds) ? quietBatches + 1 : 0;
        }
    }

    /**
     * At most {@value #SETTLED_COMPILER_SHARE_PERCENT} % of the batch's wall time, give or take the one clock tick
     * the compiler's CPU is counted in: a thread's tick count grows by a whole 10 ms tick when the timer finds it
     * running, however little of that tick it ran. Without that tick a batch shorter than 0.33 s (the wire's 1,000
     * messages at 3,000 msg/s) could never be quiet, 3 % of it being less than one tick, and settled at the cap.
     */
    static boolean quiet(double compilerSeconds, double batchSeconds) {
        double tick = 1.0 / ProcStat.TICKS_PER_SECOND;
        return compilerSeconds < batchSeconds * SETTLED_COMPILER_SHARE_PERCENT / 100 + tick;
    }

    /** Messages moved in batches so far. */
    int moved() {
        return moved;
    }

    /** True when the rule was met (the compiler went quiet), false when a cap ended the batches. */
    boolean quiet() {
        return !blind && quietBatches >= QUIET_BATCHES;
    }
}
