package io.catalystmail.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** The peak heap and resident set a measured JVM reports, kept apart from the harness's own garbage. */
final class MemoryPeaks {

    private MemoryPeaks() {
    }

    /**
     * Peak heap and peak RSS of the component's own work, before the harness's garbage ({@link YoungGeneration});
     * {-1, -1} until then. That garbage grows the young generation to its full size (the wire's client peaked at
     * 229 MiB of heap instead of 20 after it), which says nothing about what a component needs.
     */
    private static final long[] ownPeaks = { -1, -1 };

    /**
     * {@link YoungGeneration#settle()}, with the heap and RSS peaks taken before it; the heap pools' peaks start again
     * after it, so the measured messages' own peak still counts. The RSS peak cannot start again below the pages the
     * garbage left resident: the settled measurement's is not known, and the one before the garbage is reported.
     */
    static YoungGeneration.Collected settleYoungGeneration() throws IOException {
        ownPeaks[0] = peakHeap();
        ownPeaks[1] = peakRss();
        YoungGeneration.Collected collected = YoungGeneration.settle();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        return collected;
    }

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

    /** The peak heap to report: the component's own work's, or the measured messages' after the settling, if higher. */
    static long reportedHeap() {
        return Math.max(peakHeap(), ownPeaks[0]);
    }

    /** The peak RSS to report: the one before the harness's garbage when there was a settling ({@link #ownPeaks}). */
    static long reportedRss() throws IOException {
        return ownPeaks[1] >= 0 ? ownPeaks[1] : peakRss();
    }
}
