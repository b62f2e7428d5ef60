package io.catalystmail.camel.pop3;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unstuffing (RFC 1939 §3) gives the same bytes whether a read hands over one line or every buffered line. */
class DotTerminatedInputStreamTest {

    private static final String WIRE = "Subject: dots\r\n\r\nfirst\r\n..stuffed\r\n...\r\nlast\r\n.\r\n+OK next\r\n";
    private static final String MESSAGE = "Subject: dots\r\n\r\nfirst\r\n.stuffed\r\n..\r\nlast\r\n";

    @ParameterizedTest(name = "many lines per read: {0}")
    @ValueSource(booleans = { false, true })
    void unstuffsAndStopsAtTheTerminator(boolean manyLines) throws Exception {
        Pop3Input input = new Pop3Input(new ByteArrayInputStream(WIRE.getBytes(StandardCharsets.US_ASCII)), "test", 1000);
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
        assertEquals("+OK next", new String(input.readLine(100), StandardCharsets.US_ASCII).strip());
        if (manyLines) {
            assertTrue(reads <= 4, "lines are batched up to the next line starting with a dot: " + reads + " reads");
        } else {
            assertEquals(6, reads, "one read per line");
        }
    }
}
