package io.catalystmail.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompilationSummaryTest {

    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    private static CompilationSummary.Compilation compiled(long startMillis, long millis, int level, String method) {
        return new CompilationSummary.Compilation(T0.plusMillis(startMillis), Duration.ofMillis(millis), level, 1000, 100,
                method);
    }

    @Test
    void onlyCompilationsOverlappingTheMeasuredPhaseCountAndTheLongestComesFirst() {
        List<CompilationSummary.Compilation> all = List.of(
                compiled(0, 500, 4, "a.warm.Up.before"),               // ended before the phase
                compiled(900, 300, 4, "org.example.Parser.next"),      // queued in the warm-up, finished inside
                compiled(1500, 20, 3, "org.example.Parser.field"),
                compiled(1600, 700, 4, "io.catalystmail.camel.mime.PartReader.read"),
                compiled(3100, 50, 4, "a.after.Phase.stop"));          // after the phase
        String report = CompilationSummary.report(all, T0.plusMillis(1000), T0.plusMillis(3000), 10);

        assertTrue(report.startsWith("Measured phase: 2.00 s; 3 compilations overlap it, 1.02 s"), report);
        assertFalse(report.contains("before") || report.contains("after"), report);
        assertTrue(report.indexOf("PartReader.read") < report.indexOf("Parser.next")
                   && report.indexOf("Parser.next") < report.indexOf("Parser.field"), report);
        assertTrue(report.contains("    1.000 s  C2 (tier 4)") && report.contains("    0.020 s  C1 (tier 3)"), report);
        assertTrue(report.contains("    0.700 s  io.catalystmail.camel.mime") && report.contains("    0.320 s  org.example"),
                report);
    }

    @Test
    void theCausesTellFirstCompilationsFromRecompilationsAndLateProfilingAndCountDeoptimizationsInThePhase() {
        List<CompilationSummary.Compilation> all = List.of(
                compiled(100, 10, 2, "our.Reader.read"),                // tier 2 through the warm-up...
                compiled(1200, 30, 3, "our.Reader.read"),               // ...profiled only in the phase
                compiled(200, 10, 3, "our.Parser.next"),
                compiled(1300, 400, 4, "our.Parser.next"),              // first C2 compile, in the phase
                compiled(300, 50, 4, "java.util.TreeMap.put"),
                compiled(1500, 60, 4, "java.util.TreeMap.put"));        // again at tier 4: deoptimised before
        List<CompilationSummary.Deoptimization> deopts = List.of(
                new CompilationSummary.Deoptimization(T0.plusMillis(500), "java.util.TreeMap.put", "class_check",
                        "maybe_recompile"),
                new CompilationSummary.Deoptimization(T0.plusMillis(1400), "java.util.TreeMap.compare", "class_check",
                        "maybe_recompile", "our.Parser.next (tier 4)"));

        String causes = CompilationSummary.causes(all, deopts, T0.plusMillis(1000), T0.plusMillis(3000), 10);

        assertTrue(causes.contains("    0.430 s  in 2 first compilations"), causes);
        assertTrue(causes.contains("    0.060 s  in 1 compilations at a tier the method had reached before"), causes);
        assertTrue(causes.contains("again: java.util.TreeMap.put at tier 4"), causes);
        assertTrue(causes.contains("        1  methods profiled (tier 3) only in the phase"), causes);
        assertTrue(causes.contains("Deoptimizations in the phase: 1 (2 in the whole recording)"), causes);
        assertTrue(causes.contains("        1  java.util.TreeMap.compare class_check (maybe_recompile) in the code of"
                + " our.Parser.next (tier 4)"), causes);
        assertFalse(causes.contains("TreeMap.put class_check"), causes);
    }

    @Test
    void theMeasuredPhaseIsFoundInARecordingWrittenWithTheHarnessSettings(@TempDir Path dir) throws Exception {
        Path settings = CompilationSummary.settingsFile(dir);
        Path file = dir.resolve("run.jfr");
        try (Recording recording = new Recording(Configuration.create(settings))) {
            recording.start();
            MeasuredPhase phase = new MeasuredPhase("COLD");
            phase.begin();
            phase.commit();
            recording.stop();
            recording.dump(file);
        }

        String summary = CompilationSummary.summarize(file, 5);

        assertTrue(summary.startsWith("Measured phase: "), summary);
        assertEquals("No measured phase in " + settings + " (the run failed before it, or it was not profiled)\n",
                CompilationSummary.summarize(emptyRecording(settings, dir.resolve("empty.jfr")), 5)
                        .replace(dir.resolve("empty.jfr").toString(), settings.toString()));
        assertTrue(Files.readString(settings).contains("<setting name=\"threshold\">0 ms</setting>"));
    }

    @Test
    void aRunMeasuredTwiceGetsAReportForEachMeasurementInTheOrderTheyRan(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.jfr");
        try (Recording recording = new Recording(Configuration.create(CompilationSummary.settingsFile(dir)))) {
            recording.start();
            for (String name : new String[] { "COUNTED", "SETTLED" }) {
                MeasuredPhase phase = new MeasuredPhase(name);
                phase.begin();
                phase.commit();
            }
            recording.stop();
            recording.dump(file);
        }

        String summary = CompilationSummary.summarize(file, 5);

        int counted = summary.indexOf("==== COUNTED ====\nMeasured phase: ");
        int settling = summary.indexOf("==== " + CompilationSummary.SETTLING + " ====\n");
        int settled = summary.indexOf("==== SETTLED ====\nMeasured phase: ");
        assertTrue(counted >= 0 && settling > counted && settled > settling, summary);
        assertEquals(3, summary.split("Deoptimizations in the phase", -1).length - 1, summary);
    }

    @Test
    void theSettlingBetweenTheTwoMeasurementsIsReportedAsAPhaseOfItsOwn() {
        java.util.Map<String, Instant[]> phases = new java.util.LinkedHashMap<>();
        phases.put("COUNTED", new Instant[] { T0.plusMillis(1000), T0.plusMillis(2000) });
        phases.put("SETTLED", new Instant[] { T0.plusMillis(9000), T0.plusMillis(9500) });

        CompilationSummary.addSettling(phases);

        Instant[] settling = phases.get(CompilationSummary.SETTLING);
        assertEquals(T0.plusMillis(2000), settling[0]);
        assertEquals(T0.plusMillis(9000), settling[1]);
        String report = CompilationSummary.report(List.of(compiled(5000, 240, 4, "io.catalystmail.camel.mime.MessageMapper.mapParts"),
                compiled(5100, 80, 4, "org.apache.camel.impl.engine.CamelInternalProcessor.process")),
                settling[0], settling[1], 10);
        assertTrue(report.contains("By owner:\n    0.240 s  ours (io.catalystmail)\n    0.080 s  Camel (org.apache.camel)\n"),
                report);
    }

    @Test
    void aRunMeasuredOnceHasNoSettling() {
        java.util.Map<String, Instant[]> phases = new java.util.LinkedHashMap<>();
        phases.put("COLD", new Instant[] { T0, T0.plusMillis(1000) });

        CompilationSummary.addSettling(phases);

        assertEquals(java.util.Set.of("COLD"), phases.keySet());
    }

    @Test
    void aMethodsOwnerIsTheComponentCamelTheJdkOrTheHarness() {
        assertEquals("ours (io.catalystmail)", CompilationSummary.ownerOf("io.catalystmail.camel.FetchedRound$$Lambda$315+0x00007f3f74276bc0.onMessage"));
        assertEquals("harness (io.catalystmail.benchmarks)", CompilationSummary.ownerOf("io.catalystmail.benchmarks.CountingSink.write"));
        assertEquals("Camel (org.apache.camel)", CompilationSummary.ownerOf("org.apache.camel.support.DefaultMessage.getHeader"));
        assertEquals("JDK", CompilationSummary.ownerOf("java.util.TreeMap.merge"));
        assertEquals("JDK", CompilationSummary.ownerOf("sun.nio.ch.NioSocketImpl.implRead"));
        assertEquals("other libraries", CompilationSummary.ownerOf("jakarta.activation.DataHandler.getInputStream"));
    }

    private static Path emptyRecording(Path settings, Path file) throws Exception {
        try (Recording recording = new Recording(Configuration.create(settings))) {
            recording.start();
            recording.stop();
            recording.dump(file);
        }
        return file;
    }

    @Test
    void aMethodIsCountedInItsClasssPackage() {
        assertEquals("org.apache.james.mime4j.stream", CompilationSummary.packageOf("org.apache.james.mime4j.stream.MimeEntity.advance"));
        assertEquals("java.util", CompilationSummary.packageOf("java.util.TreeMap$Entry.setValue"));
    }
}
