package io.catalystmail.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The young generation of this JVM, as far as a settled measurement cares: until it has been used up and collected
 * at its steady size, new objects land on heap pages the process touches for the first time, and on this VM each
 * fresh 4 KiB page costs about 25 µs (a page fault and zeroing), charged to whatever allocates. A long-running
 * service allocates into pages its earlier collections freed. So before a settled measurement, every component
 * alike, the young generation has been collected at least once and then gone through one whole cycle (collection to
 * collection) that touched almost no fresh page ({@link #settle()}): the harness allocates short-lived garbage of its
 * own for that, as a component that allocates little (the wire's client) would never get there, and one that
 * allocates much may still meet fresh pages after several collections (G1 grows the young generation as it learns
 * that its pauses are short: a one-thread SMTP sender still faulted on every page it allocated after 4 collections).
 */
final class YoungGeneration {

    /**
     * How the young generation came to be collected before a settled measurement: {@code byComponent} collections
     * before the harness stepped in, {@code byHarness} more of the harness's garbage, {@code warm} when the last whole
     * cycle touched almost no fresh page (false: a cap ended the cycles first).
     */
    record Collected(long byComponent, int byHarness, boolean warm) {

        /** No collector says what it did: nothing to claim. */
        static final Collected UNKNOWN = new Collected(-1, 0, false);

        /** For the warm-up column: "6 young GCs + 2 by harness", or "... , eden still faulting". */
        String describe() {
            if (byComponent < 0) {
                return "young GCs unknown";
            }
            return byComponent + " young GC" + (byComponent == 1 ? "" : "s") + " + " + byHarness + " by harness"
                   + (warm ? "" : ", eden still faulting");
        }

        /** The form of a result line, which {@link #parse(String)} reads back. */
        String token() {
            return byComponent + ":" + byHarness + ":" + warm;
        }

        static Collected parse(String token) {
            if (token == null || token.split(":").length != 3) {
                return UNKNOWN;
            }
            String[] parts = token.split(":");
            return new Collected(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), Boolean.parseBoolean(parts[2]));
        }
    }

    /** Chunks of garbage the harness allocates: small enough for eden (not humongous in G1's 1 MiB regions). */
    private static final int CHUNK_BYTES = 256 * 1024;
    private static final long PAGE_BYTES = 4096;
    /** A cycle is warm when its page faults cover at most this share of the bytes it allocated. */
    private static final int FRESH_PAGES_PERCENT = 5;
    private static final int MAX_CYCLES = 8;
    private static final long MAX_SECONDS = 30;

    /** Keeps the JIT compiler from proving the garbage dead and dropping its allocation. */
    private static volatile byte[] sink;

    private YoungGeneration() {
    }

    /**
     * Collections of the young generation since the JVM started (G1's, Parallel's and Serial's young collectors
     * by name; any collector's where none is known, as a full collection also empties the young generation), or
     * -1 when a collector does not say.
     */
    static long collectionsSoFar() {
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        List<GarbageCollectorMXBean> young = collectors.stream().filter(YoungGeneration::collectsYoung).toList();
        long count = 0;
        for (GarbageCollectorMXBean collector : young.isEmpty() ? collectors : young) {
            if (collector.getCollectionCount() < 0) {
                return -1;
            }
            count += collector.getCollectionCount();
        }
        return count;
    }

    private static boolean collectsYoung(GarbageCollectorMXBean collector) {
        String name = collector.getName().toLowerCase(Locale.ROOT);
        return name.contains("young") || name.contains("scavenge") || name.equals("copy") || name.contains("minor");
    }

    /** Minor page faults of this process so far (field 10 of /proc/self/stat), or -1 where there is no /proc. */
    static long minorFaultsSoFar() {
        try {
            return ProcStat.read(Path.of("/proc/self/stat")).minorFaults();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Allocates garbage up to the next young collection (the one under way when there is none yet), then whole cycles
     * from collection to collection until one faulted on at most {@value #FRESH_PAGES_PERCENT} % of the pages it
     * allocated; at most {@value #MAX_CYCLES} cycles and {@value #MAX_SECONDS} s (eden is a few hundred MiB at most
     * with the benchmark's heaps). Without /proc one collection is all it can make sure of.
     */
    static Collected settle() {
        long byComponent = collectionsSoFar();
        if (byComponent < 0) {
            return Collected.UNKNOWN;
        }
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
        fillUntilCollection(giveUp);
        int cycles = 1;
        boolean warm = false;
        while (!warm && cycles < MAX_CYCLES && System.nanoTime() < giveUp && minorFaultsSoFar() >= 0) {
            long faults = minorFaultsSoFar();
            long allocated = fillUntilCollection(giveUp);
            warm = (minorFaultsSoFar() - faults) * PAGE_BYTES * 100 <= allocated * FRESH_PAGES_PERCENT;
            cycles++;
        }
        sink = null;
        return new Collected(byComponent, (int) (collectionsSoFar() - byComponent), warm);
    }

    /** Allocates chunks until the young generation has been collected once more; returns the bytes allocated. */
    private static long fillUntilCollection(long giveUp) {
        long before = collectionsSoFar();
        long allocated = 0;
        while (collectionsSoFar() == before && System.nanoTime() < giveUp) {
            sink = new byte[CHUNK_BYTES];
            allocated += CHUNK_BYTES;
        }
        return allocated;
    }
}
