package io.catalystmail.camel.mime;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generated Message-IDs: 32 hex digits, a valid id (RFC 5322 §3.6.4), never the same twice. */
class MessageIdsTest {

    @Test
    void thirtyTwoHexDigitsNeverRepeatedAcrossComposersAndThreads() throws Exception {
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        MessageIds one = new MessageIds();
        MessageIds other = new MessageIds();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            MessageIds ids = t % 2 == 0 ? one : other;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    String id = ids.next();
                    assertTrue(id.matches("[0-9a-f]{32}"), id);
                    assertTrue(MessageComposer.isSingleMessageId("<" + id + "@example.com>"), id);
                    seen.add(id);
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(200_000, seen.size());
    }

    @Test
    void everyDigitVaries() {
        MessageIds ids = new MessageIds();
        Set<Character>[] digits = new Set[32];
        for (int i = 0; i < 32; i++) {
            digits[i] = new HashSet<>();
        }
        for (int n = 0; n < 2000; n++) {
            String id = ids.next();
            for (int i = 0; i < 32; i++) {
                digits[i].add(id.charAt(i));
            }
        }
        for (int i = 0; i < 32; i++) {
            assertEquals(16, digits[i].size(), "digit " + i);
        }
    }
}
