package io.catalystmail.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The JIT compiler's threads of this JVM, seen from outside: their CPU time, and a wait until they have finished
 * nothing for a while. On two shared cores the compiler takes a core from the component and the server alike, so the
 * harness charges its CPU apart and warms up until it is quiet.
 */
final class CompilerThreads {

    private static final long QUIET_MILLIS = 500;
    private static final long WAIT_MILLIS = 15_000;

    private CompilerThreads() {
    }

    /**
     * CPU time (user + system, in clock ticks) of each JIT compiler thread of this JVM by thread id, from
     * /proc/self/task; null where there is no /proc. On a loaded machine the compiler is still working through the
     * warm-up's backlog during the measured run and its CPU (a third of the total in one SMTP run) would otherwise
     * be charged to the component.
     */
    static Map<String, Long> ticks() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return null;
        }
        Map<String, Long> ticks = new HashMap<>();
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                ProcStat stat;
                try {
                    stat = ProcStat.read(thread.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                if (stat.name().startsWith("C1 CompilerThre") || stat.name().startsWith("C2 CompilerThre")) {
                    ticks.put(thread.getFileName().toString(), stat.cpuTicks());
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return ticks;
    }

    /** Compiler CPU seconds between two {@link #ticks()} (threads that ended in between are lost); -1 when unknown. */
    static double secondsBetween(Map<String, Long> before, Map<String, Long> after) {
        if (before == null || after == null) {
            return -1;
        }
        long ticks = 0;
        for (Map.Entry<String, Long> thread : after.entrySet()) {
            ticks += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return ticks / (double) ProcStat.TICKS_PER_SECOND;
    }

    /**
     * Waits until the JIT compiler has finished nothing and its threads have used almost no CPU for
     * {@value #QUIET_MILLIS} ms, at most {@value #WAIT_MILLIS} ms. The warm-up makes the code hot; on two cores the compiler then works through its queue for seconds, which
     * the measured run should not see.
     */
    static void awaitQuiet() throws InterruptedException {
        java.lang.management.CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        long last = compiler.getTotalCompilationTime();
        Map<String, Long> lastTicks = ticks();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < giveUp && System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
            Thread.sleep(50);
            long now = compiler.getTotalCompilationTime();
            Map<String, Long> nowTicks = ticks();
            // the total moves only when a compilation ends: a C2 compile of a large method runs for 0.1-1.8 s on a
            // loaded machine (2026-12-01), long enough to look quiet while the methods queued behind it wait; the
            // compiler threads' CPU (two 10 ms ticks or more in this 50 ms step) shows it working
            boolean working = secondsBetween(lastTicks, nowTicks) >= 2.0 / ProcStat.TICKS_PER_SECOND;
            if (now != last || working) {
                last = now;
                quietSince = System.nanoTime();
            }
            lastTicks = nowTicks;
        }
    }
}
