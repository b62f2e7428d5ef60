package io.catalystmail.camel.mime;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.catalystmail.camel.CatalystMailConstants;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every message under messages/hostile maps or fails with MessageParseException, within a deadline, without any
 * other throwable (StackOverflowError, OutOfMemoryError, runtime exceptions), and the mapper still works after.
 */
@ExtendWith(TestMessages.CompleteExchanges.class)
class HostileMessagesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final MessageMapper mapper = new MessageMapper(MimeLimits.defaults(), false, false);
    private final MessageMapper rawMapper = new MessageMapper(MimeLimits.defaults(), false, true);

    static Stream<String> hostileMessages() throws IOException, URISyntaxException {
        Path directory = Path.of(HostileMessagesTest.class.getResource("/messages/hostile").toURI());
        try (Stream<Path> files = Files.list(directory)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml")).sorted().toList();
            assertTrue(names.size() >= 20, "hostile corpus present: " + names);
            return names.stream();
        }
    }

    /** Maps the message; returns the message, or null when the mapper rejected it with MessageParseException. */
    static Message mapWithinContract(MessageMapper mapper, byte[] bytes) {
        return assertTimeoutPreemptively(DEADLINE, () -> {
            try {
                return TestMessages.map(mapper, bytes);
            } catch (MessageParseException rejected) {
                assertNotNull(rejected.getMessage());
                assertTrue(rejected.isInputMalformed(), rejected::getMessage);
                return null;
            }
        });
    }

    private void assertStillUsable(MessageMapper usedMapper) throws MessageParseException {
        Message next = TestMessages.map(usedMapper, TestMessages.bytes("alternative.eml"));
        assertEquals("Weekly digest", next.getHeader("Subject"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileMessages")
    void mapsOrRejectsCleanly(String name) throws Exception {
        byte[] bytes = TestMessages.bytes("hostile/" + name);

        mapWithinContract(mapper, bytes);
        assertStillUsable(mapper);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileMessages")
    void rawModeMapsOrRejectsCleanly(String name) throws Exception {
        byte[] bytes = TestMessages.bytes("hostile/" + name);

        Message message = mapWithinContract(rawMapper, bytes);
        if (message != null) {
            assertArrayEquals(bytes, message.getBody(byte[].class), "raw body is the input");
        }
        assertStillUsable(rawMapper);
    }

    @Test
    void tenThousandNestedMultipartsStopAtTheDepthLimit() {
        Message message = mapWithinContract(mapper, TestMessages.bytes("hostile/nested-10000-multiparts.eml"));

        assertNotNull(message);
        Map<String, ?> attachments = ((AttachmentMessage) message).getAttachmentObjects();
        assertEquals(List.of("part-1.bin"), List.copyOf(attachments.keySet()), "one opaque part at depth 100");
        assertEquals("", message.getBody());
    }

    @Test
    void maximumNestingDepthStillFitsASmallThreadStack() throws Exception {
        MessageMapper deepest = new MessageMapper(new MimeLimits(1 << 20, 1_000, MimeLimits.MAX_NESTING_DEPTH, 1 << 18), false, false);
        byte[] bytes = TestMessages.bytes("hostile/nested-10000-multiparts.eml");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Message> mapped = new AtomicReference<>();
        TestMessages.exchange(); // Camel set up outside the small stack
        Thread small = new Thread(null, () -> {
            try {
                mapped.set(TestMessages.map(deepest, bytes));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "small-stack", 512 * 1024);
        small.start();
        small.join(DEADLINE.toMillis());
        assertNull(failure.get());
        assertEquals("", mapped.get().getBody());
        assertThrows(IllegalArgumentException.class, () -> new MimeLimits(1000, 1000, MimeLimits.MAX_NESTING_DEPTH + 1, 0));
    }

    @Test
    void limitsRejectOversizedHeaders() {
        assertThrows(MessageParseException.class,
                () -> TestMessages.map(mapper, TestMessages.bytes("hostile/megabyte-header-line.eml")));
        assertThrows(MessageParseException.class,
                () -> TestMessages.map(mapper, TestMessages.bytes("hostile/too-many-headers.eml")));
    }

    @Test
    void corruptContentIsDecodedLeniently() {
        Message broken = mapWithinContract(mapper, TestMessages.bytes("hostile/broken-base64.eml"));
        assertNotNull(broken);
        assertTrue(broken.getBody(String.class).startsWith("Hello "), broken.getBody(String.class));

        Message unknownCharset = mapWithinContract(mapper, TestMessages.bytes("hostile/invalid-charset.eml"));
        assertEquals("body in an unknown charset: été\r\n", unknownCharset.getBody());
        assertEquals("=?no-such-charset?B?aGVsbG8=?=", unknownCharset.getHeader("Subject"));

        Message raw8bit = mapWithinContract(mapper, TestMessages.bytes("hostile/raw-8bit-headers.eml"));
        assertEquals("Ärger <a@example.com>", raw8bit.getHeader("From"));
        assertEquals("Grüße latin1 raw", raw8bit.getHeader("Subject"));
        assertEquals("日本", raw8bit.getHeader("X-Utf8"));

        Message nul = mapWithinContract(mapper, TestMessages.bytes("hostile/nul-bytes.eml"));
        assertEquals("nul in subject", nul.getHeader("Subject"));
        assertFalse(nul.getBody(String.class).isEmpty());
    }

    @Test
    void degenerateShapesStillMap() {
        assertEquals("", mapWithinContract(mapper, TestMessages.bytes("hostile/empty.eml")).getBody());
        Message headersOnly = mapWithinContract(mapper, TestMessages.bytes("hostile/headers-only.eml"));
        assertEquals("headers only, no blank line, no body", headersOnly.getHeader("Subject"));
        Message duplicated = mapWithinContract(mapper, TestMessages.bytes("hostile/duplicated-and-empty-headers.eml"));
        assertEquals(List.of("", "second subject"), duplicated.getHeader("Subject"));
        assertEquals(List.of("a@example.com", "b@example.com"), duplicated.getHeader("From"));
        assertEquals("", duplicated.getHeader("X-Empty"));
        Message wrongBoundary = mapWithinContract(mapper, TestMessages.bytes("hostile/wrong-boundary.eml"));
        assertTrue(wrongBoundary.getBody(String.class).contains("text under the wrong boundary"), "not lost in the preamble");
        assertEquals("<dup@example.com>", duplicated.getHeader(CatalystMailConstants.MESSAGE_ID), "first non-empty Message-ID");
    }
}
