package io.catalystmail.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short round the default build runs: every workload, both components, embedded GreenMail, a few
 * messages and a small large attachment. It checks that the harness works and writes its table, never speed.
 */
class BenchmarkSmokeTest {

    @Test
    void everyWorkloadRunsForBothComponentsAndTheTableIsWritten(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("RESULTS.md");
        // GreenMail answers IMAP commands slowly (tens of ms each), so a handful of messages keeps this short
        BenchmarkOptions options = BenchmarkOptions.parse("--messages", "5", "--warmup", "3", "--send-warmup", "2", "--rounds", "1", "--large-mailbox", "12",
                "--large-attachment-mb", "1", "--timeout", "120", "--output", output.toString(),
                "--work-dir", dir.resolve("work").toString());

        ResultTable table = BenchmarkDriver.run(options, "smoke test");

        String written = Files.readString(output);
        assertTrue(written.contains("## Embedded GreenMail"), written);
        assertTrue(written.contains("- Machine: "), written);
        assertTrue(written.contains("×"), "no catalystmail / camel-mail ratio in\n" + written);
        for (Workload workload : Workload.values()) {
            for (ComponentUnderTest component : ComponentUnderTest.values()) {
                assertTrue(written.contains("| " + workload.name() + " | " + component.label() + " |"),
                        "no row for " + workload + " / " + component.label() + " in\n" + written);
            }
        }
        assertEquals(Workload.values().length * ComponentUnderTest.values().length, table.results().size());
        for (RunResult run : table.results()) {
            String which = run.workload() + " / " + run.component().label();
            assertTrue(run.ok(), which + " failed: " + run.failure());
            assertEquals(run.workload().largeAttachment() ? 1 : 5, run.messages(), which);
            assertTrue(run.peakHeap() > 0 && run.peakRss() > 0, which);
        }
    }
}
