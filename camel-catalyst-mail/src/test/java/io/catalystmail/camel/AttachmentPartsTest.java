package io.catalystmail.camel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** What the attachment split does with the parts' streams. */
class AttachmentPartsTest {

    /** Counts the streams it opened that are not closed yet, as a stored part's temp file would stay open. */
    private static final class CountingSource implements DataSource {
        final AtomicInteger open = new AtomicInteger();

        @Override
        public InputStream getInputStream() {
            open.incrementAndGet();
            return new FilterInputStream(new ByteArrayInputStream("a,b\n".getBytes(StandardCharsets.US_ASCII))) {
                @Override
                public void close() throws IOException {
                    open.decrementAndGet();
                    super.close();
                }
            };
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            throw new IOException("read-only");
        }

        @Override
        public String getContentType() {
            return "text/csv";
        }

        @Override
        public String getName() {
            return "figures.csv";
        }
    }

    @Test
    void bytesAreReadAndTheStreamClosed() {
        CountingSource source = new CountingSource();
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn(AttachmentMessage.class).addAttachment("figures.csv", new DataHandler(source));

        List<Message> parts = new AttachmentParts(true).split(exchange);

        assertEquals(1, parts.size());
        assertArrayEquals("a,b\n".getBytes(StandardCharsets.US_ASCII), parts.get(0).getBody(byte[].class));
        assertEquals(0, source.open.get(), "the stream the bytes were read from is closed");
    }
}
