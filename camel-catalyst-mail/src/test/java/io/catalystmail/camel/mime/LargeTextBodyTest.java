package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import io.catalystmail.camel.CatalystMailConstants;
import org.apache.camel.StreamCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A text body above the stream threshold stays in its temp file: the body is a re-readable StreamCache and the
 * exchange names its charset, so converting it to a String gives the text, twice, and completion deletes the file.
 */
@ExtendWith(TestMessages.CompleteExchanges.class)
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
        assertNull(exchange.getIn().getHeader(CatalystMailConstants.CHARSET_FALLBACK), "the label was right");
    }

    /** The streamed body follows the in-memory rules, and says so in the same header. */
    @Test
    void unlabelledUtf8IsReadAsUtf8AndTheFallbackNamed() throws Exception {
        String text = "Grüße aus Köln ".repeat(40_000);
        Exchange exchange = mapLarge("Content-Type: text/plain\r\n", text.getBytes(StandardCharsets.UTF_8));
        assertEquals("UTF-8", exchange.getProperty(ExchangePropertyKey.CHARSET_NAME));
        assertEquals(text, exchange.getIn().getBody(String.class));
        assertEquals("UTF-8 instead of us-ascii", exchange.getIn().getHeader(CatalystMailConstants.CHARSET_FALLBACK));
    }

    @Test
    void eightBitTextUnderAsciiThatIsNotUtf8IsReadAsWindows1252() throws Exception {
        String text = "\u201cquoted\u201d \u20ac 5 \u2013 caf\u00e9 ".repeat(30_000);
        Exchange exchange = mapLarge("Content-Type: text/plain; charset=us-ascii\r\n",
                text.getBytes("windows-1252"));
        assertEquals("windows-1252", exchange.getProperty(ExchangePropertyKey.CHARSET_NAME));
        assertEquals(text, exchange.getIn().getBody(String.class));
        assertEquals("windows-1252 instead of us-ascii",
                exchange.getIn().getHeader(CatalystMailConstants.CHARSET_FALLBACK));
    }

    @Test
    void iso88591WithWindows1252BytesIsReadAsWindows1252() throws Exception {
        String text = "\u201cquoted\u201d caf\u00e9 ".repeat(30_000);
        Exchange exchange = mapLarge("Content-Type: text/plain; charset=iso-8859-1\r\n",
                text.getBytes("windows-1252"));
        assertEquals(text, exchange.getIn().getBody(String.class));
        assertEquals("windows-1252 instead of iso-8859-1",
                exchange.getIn().getHeader(CatalystMailConstants.CHARSET_FALLBACK));
    }

    private static Exchange mapLarge(String contentType, byte[] body) throws Exception {
        byte[] head = ("Subject: large\r\n" + contentType + "Content-Transfer-Encoding: 8bit\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] mail = new byte[head.length + body.length];
        System.arraycopy(head, 0, mail, 0, head.length);
        System.arraycopy(body, 0, mail, head.length, body.length);
        MessageMapper mapper = new MessageMapper(MimeLimits.defaults(), false, false, 100_000);
        Exchange exchange = TestMessages.exchange();
        mapper.map(new ByteArrayInputStream(mail), exchange.getIn());
        assertInstanceOf(StreamCache.class, exchange.getIn().getBody(), "streamed, above the threshold");
        return exchange;
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
