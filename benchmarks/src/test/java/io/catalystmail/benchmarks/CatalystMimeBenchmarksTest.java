package io.catalystmail.benchmarks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** catalystmail's MIME microbenchmarks do their whole job once, outside JMH. */
class CatalystMimeBenchmarksTest {

    private final CatalystMimeBenchmarks benchmarks = new CatalystMimeBenchmarks();

    @BeforeEach
    void start() {
        benchmarks.start();
    }

    @AfterEach
    void stop() throws Exception {
        benchmarks.stop();
    }

    @Test
    void theMapperGivesTheWholeAttachmentAndTheHtmlAlternative() throws Exception {
        // the alternative keeps its text up to the CRLF that belongs to the closing boundary (RFC 2046 5.1.1)
        assertEquals(TestMessage.ATTACHMENT_BYTES + TestMessage.html().length() - 2, benchmarks.mapWithMessageMapper());
    }

    @Test
    void rawModeGivesTheMessageAsStored() throws Exception {
        assertEquals(TestMessage.standard("sender@example.test", "alice@example.test", 1).length,
                benchmarks.mapRawWithMessageMapper());
    }

    @Test
    void theComposerWritesTextAlternativeAndAttachment() throws Exception {
        long written = benchmarks.composeWithMessageComposer();
        assertTrue(written > 29_000 && written < 33_000, "wrote " + written);
    }
}
