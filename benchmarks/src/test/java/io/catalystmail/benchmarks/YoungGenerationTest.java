package io.catalystmail.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class YoungGenerationTest {

    @Test
    void afterSettlingTheYoungGenerationHasBeenCollectedAndAWholeCycleTouchedAlmostNoFreshPage() {
        long before = YoungGeneration.collectionsSoFar();

        YoungGeneration.Collected collected = YoungGeneration.settle();

        assertEquals(before, collected.byComponent());
        assertTrue(collected.byHarness() >= 2, "to the next collection, then at least one whole cycle: " + collected);
        assertEquals(before + collected.byHarness(), YoungGeneration.collectionsSoFar());
        assertTrue(collected.warm(), "a cycle of nothing but garbage reuses eden's pages: " + collected);
        assertEquals(collected, YoungGeneration.Collected.parse(collected.token()));
    }

    @Test
    void theWarmUpColumnSaysWhoCollectedTheYoungGenerationAndWhetherItWasStillFaulting() {
        assertEquals("1 young GC + 2 by harness", new YoungGeneration.Collected(1, 2, true).describe());
        assertEquals("0 young GCs + 8 by harness, eden still faulting",
                new YoungGeneration.Collected(0, 8, false).describe());
        assertEquals(YoungGeneration.Collected.UNKNOWN, YoungGeneration.Collected.parse(null));
    }
}
