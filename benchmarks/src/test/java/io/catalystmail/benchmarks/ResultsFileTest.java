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
        BenchmarkOptions options = BenchmarkOptions.parse("--messages", "4");
        ResultTable table = new ResultTable(java.util.List.of(Workload.SMTP_SEND),
                java.util.List.of(ComponentUnderTest.CATALYSTMAIL, ComponentUnderTest.CAMEL_MAIL), "");
        table.add(new RunResult(ComponentUnderTest.CAMEL_MAIL, Workload.SMTP_SEND, 1, 3, 2.0, 0.5, -1, 3 << 20, 6, 0.03, 1000, 0, 1 << 20, 2 << 20, 0, SETTLED, null));
        table.add(new RunResult(ComponentUnderTest.CATALYSTMAIL, Workload.SMTP_SEND, 1, 3, 1.0, 0.4, 0.1, 3 << 20, 3, 0.012, 1000, 0, 1 << 20, 2 << 20, 0, SETTLED, null));

        try (EmbeddedGreenMail server = new EmbeddedGreenMail("example.test", "secret")) {
            ResultsFile.write(file, server, options, "run.sh --messages 4", new BenchmarkDriver.Tables(table,
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
        String text = writtenBesideAnEarlierSection(dir.resolve("RESULTS.md"), "", SETTLED, "--messages", "4",
                "--heap", "64m");

        assertTrue(text.contains("earlier figures"), text);
        assertEquals(1, text.split("<!-- results:greenmail-heap-64m -->", -1).length - 1, text);
    }

    /**
     * Writes one SMTP row, measured after {@code warmUp}, with the options {@code args} into a results file that
     * holds the section "greenmail" with "earlier figures"; returns the file's text.
     */
    private static String writtenBesideAnEarlierSection(Path file, String headingSuffix, RunResult.WarmUp warmUp,
                                                        String... args) throws Exception {
        Files.writeString(file, "# Benchmark results\n\nintro\n\n<!-- results:greenmail -->\nearlier figures\n"
                                + "<!-- end results:greenmail -->\n");
        ResultTable table = new ResultTable(java.util.List.of(Workload.SMTP_SEND),
                java.util.List.of(ComponentUnderTest.CATALYSTMAIL), headingSuffix);
        table.add(new RunResult(ComponentUnderTest.CATALYSTMAIL, Workload.SMTP_SEND, 1, 3, 1.0, 0.4, 0.1, 3 << 20, 3,
                0.012, 1000, 0, 1 << 20, 2 << 20, 0, warmUp, null));
        try (EmbeddedGreenMail server = new EmbeddedGreenMail("example.test", "secret")) {
            ResultsFile.write(file, server, BenchmarkOptions.parse(args), "run.sh " + String.join(" ", args),
                    new BenchmarkDriver.Tables(table, new ResultTable(java.util.List.of(), java.util.List.of(), "")));
        }
        return Files.readString(file);
    }

    @Test
    void severalRoundsAreShownRoundByRoundEachAgainstTheWireOfItsOwnRound() {
        java.util.List<Workload> workloads = java.util.List.of(Workload.POP3_CONSUME);
        ResultTable table = new ResultTable(workloads, java.util.List.of(ComponentUnderTest.CATALYSTMAIL,
                ComponentUnderTest.WIRE), BenchmarkDriver.COUNTED_HEADING);
        RunResult.WarmUp afterCount = new RunResult.WarmUp(2000, 0, false, false, YoungGeneration.Collected.UNKNOWN);
        // round 1 met a fast wire (2,000 msg/s), round 2 a slow one (1,000): the paired ratios are 0.50 and 0.80,
        // the ratio of the medians (900 / 1,500 = 0.60) is neither
        double[][] rounds = { { 1.0, 0.5, 0.3 }, { 1.25, 1.0, 0.25 } }; // catalystmail s, wire s, server CPU s
        for (int round = 1; round <= 2; round++) {
            double[] r = rounds[round - 1];
            table.add(roundOf(ComponentUnderTest.CATALYSTMAIL, round, r[0], r[2], afterCount));
            table.add(roundOf(ComponentUnderTest.WIRE, round, r[1], r[2] - 0.05, afterCount));
        }

        String text = table.toMarkdown();

        assertTrue(text.contains("### Round by round, right after the counted warm-up\n"), text);
        assertTrue(text.contains("| POP3_CONSUME | catalystmail | 1000 (1.50), 800 (2.50) | 900 (800–1000) | 0.50,"
                + " 0.80 | 0.65 (0.50–0.80) |  | 0.20, 0.20 | 0.30, 0.25 |"), text);
        // the headline "vs wire" is the median of the pairs' ratios too, not the ratio of the medians (0.60)
        assertTrue(text.contains("| POP3_CONSUME | catalystmail | 900 | 25.7 | 1.11 |  | 0.65 (0.50–0.80) | "), text);
        assertTrue(text.contains("| POP3_CONSUME | wire | 2000 (1.50), 1000 (2.50) | 1500 (1000–2000) |  | – |"), text);
        assertTrue(text.contains("| JIT ms/msg | server CPU ms/msg |"), text);
        assertTrue(text.contains("| 0.10 | 0.30 |"), "the server's 0.30 and 0.25 ms/msg (upper median): " + text);
    }

    private static RunResult roundOf(ComponentUnderTest component, int round, double seconds,
                                     double serverCpuSeconds, RunResult.WarmUp warmUp) {
        return roundOf(component, round, seconds, serverCpuSeconds, warmUp, round + 0.5);
    }

    private static RunResult roundOf(ComponentUnderTest component, int round, double seconds,
                                     double serverCpuSeconds, RunResult.WarmUp warmUp, double load) {
        return new RunResult(component, Workload.POP3_CONSUME, round, 1000, seconds, 0.3, 0.1, 1 << 20, 1, 0.01,
                30_000, 30_000_000, 1 << 20, 2 << 20, 0, warmUp, null, serverCpuSeconds, load);
    }

    @Test
    void aPairWhoseRunsMetLoadsFarApartIsFlagged() {
        ResultTable table = new ResultTable(java.util.List.of(Workload.POP3_CONSUME), java.util.List.of(
                ComponentUnderTest.CATALYSTMAIL, ComponentUnderTest.WIRE), "");
        // loads (catalystmail, wire): 0.2 / 0.9 moved by less than 1; 20 / 26 by less than 1.5 times; 1.0 / 2.2 by both
        double[][] loads = { { 0.2, 0.9 }, { 20, 26 }, { 1.0, 2.2 } };
        for (int round = 1; round <= loads.length; round++) {
            table.add(roundOf(ComponentUnderTest.CATALYSTMAIL, round, 1.0, 0.3, SETTLED, loads[round - 1][0]));
            table.add(roundOf(ComponentUnderTest.WIRE, round, 0.5, 0.3, SETTLED, loads[round - 1][1]));
        }

        String text = table.toMarkdown();

        assertEquals(java.util.List.of(false, false, true), table.pairs(Workload.POP3_CONSUME,
                ComponentUnderTest.CATALYSTMAIL).stream().map(ResultTable.Pair::loadMoved).toList());
        assertTrue(text.contains("| 0.50, 0.50, 0.50* | 0.50 (0.50–0.50) | round 3: 1.00 / 2.20 |"), text);
        assertTrue(text.contains("| the load moved a lot in the pair of round 3 |"), text);
    }

    @Test
    void aRunMeasuredOnlyRightAfterTheCountedWarmUpKeepsASectionOfItsOwn(@TempDir Path dir) throws Exception {
        String text = writtenBesideAnEarlierSection(dir.resolve("RESULTS.md"), BenchmarkDriver.COUNTED_HEADING,
                new RunResult.WarmUp(2, 0, false, false, YoungGeneration.Collected.UNKNOWN), "--messages", "4",
                "--settle", "false", "--rounds", "3", "--camel-mail-rounds", "1");

        assertTrue(text.contains("earlier figures"), text);
        assertTrue(text.contains("<!-- results:greenmail-counted -->\n## Embedded GreenMail, right after the counted"
                                 + " warm-up only\n"), text);
        assertTrue(text.contains("rounds=3 (camel-mail in the first 1), measured right after the counted warm-up only"),
                text);
        assertTrue(text.contains("### SMTP send, right after the counted warm-up\n"), text);
    }

    @Test
    void camelMailRunsOnlyInItsFirstRounds() {
        BenchmarkOptions options = BenchmarkOptions.parse("--rounds", "4", "--camel-mail-rounds", "1");
        assertTrue(options.runs(ComponentUnderTest.CAMEL_MAIL, 1));
        assertFalse(options.runs(ComponentUnderTest.CAMEL_MAIL, 2));
        assertTrue(options.runs(ComponentUnderTest.CATALYSTMAIL, 4) && options.runs(ComponentUnderTest.WIRE, 4));
        assertTrue(BenchmarkOptions.parse("--rounds", "2").runs(ComponentUnderTest.CAMEL_MAIL, 2));
    }

    @Test
    void thePasswordIsNotRepeatedInTheCommandLine() {
        assertEquals("--server real --password *** --rounds 2",
                ResultsFile.withoutPassword(new String[] { "--server", "real", "--password", "hunter2", "--rounds", "2" }));
    }
}
