package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A body read straight into the sink stays in the heap up to the threshold, goes to a file past it, bytes exact. */
class BodySinkTest {

    @ParameterizedTest(name = "{0} bytes, threshold {1}, in memory: {2}")
    @CsvSource({ "0, 100, true", "100, 100, true", "101, 100, false", "20000, 65536, true", "70000, 65536, false",
            "5, 0, false", "10, 10, true", "11, 10, false" })
    void readFromKeepsTheThresholdAndEveryByte(int size, int threshold, boolean inMemory) throws IOException {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        MessageBodies bodies = new TempBodyStore(threshold).newMessage(-1);
        try {
            BodySink sink = bodies.newSink();
            // a source that hands out at most 7 bytes a read, as a decoder between chunks does
            sink.readFrom(new TrickleInputStream(content));
            StoredBody body = sink.finish();
            sink.close();
            assertEquals(inMemory, body instanceof StoredBody.InMemory, "kept in the heap");
            assertEquals(size, body.size());
            assertArrayEquals(content, body.toBytes());
        } finally {
            bodies.release();
        }
    }

    /**
     * The sink reads each of the parser's streams in a loop of its own (see {@link BodySink#readFrom}): the parser's
     * input for the identity encodings, the base64 decoder, and any other stream; each keeps every byte and the
     * threshold, the body that outgrows the heap share going on to the temp file from where the loop stopped.
     */
    @ParameterizedTest(name = "{0} bytes from the {1}, threshold {2}, in memory: {3}")
    @CsvSource({ "20000, input, 65536, true", "65536, input, 65536, true", "65537, input, 65536, false",
            "300000, input, 65536, false", "20000, base64, 65536, true", "65536, base64, 65536, true",
            "65537, base64, 65536, false", "300000, base64, 65536, false", "0, base64, 100, true",
            "70000, other, 65536, false" })
    void everyStreamOfTheParserKeepsTheThresholdAndEveryByte(int size, String stream, int threshold, boolean inMemory)
            throws IOException {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        MessageBodies bodies = new TempBodyStore(threshold).newMessage(-1);
        DelimitedInput input = new DelimitedInput(new ByteArrayInputStream(stream.equals("base64")
                ? Base64.getMimeEncoder().encode(content) : content));
        Base64DecodingInputStream base64 = stream.equals("base64") ? new Base64DecodingInputStream(input) : null;
        try (BodySink sink = bodies.newSink()) {
            sink.readFrom(base64 != null ? base64 : stream.equals("input") ? input : new TrickleInputStream(content));
            StoredBody body = sink.finish();
            assertEquals(inMemory, body instanceof StoredBody.InMemory, "kept in the heap");
            assertEquals(size, body.size());
            assertArrayEquals(content, body.toBytes());
        } finally {
            if (base64 != null) {
                base64.release();
            }
            input.release();
            bodies.release();
        }
    }

    /**
     * A body read from a stream is kept at its exact size, whatever size the server announced: it is read into this
     * thread's reused buffer and copied out once, instead of growing through a doubling series of arrays. That buffer
     * never becomes part of a body: a second body read on the same thread leaves the first one's bytes intact.
     */
    @ParameterizedTest(name = "{0} bytes of a {1}-byte message, threshold {2}")
    @CsvSource({ "20000, 30000, 65536", "20000, 30000, 25000", "500, 30000, 65536", "3000, 30000, 65536",
            "40000, 30000, 65536", "300000, -1, 400000" })
    void aBodyReadFromAStreamIsKeptAtItsExactSizeApartFromTheReusedBuffer(int size, long messageSize, int threshold)
            throws IOException {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        byte[] next = new byte[size];
        new Random(size + 1).nextBytes(next);
        MessageBodies bodies = new TempBodyStore(threshold).newMessage(messageSize);
        try {
            StoredBody.InMemory first = (StoredBody.InMemory) readWhole(bodies, content);
            StoredBody.InMemory second = (StoredBody.InMemory) readWhole(bodies, next);
            assertEquals(size, first.buffer().length, "heap buffer");
            assertArrayEquals(content, first.toBytes(), "the first body after a second was read on this thread");
            assertArrayEquals(next, second.toBytes());
        } finally {
            bodies.release();
        }
    }

    /**
     * A text body is decoded straight from the reused buffer, which stays this thread's for the next body; a body
     * longer than asked for, or one in a temp file, is left for {@link BodySink#finish()}, bytes exact.
     */
    @ParameterizedTest(name = "{0} bytes, at most {1} as text, threshold {2}: text {3}")
    @CsvSource({ "3000, 100000, 65536, true", "3000, 2999, 65536, false", "3000, 3000, 65536, true",
            "3000, 100000, 1000, false", "0, 10, 100, true" })
    void aTextBodyIsDecodedFromTheReusedBufferOrLeftForFinish(int size, int maxLength, int threshold, boolean text)
            throws IOException {
        String content = "é".repeat(size / 2) + "x".repeat(size % 2);
        byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MessageBodies bodies = new TempBodyStore(threshold).newMessage(-1);
        try {
            BodySink sink = bodies.newSink();
            sink.readFrom(new TrickleInputStream(bytes));
            TextCharsets.Decoded decoded = sink.finishAsText("UTF-8", maxLength);
            if (text) {
                assertEquals(content, decoded.text());
                assertNull(decoded.fallback());
                byte[] next = new byte[size];
                new Random(size).nextBytes(next);
                assertArrayEquals(next, readWhole(bodies, next).toBytes(), "the next body read on this thread");
            } else {
                assertNull(decoded);
                assertArrayEquals(bytes, sink.finish().toBytes());
            }
            sink.close();
        } finally {
            bodies.release();
        }
    }

