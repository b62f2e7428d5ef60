package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.catalystmail.camel.testsupport.ExchangeCompletion;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test messages from src/test/resources/messages and a way to map them onto a fresh exchange. The exchanges made here
 * are completed after each test of a class extended with {@link CompleteExchanges}, as a route would complete them,
 * so their spooled part files do not outlive the test.
 */
final class TestMessages {

    static final CamelContext CONTEXT = new DefaultCamelContext();

    private static final List<Exchange> NOT_COMPLETED = new ArrayList<>();

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
        Exchange exchange = new DefaultExchange(CONTEXT);
        synchronized (NOT_COMPLETED) {
            NOT_COMPLETED.add(exchange);
        }
        return exchange;
    }

    /** Maps {@code message} onto a new exchange's message and returns it. */
    static Message map(MessageMapper mapper, byte[] message) throws MessageParseException {
        Exchange exchange = exchange();
        mapper.map(new ByteArrayInputStream(message), exchange.getIn());
        return exchange.getIn();
    }

    /** Completes, after each test, the exchanges the test made through {@link #exchange()} or {@link #map}. */
    static final class CompleteExchanges implements AfterEachCallback {

        @Override
        public void afterEach(ExtensionContext context) {
            List<Exchange> made;
            synchronized (NOT_COMPLETED) {
                made = new ArrayList<>(NOT_COMPLETED);
                NOT_COMPLETED.clear();
            }
            made.forEach(ExchangeCompletion::complete);
        }
    }
}
