package io.catalystmail.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short round the default build runs: every workload, both components, embedded GreenMail, a few
 * messages and a small large attachment. It checks that the harness works and writes its table, never speed.
 */
class BenchmarkSmokeTest {

    /**
     * The measured JVMs of a smoke run compile with C1 only: the test checks the harness, never speed, and C2
     * compiling Camel for seconds in each short child JVM was most of its time on two cores (three workloads for
     * both components: 34 s of user CPU with C2, 24 s without, 20 s without and with 64 MiB heaps; load 13-28).
     */
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    @Test
    void everyWorkloadRunsForBothComponentsAndTheTableIsWritten(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("RESULTS.md");
        // GreenMail answers IMAP commands slowly (tens of ms each), so a handful of messages keeps this short
        BenchmarkOptions options = BenchmarkOptions.parse("--messages", "5", "--warmup", "5", "--send-warmup", "2",
                "--rounds", "1", "--large-mailbox", "12", "--large-attachment-mb", "1", "--heap", "64m",
                "--jvm-options", C1_ONLY, "--timeout", "120", "--output", output.toString(),
                "--work-dir", dir.resolve("work").toString());

        BenchmarkDriver.Tables tables = BenchmarkDriver.run(options, "smoke test");
        ResultTable table = tables.last();

        String written = Files.readString(output);
        assertTrue(written.contains("## Embedded GreenMail"), written);
        assertTrue(written.contains("- Machine: "), written);
        assertTrue(written.contains("more JVM options: " + C1_ONLY), "the options are recorded in\n" + written);
        assertTrue(written.contains("×"), "no catalystmail / camel-mail ratio in\n" + written);
        List<ComponentUnderTest> components = List.of(ComponentUnderTest.CATALYSTMAIL, ComponentUnderTest.CAMEL_MAIL);
        for (Workload workload : Workload.values()) {
            for (ComponentUnderTest component : components) {
                assertTrue(written.contains("| " + workload.name() + " | " + component.label() + " |"),
                        "no row for " + workload + " / " + component.label() + " in\n" + written);
            }
        }
        assertEquals(Workload.values().length * components.size(), table.results().size());
        for (RunResult run : table.results()) {
            String which = run.workload() + " / " + run.component().label();
            assertTrue(run.ok(), which + " failed: " + run.failure());
            assertEquals(run.workload().largeAttachment() ? 1 : 5, run.messages(), which);
            assertTrue(run.peakHeap() > 0 && run.peakRss() > 0, which);
        }
        // every workload that warms up is measured twice in its JVM: right after the counted warm-up (one poll of 5, 2
        // sent), then after the measured 5 and, consuming, two settling polls of 5 (twice the counted warm-up; a
        // sending batch of 200 would pass it at once), with its young generation settled
        long warmedRuns = table.results().stream().filter(r -> !r.workload().largeAttachment()).count();
        assertEquals(warmedRuns, tables.counted().results().size());
        for (RunResult run : tables.counted().results()) {
            assertTrue(run.ok(), run.workload() + " / " + run.component().label() + " failed: " + run.failure());
            assertEquals(run.workload().consumes() ? "5" : "2", run.warmUp().describe());
        }
        for (RunResult run : table.results()) {
            if (!run.workload().largeAttachment()) {
                String warmUp = run.warmUp().describe();
                assertTrue(warmUp.startsWith(run.workload().consumes() ? "5 + 15 " : "2 + 5 "), warmUp);
                assertTrue(warmUp.contains(" by harness") && !warmUp.contains("still faulting"), warmUp);
            }
        }
        assertTrue(written.contains("### SMTP send, right after the counted warm-up"), written);
        assertTrue(written.contains("### IMAP consume+delete, right after the counted warm-up"), written);
        assertTrue(written.contains("### POP3 consume+delete from a large mailbox, right after the counted warm-up"),
                written);
    }

