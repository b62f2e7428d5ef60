package io.catalystmail.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsFileTest {

    @Test
    void aNewRunReplacesOnlyTheSectionOfItsOwnServer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("RESULTS.md");
        Files.writeString(file, "# Benchmark results\n\nintro\n\n<!-- results:real -->\n## Real servers\nold real figures\n"
                                + "<!-- end results:real -->\n<!-- results:greenmail -->\nold greenmail figures\n"
                                + "<!-- end results:greenmail -->\n");
        BenchmarkOptions options = BenchmarkOptions.parse("--messages", "3");
        ResultTable table = new ResultTable(java.util.List.of(Workload.SMTP_SEND),
                java.util.List.of(ComponentUnderTest.CATALYSTMAIL, ComponentUnderTest.CAMEL_MAIL));
        table.add(new RunResult(ComponentUnderTest.CAMEL_MAIL, Workload.SMTP_SEND, 1, 3, 2.0, 0.5, -1, 3 << 20, 6, 0.03, 1000, 0, 1 << 20, 2 << 20, 0, null));
        table.add(new RunResult(ComponentUnderTest.CATALYSTMAIL, Workload.SMTP_SEND, 1, 3, 1.0, 0.4, 0.1, 3 << 20, 3, 0.012, 1000, 0, 1 << 20, 2 << 20, 0, null));

        try (EmbeddedGreenMail server = new EmbeddedGreenMail("example.test", "secret")) {
            ResultsFile.write(file, server, options, "run.sh --messages 3", table);
        }

        String text = Files.readString(file);
        assertTrue(text.contains("old real figures"), text);
        assertFalse(text.contains("old greenmail figures"), text);
        assertEquals(1, text.split("<!-- results:greenmail -->", -1).length - 1, text);
        assertTrue(text.contains("| SMTP_SEND | catalystmail | 3.00 |"), text);
        assertTrue(text.contains("| 2.00× |"), "catalystmail sent twice as fast: " + text);
        assertTrue(text.contains("| 100 | 33.3 |"), "0.4 s of CPU for 3 messages, 0.1 s of it the JIT compiler's, is 100 ms each and 33.3 of the JIT: " + text);
        assertTrue(text.contains("| 1024 | 1000 | 4.00 |"), "3 MiB allocated for 3 messages is 1024 KiB each, 3"
                + " collections of 12 ms in all for 3 messages are 1,000 per 1,000 messages and 4 ms each: " + text);
    }

    @Test
    void aRunWithAnotherHeapKeepsASectionOfItsOwn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("RESULTS.md");
        Files.writeString(file, "# Benchmark results\n\nintro\n\n<!-- results:greenmail -->\nlarge heap figures\n"
                                + "<!-- end results:greenmail -->\n");
        ResultTable table = new ResultTable(java.util.List.of(Workload.SMTP_SEND),
                java.util.List.of(ComponentUnderTest.CATALYSTMAIL));
        table.add(new RunResult(ComponentUnderTest.CATALYSTMAIL, Workload.SMTP_SEND, 1, 3, 1.0, 0.4, 0.1, 3 << 20, 3,
                0.012, 1000, 0, 1 << 20, 2 << 20, 0, null));

        try (EmbeddedGreenMail server = new EmbeddedGreenMail("example.test", "secret")) {
            ResultsFile.write(file, server, BenchmarkOptions.parse("--messages", "3", "--heap", "64m"),
                    "run.sh --heap 64m", table);
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
