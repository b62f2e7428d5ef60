package io.catalystmail.camel.mime;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipartBoundariesTest {

    /** RFC 2046 §5.1.1: 1 to 70 bchars; ours are "-=Part." and dotted hex, as Mime4j's were. */
    private static final Pattern SHAPE = Pattern.compile("-=Part\\.[0-9a-f]{8}\\.[0-9a-f]{16}\\.[0-9a-f]{16}");

    @Test
    void boundariesDrawnByConcurrentSendersAreDistinctAndValid() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(senders.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        String boundary = MultipartBoundaries.next();
                        assertTrue(SHAPE.matcher(boundary).matches(), boundary);
                        assertTrue(boundary.length() <= 70, boundary);
                        seen.add(boundary);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            senders.shutdownNow();
        }
        assertEquals(40_000, seen.size(), "every boundary is new");
    }
}
