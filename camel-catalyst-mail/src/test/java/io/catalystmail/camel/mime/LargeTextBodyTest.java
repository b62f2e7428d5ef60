package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.StreamCache;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A text body above the stream threshold stays in its temp file: the body is a re-readable StreamCache and the
 * exchange names its charset, so converting it to a String gives the text, twice, and completion deletes the file.
 */
class LargeTextBodyTest {

    @Test
    void largeTextBodyIsAFileBackedStreamThatConvertsToTheText() throws Exception {
        String text = "Grüße aus Köln, ça va? ".repeat(20_000) + "\r\n"; // ~480 KB, over the 256 KiB storage threshold
        byte[] mail = ("Subject: large\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n"
                       + "Content-Transfer-Encoding: 8bit\r\n\r\n" + text).getBytes(StandardCharsets.ISO_8859_1);
        MessageMapper mapper = new MessageMapper(MimeLimits.defaults(), false, false, 100_000);
        Exchange exchange = TestMessages.exchange();
        mapper.map(new ByteArrayInputStream(mail), exchange.getIn());

        StreamCache body = assertInstanceOf(StreamCache.class, exchange.getIn().getBody());
        assertEquals("ISO-8859-1", exchange.getProperty(ExchangePropertyKey.CHARSET_NAME));
        assertEquals(text, exchange.getIn().getBody(String.class));
        body.reset();
        assertEquals(text, exchange.getIn().getBody(String.class), "readable again");

        exchange.getExchangeExtension().handoverCompletions().forEach(s -> s.onComplete(exchange));
        body.reset();
        assertThrows(IOException.class, () -> ((InputStream) body).read(), "the temp file is gone with the exchange");
    }

    @Test
    void smallTextBodyStaysAString() throws Exception {
        MessageMapper mapper = new MessageMapper(MimeLimits.defaults(), false, false, 100_000);
        Exchange exchange = TestMessages.exchange();
        mapper.map(new ByteArrayInputStream("Subject: s\r\n\r\nsmall\r\n".getBytes(StandardCharsets.US_ASCII)),
                exchange.getIn());
        assertEquals("small\r\n", exchange.getIn().getBody());
    }
}
