package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;

import io.catalystmail.camel.CatalystMailConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.james.mime4j.codec.Base64OutputStream;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The base64 of outgoing parts (RFC 2045 §6.8): what the JDK's MIME decoder reads back, line lengths and CRLFs,
 * the same octets as Mime4j's encoder for every size around a line's 57 octets however the input is cut into
 * writes, and whole lines reaching the DATA stream in few large writes.
 */
class Base64LineEncoderTest {

    static Stream<Integer> sizes() {
        return Stream.of(0, 1, 2, 3, 4, 55, 56, 57, 58, 59, 113, 114, 115, 171, 4096, 4097, 20 * 1024, 300_001);
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new SplittableRandom(size).nextBytes(data);
        return data;
    }

    /** Writes {@code data} in pieces of the given lengths, repeated until it is all written. */
    private static byte[] encode(byte[] data, int... pieces) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Base64LineEncoder encoder = new Base64LineEncoder(out, new byte[64 * 78])) {
            for (int off = 0, i = 0; off < data.length; i++) {
                int len = Math.min(data.length - off, pieces[i % pieces.length]);
                if (len == 1) {
                    encoder.write(data[off]);
                } else {
                    encoder.write(data, off, len);
                }
                off += len;
            }
        }
        return out.toByteArray();
    }

    private static byte[] mime4j(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream encoder = new Base64OutputStream(out)) {
            encoder.write(data);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void decodesToTheInputWithLinesOfAtMost76CharactersEachEndedByCrlf(int size) throws IOException {
        byte[] data = random(size);
        String encoded = new String(encode(data, Integer.MAX_VALUE), StandardCharsets.US_ASCII);

        assertArrayEquals(data, Base64.getMimeDecoder().decode(encoded));
        if (size == 0) {
            assertEquals("", encoded, "an empty body has no line at all");
            return;
        }
        assertTrue(encoded.endsWith("\r\n"), "the last line is ended too");
        String[] lines = encoded.substring(0, encoded.length() - 2).split("\r\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            assertTrue(line.matches("[A-Za-z0-9+/]*={0,2}"), "line " + i + " is pure base64: " + line);
            assertEquals(i < lines.length - 1 ? 76 : ((size - 57 * i) + 2) / 3 * 4, line.length(), "line " + i);
        }
        assertEquals((size + 56) / 57, lines.length);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void theSameOctetsAsMime4jsEncoderHoweverTheInputIsCutIntoWrites(int size) throws IOException {
        byte[] data = random(size);
        byte[] expected = mime4j(data);

        assertArrayEquals(expected, encode(data, Integer.MAX_VALUE), "one write");
        assertArrayEquals(expected, encode(data, 1), "octet by octet");
        assertArrayEquals(expected, encode(data, 56, 2, 57, 1, 100, 3), "writes across line ends");
        assertArrayEquals(expected, encode(data, 8192), "an input stream's transfer");
    }

    @Test
    void flushPassesOnWholeLinesOnlyAndCloseTheRestWithItsPadding() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Base64LineEncoder encoder = new Base64LineEncoder(out, new byte[78]);
        byte[] data = random(57 + 10);
        encoder.write(data);
        encoder.flush();
        assertEquals(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(data, 57)) + "\r\n",
                out.toString(StandardCharsets.US_ASCII), "the whole line is out, the 10 octets of the next wait");

        encoder.close();
        encoder.close();
        assertArrayEquals(mime4j(data), out.toByteArray());
        assertThrows(IOException.class, () -> encoder.write(1), "closed is closed");
    }

    @Test
    void aScratchShorterThanOneLineIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new Base64LineEncoder(new ByteArrayOutputStream(), new byte[77]));
    }

    /** Counts the writes made to it and keeps what they wrote. */
    private static final class CountingStream extends ByteArrayOutputStream {
        final List<Integer> writes = new ArrayList<>();

        @Override
        public synchronized void write(int b) {
            writes.add(1);
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes.add(len);
            super.write(b, off, len);
        }
    }

    @Test
    void aComposedAttachmentReachesTheDataStreamInLargeWritesAndDecodesBack() throws Exception {
        byte[] attachment = random(20 * 1024);
        CatalystMailConfiguration config = new CatalystMailConfiguration();
        config.setFrom("sender@example.com");
        config.setTo("rcpt@example.com");
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            Exchange exchange = new DefaultExchange(context);
            exchange.getIn().setBody("Text.\r\n");
            exchange.getIn(AttachmentMessage.class).addAttachment("data.bin",
                    new DataHandler(new ByteArrayDataSource(attachment, "application/octet-stream")));
            OutgoingMail mail = new MessageComposer(config, "test.example").compose(exchange.getIn());

            CountingStream out = new CountingStream();
            mail.content().writeTo(out);

            // 20 KB of attachment are 360 lines of base64: Mime4j's encoder wrote each line and each CRLF on its own
            assertTrue(out.writes.size() < 100, "the message came in " + out.writes.size() + " writes: " + out.writes);
            Message parsed = new DefaultMessageBuilder().parseMessage(new ByteArrayInputStream(out.toByteArray()));
            Entity part = ((Multipart) parsed.getBody()).getBodyParts().get(1);
            assertEquals("base64", part.getContentTransferEncoding());
            try (InputStream in = ((SingleBody) part.getBody()).getInputStream()) {
                assertArrayEquals(attachment, in.readAllBytes(), "Mime4j's decoder reads the attachment back");
            }
        }
    }

    /** A DATA stream that keeps apart what came as prepared lines. */
    private static final class PreparedLinesSink extends ByteArrayOutputStream
            implements io.catalystmail.camel.smtp.PreparedLinesOutput {
        final ByteArrayOutputStream prepared = new ByteArrayOutputStream();

        @Override
        public void writePreparedLines(byte[] lines, int off, int len) {
            prepared.write(lines, off, len);
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void aDataStreamThatTakesPreparedLinesGetsEveryEncodedLineThatWay(int size) throws IOException {
        byte[] data = random(size);
        PreparedLinesSink sink = new PreparedLinesSink();
        try (Base64LineEncoder encoder = new Base64LineEncoder(sink, new byte[64 * 78])) {
            encoder.write(data, 0, data.length / 2);
            encoder.flush();
            encoder.write(data, data.length / 2, data.length - data.length / 2);
        }
        assertEquals(0, sink.size(), "nothing the ordinary way");
        assertArrayEquals(mime4j(data), sink.prepared.toByteArray());
    }
}
