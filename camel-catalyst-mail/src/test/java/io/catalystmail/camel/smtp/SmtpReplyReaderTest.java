package io.catalystmail.camel.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SmtpReplyReaderTest {

    private static SmtpReplyReader reader(String wire) {
        return new SmtpReplyReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void singleLine() throws IOException {
        SmtpReply r = reader("250 ok\r\n").read();
        assertEquals(250, r.code());
        assertNull(r.enhancedCode());
        assertEquals("ok", r.text());
    }

    @Test
    void multiLineJoinsTextAndKeepsTheCode() throws IOException {
        SmtpReply r = reader("250-mx.example.com hello\r\n250-PIPELINING\r\n250 SIZE 1000\r\n").read();
        assertEquals(250, r.code());
        assertEquals("mx.example.com hello\nPIPELINING\nSIZE 1000", r.text());
        assertEquals(3, r.lines().length);
    }

    @Test
    void bareCodeEndsAReply() throws IOException {
        assertEquals("", reader("250\r\n").read().text());
        assertEquals("a\n", reader("250-a\r\n250\r\n").read().text());
    }

    @Test
    void enhancedStatusCodeIsSplitOut() throws IOException {
        SmtpReply r = reader("550 5.1.1 user unknown\r\n").read();
        assertEquals("5.1.1", r.enhancedCode());
        assertEquals("user unknown", r.text());
        assertEquals("550 5.1.1 user unknown", r.toString());
        SmtpReply multi = reader("250-2.0.0 first\r\n250 2.0.0 queued as 42\r\n").read();
        assertEquals("2.0.0", multi.enhancedCode());
        assertEquals("first\nqueued as 42", multi.text());
        SmtpReply bare = reader("250 2.1.0\r\n").read();
        assertEquals("2.1.0", bare.enhancedCode());
        assertEquals("", bare.text());
        assertEquals("452 4.5.3 too many recipients", reader("452 4.5.3 too many recipients\r\n").read().toString());
    }

    @Test
    void textThatOnlyLooksLikeACodeIsKept() throws IOException {
        // the class must equal the reply's first digit (RFC 2034 §4)
        SmtpReply r = reader("250 5.1.1 is a version\r\n").read();
        assertNull(r.enhancedCode());
        assertEquals("5.1.1 is a version", r.text());
        assertNull(reader("250 2.0.0x\r\n").read().enhancedCode());
        assertNull(reader("250 2.0 ok\r\n").read().enhancedCode());
    }

    @Test
    void lfOnlyLineEndsAreAccepted() throws IOException {
        assertEquals("a\nb", reader("250-a\n250 b\n").read().text());
    }

    @Test
    void repliesArrivingByteByByteAreAssembled() throws IOException {
        byte[] wire = "220-one\r\n220 two\r\n250 next\r\n".getBytes(StandardCharsets.US_ASCII);
        InputStream trickle = new InputStream() {
            private int i;

            @Override
            public int read() {
                return i < wire.length ? wire[i++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= wire.length) {
                    return -1;
                }
                b[off] = wire[i++];
                return 1;
            }
        };
        SmtpReplyReader reader = new SmtpReplyReader(trickle);
        assertEquals("one\ntwo", reader.read().text());
        assertEquals(250, reader.read().code());
    }

    @Test
    void utf8TextIsDecoded() throws IOException {
        assertEquals("grüße", reader("250 grüße\r\n").read().text());
    }

    @Test
    void bytesAfterAReplyAreVisible() throws IOException {
        SmtpReplyReader reader = reader("220 go ahead\r\n250 injected\r\n");
        reader.read();
        assertTrue(reader.hasBufferedInput());
        reader.read();
        assertFalse(reader.hasBufferedInput());
    }

    @Test
    void garbledRepliesAreNamed() {
        assertGarbled("hello\r\n", "does not start with a reply code");
        assertGarbled("25\r\n", "shorter than a reply code");
        assertGarbled("250x ok\r\n", "not followed by space or '-'");
        assertGarbled("250-a\r\n251 b\r\n", "changes its code from 250 to 251");
        assertGarbled("650 bad\r\n", "does not start with a reply code");
        assertGarbled("2a0 bad\r\n", "does not start with a reply code");
        assertGarbled("250 " + "x".repeat(SmtpReplyReader.MAX_LINE) + "\r\n", "longer than");
        assertGarbled("250-x\r\n".repeat(SmtpReplyReader.MAX_LINES + 1), "more than");
    }

    @Test
    void endOfStreamIsReported() {
        EOFException atStart = assertThrows(EOFException.class, () -> reader("").read());
        assertEquals("the server closed the connection", atStart.getMessage());
        EOFException mid = assertThrows(EOFException.class, () -> reader("250-a\r\n250").read());
        assertTrue(mid.getMessage().contains("middle of a reply"));
    }

    private static void assertGarbled(String wire, String expected) {
        SmtpException e = assertThrows(SmtpException.class, () -> reader(wire).read());
        assertTrue(e.getMessage().startsWith("garbled reply") && e.getMessage().contains(expected), e.getMessage());
    }
}
