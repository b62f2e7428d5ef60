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

    @Test
    void everyWorkloadRunsForBothComponentsAndTheTableIsWritten(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("RESULTS.md");
        // GreenMail answers IMAP commands slowly (tens of ms each), so a handful of messages keeps this short
        BenchmarkOptions options = BenchmarkOptions.parse("--messages", "5", "--rounds", "1", "--large-mailbox", "12",
                "--large-attachment-mb", "1", "--timeout", "120", "--output", output.toString(),
                "--work-dir", dir.resolve("work").toString());

        ResultTable table = BenchmarkDriver.run(options, "smoke test");

        String written = Files.readString(output);
        assertTrue(written.contains("## Embedded GreenMail"), written);
        assertTrue(written.contains("- Machine: "), written);
        for (Workload workload : Workload.values()) {
            for (ComponentUnderTest component : ComponentUnderTest.values()) {
                assertTrue(written.contains("| " + workload.name() + " | " + component.label() + " |"),
                        "no row for " + workload + " / " + component.label() + " in\n" + written);
            }
        }
        // camel-mail is the harness's reference: every workload must work with it; a catalystmail run may fail,
        // but then the table must say why
        for (RunResult run : table.results()) {
            if (!run.ok()) {
                assertTrue(written.contains(run.failure().substring(0, Math.min(40, run.failure().length()))),
                        "the failure of " + run.workload() + " / " + run.component().label() + " is not in the table");
            }
        }
        List<RunResult> camelMail = table.results().stream()
                .filter(r -> r.component() == ComponentUnderTest.CAMEL_MAIL).toList();
        assertEquals(Workload.values().length, camelMail.size());
        for (RunResult run : camelMail) {
            assertTrue(run.ok(), run.workload() + " failed for camel-mail: " + run.failure());
            assertEquals(run.workload().largeAttachment() ? 1 : 5, run.messages(), run.workload().name());
            assertTrue(run.peakHeap() > 0 && run.peakRss() > 0, run.workload().name());
        }
    }
}
