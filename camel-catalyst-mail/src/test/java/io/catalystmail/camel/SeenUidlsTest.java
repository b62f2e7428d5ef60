package io.catalystmail.camel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The POP3 consumer's default UIDL store (unseen=true, no repository) remembers a routed message only while the server
 * lists it: RFC 1939 §7 lets a server derive UIDLs from the content, so a new copy of a message that was removed may
 * come back under the same UIDL, and it is new mail. The store stays as small as the messages left on the server.
 */
class SeenUidlsTest {

    private final CamelContext context = new DefaultCamelContext();
    private final Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        context.stop();
    }

    private long quits(ScriptedPop3Server server) {
        return server.commands().stream().filter("QUIT"::equals).count();
    }

    @Test
    void aMessageGoneFromTheMaildropIsForgottenSoANewCopyUnderTheSameUidlIsRoutedWhileTheOtherStaysKnown()
            throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server()) {
            server.add("hash-1", "Subject: m1\r\n\r\nbody 1\r\n").add("hash-2", "Subject: m2\r\n\r\nbody 2\r\n")
                    .start();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:pop3:127.0.0.1:" + server.port() + "?username=anna&password=RAW(s3cret!)"
                         + "&initialDelay=0&delay=50&readTimeout=5000")
                            .process(e -> routed.computeIfAbsent(e.getMessage().getHeader("Subject", String.class),
                                    s -> new AtomicInteger()).incrementAndGet());
                }
            });
            context.start();
            Eventually.await(() -> routed.size() == 2, () -> "routed " + routed);

            // another client deletes m1; a poll that no longer lists it ends; then the same message arrives again
            server.remove("hash-1");
            long before = quits(server);
            Eventually.await(() -> quits(server) >= before + 2, () -> "commands " + server.commands());
            server.add("hash-1", "Subject: m1\r\n\r\nbody 1\r\n");

            Eventually.await(() -> routed.get("m1").get() == 2, () -> "routed " + routed);
            long after = quits(server);
            Eventually.await(() -> quits(server) >= after + 2, () -> "commands " + server.commands());
            context.stop();
            assertEquals(2, routed.get("m1").get(), "the new copy of m1, routed once");
            assertEquals(1, routed.get("m2").get(), "m2, still listed, is still known");
        }
    }

    @Test
    void beyondItsCapacityTheOldestKeysGoFirst() {
        SeenUidls seen = new SeenUidls(false);
        for (int i = 0; i < SeenUidls.CAPACITY + 2; i++) {
            assertTrue(seen.add("key-" + i));
        }
        assertEquals(SeenUidls.CAPACITY, seen.size());
        assertFalse(seen.contains("key-0"));
        assertFalse(seen.contains("key-1"));
        assertTrue(seen.contains("key-2"));
        assertTrue(seen.contains("key-" + (SeenUidls.CAPACITY + 1)));
        assertFalse(seen.add("key-2"), "a key known already is not added again");
    }
}
