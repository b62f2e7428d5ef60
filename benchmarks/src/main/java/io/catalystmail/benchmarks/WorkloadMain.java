package io.catalystmail.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One measured run, in a JVM of its own so that peak heap, RSS and {@code -Xmx} belong to this run alone.
 * Arguments are {@code key=value} pairs (see {@link RunSpec#toArguments()}). Prints one line starting with
 * {@value #RESULT_PREFIX} on success, or {@value #ERROR_PREFIX} and a reason, and exits.
 *
 * <p>First the warm-up messages of the spec are moved, unmeasured, through the route or endpoint then measured, and
 * the JIT compiler is given time to work through what they made hot ({@link CompilerThreads#awaitQuiet()}). Every
 * workload with a warm-up is then measured twice: once right after that counted warm-up ({@link Phase#COUNTED},
 * issue 19's "warm": a JVM that has drained 2,000 messages), and, after more warm-up by {@link CompilerSettling}'s
 * rule and with its young generation settled ({@link YoungGeneration#settle()}), once more ({@link Phase#SETTLED}), as
 * {@link MeasuredPhases} does for each kind of workload: {@link ConsumeWorkload}, {@link SendWorkload} and the raw
 * wire's {@link WireWorkload}, each saying where its clock runs.
 */
public final class WorkloadMain {

    static final String RESULT_PREFIX = "BENCH-RESULT ";
    static final String ERROR_PREFIX = "BENCH-ERROR ";

    private WorkloadMain() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            RunSpec spec = RunSpec.fromArguments(args);
            MeasuredPhase.registerBeforeMeasuring();
            MeasuredPhases.Results results = spec.component() == ComponentUnderTest.WIRE ? WireWorkload.run(spec)
                    : spec.workload().consumes() ? ConsumeWorkload.run(spec) : SendWorkload.run(spec);
            if (results.counted() != null) {
                printResult(spec, results.counted(), 0, false, YoungGeneration.Collected.UNKNOWN);
            }
            printResult(spec, results.last(), results.settling(), results.quiet(), results.youngGc());
        } catch (Throwable e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root != e) {
                reason += " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
            }
            System.out.println(ERROR_PREFIX + reason.replace('\n', ' ').replace('\r', ' '));
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        // Camel's non-daemon threads must not keep the measured JVM alive
        System.exit(status);
    }

    /** Which measurement of a run a result line gives. */
    enum Phase {
        /** No warm-up: the figures include the JIT compiler's warm-up. */
        COLD,
        /** Right after the counted warm-up (issue 19's "warm after 2,000"). */
        COUNTED,
        /** After the counted warm-up and {@link CompilerSettling}'s batches. */
        SETTLED
    }

    private static void printResult(RunSpec spec, Measured measured, int settling, boolean quiet,
                                    YoungGeneration.Collected youngGc) throws IOException {
        System.out.println(RESULT_PREFIX + "phase=" + measured.phase() + " warmup=" + spec.warmup() + " settling="
                           + settling + " quiet=" + quiet + " youngGc=" + youngGc.token() + " seconds="
                           + measured.seconds() + " cpuSeconds="
                           + measured.cpuSeconds() + " jitCpuSeconds=" + measured.jitCpuSeconds() + " serverCpuSeconds="
                           + measured.serverCpuSeconds() + " allocatedBytes="
                           + measured.allocatedBytes() + " minorFaults=" + measured.minorFaults() + " gcCount="
                           + measured.gcCount() + " gcSeconds="
                           + measured.gcSeconds() + " messages=" + measured.messages() + " bytesRead="
                           + measured.bytesRead() + " peakHeap=" + MemoryPeaks.reportedHeap() + " rss="
                           + MemoryPeaks.reportedRss() + " tmpFilesLeft="
                           + countFiles(tmpDir()) + " load=" + measured.load());
    }

    static Path tmpDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Files left below the run's own temp directory once the Camel context has stopped. */
    static long countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** Parses {@code key=value} arguments. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return values;
    }
}
