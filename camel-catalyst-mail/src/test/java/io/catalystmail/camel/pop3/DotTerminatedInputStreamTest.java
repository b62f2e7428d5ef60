package io.catalystmail.camel.pop3;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unstuffing (RFC 1939 §3) gives the same bytes whether a read hands over one line or every buffered line; reading
 * past a body nobody asked for (a RETR sent ahead) is bounded and uses the connection's scratch array.
 */
class DotTerminatedInputStreamTest {

    private static final String WIRE = "Subject: dots\r\n\r\nfirst\r\n..stuffed\r\n...\r\nlast\r\n.\r\n+OK next\r\n";
    private static final String MESSAGE = "Subject: dots\r\n\r\nfirst\r\n.stuffed\r\n..\r\nlast\r\n";

    @ParameterizedTest(name = "many lines per read: {0}")
    @ValueSource(booleans = { false, true })
    void unstuffsAndStopsAtTheTerminator(boolean manyLines) throws Exception {
        Pop3Input input = new Pop3Input(new ByteArrayInputStream(WIRE.getBytes(StandardCharsets.US_ASCII)), "test",
                1000);
        DotTerminatedInputStream body = new DotTerminatedInputStream(input, manyLines);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int reads = 0;
        int n;
        while ((n = body.read(buf, 0, buf.length)) >= 0) {
            out.write(buf, 0, n);
            reads++;
        }
        assertEquals(MESSAGE, out.toString(StandardCharsets.US_ASCII));
        // what follows the terminator is left for the next reply
        assertEquals("+OK next", nextLine(input));
        if (manyLines) {
            assertTrue(reads <= 4, "lines are batched up to the next line starting with a dot: " + reads + " reads");
        } else {
            assertEquals(6, reads, "one read per line");
        }
    }

    /**
     * The socket hands over bytes in pieces of any size and the reader asks for any amount: a line starting with '.'
     * may begin right after a piece's last LF, or a piece may end between the dot and its CR LF. Bare LF ends lines
     * too, and ".\r" without LF was stuffing (the CR is content).
     */
    @ParameterizedTest(name = "socket pieces of {0} octets")
    @ValueSource(ints = { 1, 2, 3, 5, 7, 64 })
    void unstuffsTheSameWhateverSizesTheSocketAndTheReaderUse(int piece) throws Exception {
        String wire = "A: b\r\n\r\n..x\r\n.\r.\r\nbare\n..\nplain\r\n...\r\n" + "z".repeat(100)
                + "\r\n.\r\n+OK next\r\n";
        String message = "A: b\r\n\r\n.x\r\n\r.\r\nbare\n.\nplain\r\n..\r\n" + "z".repeat(100) + "\r\n";
        assertReadInPieces(wire, message, piece, 1, 3, 4096);
    }

    /**
     * Lines are searched for eight octets at a time: lines of every length from 0 to 40, every fourth starting with a
     * (stuffed) dot, put every line end and every dot at every offset within those eight octets and the socket's
     * pieces.
     */
    @ParameterizedTest(name = "socket pieces of {0} octets")
    @ValueSource(ints = { 1, 7, 8, 9, 4096 })
    void unstuffsLinesOfEveryLengthAtEveryAlignment(int piece) throws Exception {
        StringBuilder wire = new StringBuilder();
        StringBuilder message = new StringBuilder();
        for (int length = 0; length <= 40; length++) {
            String text = (length % 4 == 0 ? "." : "") + "a".repeat(length) + "\r\n";
            wire.append(text.startsWith(".") ? "." : "").append(text);
            message.append(text);
        }
        assertReadInPieces(wire + ".\r\n+OK next\r\n", message.toString(), piece, 5, 4096);
    }

    /**
     * Reads the body of {@code wire}, handed over by the socket in pieces of at most {@code piece} octets, with reads
     * of each of {@code askedSizes}: it must be {@code message}, and the reply behind it "+OK next".
     */
    private static void assertReadInPieces(String wire, String message, int piece, int... askedSizes)
            throws Exception {
        byte[] bytes = wire.getBytes(StandardCharsets.US_ASCII);
        for (int asked : askedSizes) {
            Pop3Input input = new Pop3Input(new ByteArrayInputStream(bytes) {
                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    return super.read(b, off, Math.min(len, piece));
                }
            }, "test", 1000);
            DotTerminatedInputStream body = new DotTerminatedInputStream(input, true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[asked];
            for (int n; (n = body.read(buf, 0, asked)) >= 0; ) {
                out.write(buf, 0, n);
            }
            assertEquals(message, out.toString(StandardCharsets.US_ASCII), "reads of " + asked + " octets");
            assertEquals("+OK next", nextLine(input), "reads of " + asked + " octets");
        }
    }

    @Test
    void drainingAtMostALimitReadsToTheTerminatorOrStopsJustPastTheLimit() throws Exception {
        String line = "x".repeat(78) + "\r\n";
        byte[] wire = (line.repeat(100) + ".\r\n+OK next\r\n").getBytes(StandardCharsets.US_ASCII);
        Pop3Input whole = new Pop3Input(new ByteArrayInputStream(wire), "test", 1000);
        assertEquals(8000, new DotTerminatedInputStream(whole, true).drainAtMost(8000));
        assertEquals("+OK next", nextLine(whole));

        byte[] longer = (line.repeat(1000) + ".\r\n").getBytes(StandardCharsets.US_ASCII);
        Pop3Input input = new Pop3Input(new ByteArrayInputStream(longer), "test", 1000);
        long read = new DotTerminatedInputStream(input, true).drainAtMost(1000);
        assertTrue(read > 1000 && read < 80_000, "stops once past the limit, not at the end: " + read);
    }

    @Test
    void drainingReusesTheConnectionsScratchArray() throws Exception {
        String body = ("y".repeat(78) + "\r\n").repeat(200) + ".\r\n";
        byte[] wire = body.repeat(200).getBytes(StandardCharsets.US_ASCII);
        Pop3Input input = new Pop3Input(new ByteArrayInputStream(wire), "test", 1000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        new DotTerminatedInputStream(input, true).drainAtMost(1_000_000); // classes loaded, the buffer filled once
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 1; i < 200; i++) {
            assertEquals(16_000, new DotTerminatedInputStream(input, true).drainAtMost(1_000_000));
        }
        long perBody = (threads.getThreadAllocatedBytes(thread) - before) / 199;
        // an array per call would be 8 KiB and more; the stream object itself is a few dozen octets
        assertTrue(perBody < 1024, "allocated per body read past: " + perBody + " octets");
    }

    private static String nextLine(Pop3Input input) throws Exception {
        int length = input.readLine(100);
        return new String(input.line(), 0, length, StandardCharsets.US_ASCII);
    }
}