    @Test
    void theQuickModeAlternatesCatalystmailAndTheWireAndRunsCamelMailOnceWithoutSettling(@TempDir Path dir)
            throws Exception {
        Path output = dir.resolve("RESULTS.md");
        BenchmarkOptions options = BenchmarkOptions.parse("--messages", "4", "--warmup", "4", "--rounds", "2",
                "--camel-mail-rounds", "1", "--settle", "false", "--workloads", "IMAP_CONSUME",
                "--components", "catalystmail,camel-mail,wire", "--jvm-options", C1_ONLY, "--timeout", "120",
                "--output", output.toString(),
                "--work-dir", dir.resolve("work").toString());

        BenchmarkDriver.Tables tables = BenchmarkDriver.run(options, "smoke test");

        List<RunResult> runs = tables.counted().results();
        // each round's catalystmail and wire run next to each other, the other one first every second round;
        // camel-mail after them, in the first round only
        assertEquals(List.of("catalystmail 1", "wire 1", "camel-mail 1", "wire 2", "catalystmail 2"),
                runs.stream().map(r -> r.component().label() + " " + r.round()).toList());
        for (RunResult run : runs) {
            assertTrue(run.ok(), run.component().label() + " failed: " + run.failure());
            // measured once, right after the counted warm-up: no settling batches, no second measurement
            assertEquals("4", run.warmUp().describe());
            assertTrue(run.load() >= 0, "the load when the run started");
        }
        assertTrue(tables.last().results().isEmpty());
        String written = Files.readString(output);
        assertTrue(written.contains("<!-- results:greenmail-counted -->"), written);
        assertTrue(written.contains("### IMAP consume+delete, right after the counted warm-up\n"), written);
        assertTrue(written.contains("### Round by round, right after the counted warm-up"), written);
        // each catalystmail round has its ratio to the wire of its round
        String roundRow = written.lines().filter(l -> l.startsWith("| IMAP_CONSUME | catalystmail | ")
                && l.contains("),")).findFirst().orElseThrow(() -> new AssertionError(written));
        assertTrue(roundRow.split("\\|")[5].trim().matches("[0-9.]+, [0-9.]+"), roundRow);
    }

    @Test
    void theWireIsMeasuredInTheSameRunAndEachComponentGetsItsRatio(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("RESULTS.md");
        BenchmarkOptions options = BenchmarkOptions.parse("--messages", "4", "--warmup", "4", "--rounds", "1",
                "--workloads", "IMAP_CONSUME,POP3_CONSUME_RAW,POP3_CONSUME", "--components", "catalystmail,wire",
                "--jvm-options", C1_ONLY, "--timeout", "120", "--output", output.toString(),
                "--work-dir", dir.resolve("work").toString());

        BenchmarkDriver.Tables tables = BenchmarkDriver.run(options, "smoke test");
        ResultTable table = tables.last();

        // the raw POP3 workload reads the same bytes as the mapped one: it has no wire run of its own
        assertEquals(5, table.results().size());
        assertEquals(5, tables.counted().results().size());
        for (RunResult run : tables.counted().results()) {
            assertTrue(run.ok(), run.workload() + " / " + run.component().label() + " failed: " + run.failure());
        }
        for (RunResult run : table.results()) {
            assertTrue(run.ok(), run.workload() + " / " + run.component().label() + " failed: " + run.failure());
        }
        String written = Files.readString(output);
        assertTrue(written.contains("| vs wire |"), written);
        assertTrue(written.contains("| IMAP_CONSUME | wire |"), written);
        assertTrue(written.contains("| POP3_CONSUME | wire |"), written);
        assertTrue(written.contains("- Load average when started"), written);
        // every catalystmail row carries a ratio to its wire run (a number in the "vs wire" column)
        for (String line : written.split("\n")) {
            if (line.contains("| catalystmail |")) {
                assertTrue(line.split("\\|")[7].trim().matches("[0-9.]+"), line);
            }
        }
    }
}
