package io.catalystmail.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

class WarmCurveReportTest {

    private static Map<String, String> poll(int number, long endMs, double seconds, double jit, double jitCycle) {
        return Map.ofEntries(Map.entry("poll", String.valueOf(number)), Map.entry("endMs", String.valueOf(endMs)),
                Map.entry("messages", "1000"), Map.entry("seconds", String.valueOf(seconds)),
                Map.entry("cpuSeconds", "0.3"), Map.entry("jitSeconds", String.valueOf(jit)),
                Map.entry("jitCycleSeconds", String.valueOf(jitCycle)), Map.entry("loadedClasses", "4528"),
                Map.entry("codeCacheBytes", String.valueOf(8L << 20)), Map.entry("load", "3.5"));
    }

    @Test
    void eachPollIsARowWithItsRatioToTheWirePollBeforeItAndTheJitPerMessageOfPollAndCycle(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("curve.jfr");
        try (Recording recording = new Recording(Configuration.create(CompilationSummary.settingsFile(dir)))) {
            recording.start();
            recording.stop();
            recording.dump(file);
        }
        long now = System.currentTimeMillis();
        List<Map<String, String>> polls = List.of(poll(1, now - 3000, 0.5, 0.2, 0.4), poll(2, now - 2000, 0.25, 0.1, 0.1),
                poll(3, now - 1000, 0.2, 0.0, 0.02));
        List<double[]> wire = List.of(new double[] { 0.1, 3 }, new double[] { 0.2, 3 }, new double[] { 0.2, 3 });

        String report = WarmCurveReport.write(Workload.Protocol.IMAP, polls, wire, file, "polls=3");

        assertTrue(report.startsWith("### IMAP: 3 polls in one JVM (polls=3)"), report);
        // 1,000 messages: 2,000 msg/s against the wire's 10,000; CPU 0.3 s less the JIT's 0.2 s
        assertTrue(report.contains("| 1 | 1,000 | 2,000 | 10,000 | 0.20 | 0.100 | 0.200 | 0.400 |"), report);
        assertTrue(report.contains("| 3 | 3,000 | 5,000 | 5,000 | 1.00 | 0.300 | 0.000 | 0.020 |"), report);
        assertTrue(report.contains("| 4528 | 8,192 | 3.5 |"), report);
        // the median of 0.20, 0.80 and 1.00
        assertTrue(report.contains("Ratio, rolling median of 3 polls: 3:0.80\n"), report);
    }
}
