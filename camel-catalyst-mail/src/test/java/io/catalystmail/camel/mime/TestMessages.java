package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/** Test messages from src/test/resources/messages and a way to map them onto a fresh exchange. */
final class TestMessages {

    static final CamelContext CONTEXT = new DefaultCamelContext();

    static {
        CONTEXT.start();
    }

    private TestMessages() {
    }

    static byte[] bytes(String resource) {
        try (InputStream in = TestMessages.class.getResourceAsStream("/messages/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No test message " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static Exchange exchange() {
        return new DefaultExchange(CONTEXT);
    }

    /** Maps {@code message} onto a new exchange's message and returns it. */
    static Message map(MessageMapper mapper, byte[] message) throws MessageParseException {
        Exchange exchange = exchange();
        mapper.map(new ByteArrayInputStream(message), exchange.getIn());
        return exchange.getIn();
    }
}
