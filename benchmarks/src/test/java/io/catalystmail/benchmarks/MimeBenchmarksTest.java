package io.catalystmail.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each microbenchmark does its whole job once, outside JMH: both parsers read every part in full. */
class MimeBenchmarksTest {

    @Test
    void bothParsersReadTheTextTheHtmlAndTheWholeAttachment() throws Exception {
        MimeBenchmarks benchmarks = new MimeBenchmarks();
        benchmarks.createMessage();
        // the CRLF before a boundary belongs to the boundary (RFC 2046 section 5.1.1), not to the text parts
        long expected = TestMessage.text().length() - 2 + TestMessage.html().length() - 2 + TestMessage.ATTACHMENT_BYTES
                        + TestMessage.SUBJECT.length() + (" " + TestMessage.numbered(1)).length();

        assertEquals(expected, benchmarks.parseWithMime4j());
        assertEquals(expected, benchmarks.parseWithJakartaMail());
    }

    @Test
    void bothComposersWriteAMessageOfAbout30Kb() throws Exception {
        MimeBenchmarks benchmarks = new MimeBenchmarks();
        benchmarks.createMessage();

        long mime4j = benchmarks.composeWithMime4j();
        long jakarta = benchmarks.composeWithJakartaMail();

        assertTrue(mime4j > 29_000 && mime4j < 33_000, "Mime4j wrote " + mime4j);
        assertTrue(jakarta > 29_000 && jakarta < 33_000, "Jakarta Mail wrote " + jakarta);
    }
}