    /**
     * A thread's buffer starts at the announced size of the message it reads first and is replaced by a larger one
     * when a later message is announced larger (or grows when the announcement was too small): on a new thread,
     * bodies of messages announced unknown, small, large, too small and small again all come back byte for byte,
     * each kept at its exact size, none sharing the reused buffer with another.
     */
    @Test
    void aNewThreadsBodiesComeBackExactWhateverTheAnnouncedSizes() throws Exception {
        long[] announced = { -1, 3000, 100_000, 40_000, 5000 };
        int[] sizes = { 20_000, 2500, 90_000, 60_000, 4000 };
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = new Thread(() -> {
            java.util.List<MessageBodies> messages = new java.util.ArrayList<>();
            java.util.List<StoredBody> kept = new java.util.ArrayList<>();
            java.util.List<byte[]> expected = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < sizes.length; i++) {
                    byte[] content = new byte[sizes[i]];
                    new Random(i).nextBytes(content);
                    MessageBodies bodies = new TempBodyStore(256 * 1024).newMessage(announced[i]);
                    messages.add(bodies);
                    kept.add(readWhole(bodies, content));
                    expected.add(content);
                }
                for (int i = 0; i < kept.size(); i++) {
                    StoredBody.InMemory body = (StoredBody.InMemory) kept.get(i);
                    assertEquals(sizes[i], body.buffer().length, "heap buffer of body " + i);
                    assertArrayEquals(expected.get(i), body.toBytes(), "body " + i + " after all were read");
                }
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                messages.forEach(MessageBodies::release);
            }
        });
        reader.start();
        reader.join(30_000);
        assertTrue(!reader.isAlive(), "the reading thread finished");
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    private static StoredBody readWhole(MessageBodies bodies, byte[] content) throws IOException {
        BodySink sink = bodies.newSink();
        sink.readFrom(new TrickleInputStream(content));
        StoredBody body = sink.finish();
        sink.close();
        return body;
    }

    /**
     * The size a body grows to is the whole message's, as the server announced it: a message of many parts a little
     * over 8 KiB, or a small message announced as 2 GB by a hostile server, must not keep a threshold-sized buffer
     * for every part until the exchange completes. A hundred 9 KiB parts keep at most twice their octets in the
     * heap, and the message's heap budget counts what is kept.
     */
    @ParameterizedTest(name = "parts of {0} bytes in a message announced as {1} bytes")
    @CsvSource({ "9216, 1048576", "9216, 2147483648", "300, 2147483648", "20000, 26000000" })
    void storedBodiesKeepAtMostAboutTwiceTheirSizeWhateverSizeWasAnnounced(int partSize, long announced)
            throws IOException {
        byte[] content = new byte[partSize];
        new Random(partSize).nextBytes(content);
        MessageBodies bodies = new TempBodyStore(256 * 1024).newMessage(announced);
        long kept = 0;
        try {
            for (int part = 0; part < 100; part++) {
                BodySink sink = bodies.newSink();
                sink.readFrom(new TrickleInputStream(content));
                StoredBody.InMemory body = (StoredBody.InMemory) sink.finish();
                sink.close();
                assertArrayEquals(content, body.toBytes());
                kept += body.buffer().length;
            }
            long octets = 100L * partSize;
            assertTrue(kept <= 2 * octets + 100 * 4096, kept + " bytes of heap kept for " + octets + " octets");
        } finally {
            bodies.release();
        }
    }

    /** A raw message sized at once for what the server announced keeps only what came. */
    @Test
    void aRawMessageAnnouncedAsHugeKeepsOnlyItsOctets() throws IOException {
        byte[] content = "Subject: small\r\n\r\nannounced as 2 GB\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        MessageBodies bodies = new TempBodyStore(256 * 1024).newMessage(2L * 1024 * 1024 * 1024);
        try {
            BodySink sink = bodies.newMessageSink();
            sink.readFrom(new TrickleInputStream(content));
            StoredBody.InMemory body = (StoredBody.InMemory) sink.finish();
            sink.close();
            assertArrayEquals(content, body.toBytes());
            assertTrue(body.buffer().length <= 2 * content.length + 4096, "heap buffer " + body.buffer().length);
        } finally {
            bodies.release();
        }
    }

    private static final class TrickleInputStream extends InputStream {
        private final ByteArrayInputStream in;

        TrickleInputStream(byte[] content) {
            this.in = new ByteArrayInputStream(content);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, 7));
        }
    }
}
