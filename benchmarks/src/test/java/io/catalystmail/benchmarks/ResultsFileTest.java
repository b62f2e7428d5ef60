package io.catalystmail.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsFileTest {

    private static final RunResult.WarmUp SETTLED = new RunResult.WarmUp(2000, 400, true, true,
            new YoungGeneration.Collected(3, 2, true));

    @Test
    void aNewRunReplacesOnlyTheSectionOfItsOwnServer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("RESULTS.md");
        Files.writeString(file, "# Benchmark results\n\nintro\n\n<!-- results:real -->\n## Real servers\nold real figures\n"
                                + "<!-- end results:real -->\n<!-- results:greenmail -->\nold greenmail figures\n"
                                + "<!-- end results:greenmail -->\n");
        BenchmarkOptions options = BenchmarkOptions.parse("--messages", "3");
        ResultTable table = new ResultTable(java.util.List.of(Workload.SMTP_SEND),
                java.util.List.of(ComponentUnderTest.CATALYSTMAIL, ComponentUnderTest.CAMEL_MAIL), "");
        table.add(new RunResult(ComponentUnderTest.CAMEL_MAIL, Workload.SMTP_SEND, 1, 3, 2.0, 0.5, -1, 3 << 20, 6, 0.03, 1000, 0, 1 << 20, 2 << 20, 0, SETTLED, null));
        table.add(new RunResult(ComponentUnderTest.CATALYSTMAIL, Workload.SMTP_SEND, 1, 3, 1.0, 0.4, 0.1, 3 << 20, 3, 0.012, 1000, 0, 1 << 20, 2 << 20, 0, SETTLED, null));

        try (EmbeddedGreenMail server = new EmbeddedGreenMail("example.test", "secret")) {
            ResultsFile.write(file, server, options, "run.sh --messages 3", new BenchmarkDriver.Tables(table,
                    new ResultTable(java.util.List.of(), java.util.List.of(), "")));
        }

        String text = Files.readString(file);
        assertTrue(text.contains("old real figures"), text);
        assertFalse(text.contains("old greenmail figures"), text);
        assertEquals(1, text.split("<!-- results:greenmail -->", -1).length - 1, text);
        assertTrue(text.contains("| SMTP_SEND | catalystmail | 3.00 |"), text);
        assertTrue(text.contains("| 2.00× |"), "catalystmail sent twice as fast: " + text);
        assertTrue(text.contains("| 1/1 | 2000 + 400 quiet, 3 young GCs + 2 by harness |"), text);
        assertTrue(text.contains("| 100 | 33.3 |"), "0.4 s of CPU for 3 messages, 0.1 s of it the JIT compiler's, is 100 ms each and 33.3 of the JIT: " + text);
        assertTrue(text.contains("| 1024 | 1000 | 4.00 |"), "3 MiB allocated for 3 messages is 1024 KiB each, 3"
                + " collections of 12 ms in all for 3 messages are 1,000 per 1,000 messages and 4 ms each: " + text);
    }

    @Test
    void theFiguresRightAfterTheCountedWarmUpAreWrittenBesideTheSettledOnesEachWithItsOwnWire(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("RESULTS.md");
        java.util.List<Workload> workloads = java.util.List.of(Workload.IMAP_CONSUME);
        java.util.List<ComponentUnderTest> components = java.util.List.of(ComponentUnderTest.CATALYSTMAIL,
                ComponentUnderTest.WIRE);
        ResultTable settled = new ResultTable(workloads, components, "");
        ResultTable counted = new ResultTable(workloads, components, BenchmarkDriver.COUNTED_HEADING);
        RunResult.WarmUp afterCount = new RunResult.WarmUp(2000, 0, false, false, YoungGeneration.Collected.UNKNOWN);
        RunResult.WarmUp atCap = new RunResult.WarmUp(2000, 5000, false, true, new YoungGeneration.Collected(0, 3, false));
        counted.add(imapConsume(ComponentUnderTest.CATALYSTMAIL, 2.0, afterCount));
        counted.add(imapConsume(ComponentUnderTest.WIRE, 1.0, afterCount));
        settled.add(imapConsume(ComponentUnderTest.CATALYSTMAIL, 1.25, atCap));
        settled.add(imapConsume(ComponentUnderTest.WIRE, 1.0, atCap));

        try (EmbeddedGreenMail server = new EmbeddedGreenMail("example.test", "secret")) {
            ResultsFile.write(file, server, BenchmarkOptions.parse("--messages", "1000"), "run.sh",
                    new BenchmarkDriver.Tables(settled, counted));
        }

        String text = Files.readString(file);
        int settledTable = text.indexOf("### IMAP consume+delete\n");
        int countedTable = text.indexOf("### IMAP consume+delete, right after the counted warm-up\n");
        assertTrue(settledTable >= 0 && countedTable > settledTable, text);
        String settledRows = text.substring(settledTable, countedTable);
        String countedRows = text.substring(countedTable);
        assertTrue(settledRows.contains("| IMAP_CONSUME | catalystmail | 800 |") && settledRows.contains("| 0.80 |"),
                settledRows);
        assertTrue(settledRows.contains("| 1/1 | 2000 + 5000 cap, 0 young GCs + 3 by harness, eden still faulting |"), settledRows);
        assertTrue(countedRows.contains("| IMAP_CONSUME | catalystmail | 500 |") && countedRows.contains("| 0.50 |"),
                countedRows);
        assertTrue(countedRows.contains("| 1/1 | 2000 |"), countedRows);
    }

    private static RunResult imapConsume(ComponentUnderTest component, double seconds, RunResult.WarmUp warmUp) {
        return consumed(Workload.IMAP_CONSUME, component, seconds, 0.5, warmUp);
    }

    private static RunResult consumed(Workload workload, ComponentUnderTest component, double seconds,
                                      double cpuSeconds, RunResult.WarmUp warmUp) {
        return new RunResult(component, workload, 1, 1000, seconds, cpuSeconds, 0.1, 1 << 20, 1, 0.01, 30_000,
                30_000_000, 1 << 20, 2 << 20, 0, warmUp, null);
    }

    @Test
    void theLargeMailboxsCostPerMessageIsSetAgainstThatOfAMailboxOfTheMeasuredSize() {
        ResultTable table = new ResultTable(java.util.List.of(Workload.IMAP_CONSUME, Workload.IMAP_LARGE_MAILBOX,
                Workload.POP3_LARGE_MAILBOX), java.util.List.of(ComponentUnderTest.CATALYSTMAIL), "");
        // 0.4 ms of CPU per message from 1,000, 0.44 from 10,000; 1.1 s against 1.0 s
        table.add(consumed(Workload.IMAP_CONSUME, ComponentUnderTest.CATALYSTMAIL, 1.0, 0.5, SETTLED));
        table.add(consumed(Workload.IMAP_LARGE_MAILBOX, ComponentUnderTest.CATALYSTMAIL, 1.1, 0.54, SETTLED));
        table.add(consumed(Workload.POP3_LARGE_MAILBOX, ComponentUnderTest.CATALYSTMAIL, 1.1, 0.54, SETTLED));

        String text = table.toMarkdown();

        assertTrue(text.contains("### Large mailbox against one of the measured size\n"), text);
        assertTrue(text.contains("| IMAP_LARGE_MAILBOX / IMAP_CONSUME | catalystmail | 1.10× | 1.10× |"), text);
        assertFalse(text.contains("POP3_LARGE_MAILBOX /"), "POP3_CONSUME did not run: " + text);
    }

    @Test
    void aRunWithAnotherHeapKeepsASectionOfItsOwn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("RESULTS.md");
        Files.writeString(file, "# Benchmark results\n\nintro\n\n<!-- results:greenmail -->\nlarge heap figures\n"
                                + "<!-- end results:greenmail -->\n");
        ResultTable table = new ResultTable(java.util.List.of(Workload.SMTP_SEND),
                java.util.List.of(ComponentUnderTest.CATALYSTMAIL), "");
        table.add(new RunResult(ComponentUnderTest.CATALYSTMAIL, Workload.SMTP_SEND, 1, 3, 1.0, 0.4, 0.1, 3 << 20, 3,
                0.012, 1000, 0, 1 << 20, 2 << 20, 0, SETTLED, null));

        try (EmbeddedGreenMail server = new EmbeddedGreenMail("example.test", "secret")) {
            ResultsFile.write(file, server, BenchmarkOptions.parse("--messages", "3", "--heap", "64m"),
                    "run.sh --heap 64m", new BenchmarkDriver.Tables(table, new ResultTable(java.util.List.of(),
                            java.util.List.of(), "")));
        }

        String text = Files.readString(file);
        assertTrue(text.contains("large heap figures"), text);
        assertEquals(1, text.split("<!-- results:greenmail-heap-64m -->", -1).length - 1, text);
    }

    @Test
    void thePasswordIsNotRepeatedInTheCommandLine() {
        assertEquals("--server real --password *** --rounds 2",
                ResultsFile.withoutPassword(new String[] { "--server", "real", "--password", "hunter2", "--rounds", "2" }));
    }
}
