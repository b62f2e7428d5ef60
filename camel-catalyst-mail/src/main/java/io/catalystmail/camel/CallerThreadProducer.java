package io.catalystmail.camel;

import java.util.concurrent.CompletableFuture;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncCallbackToCompletableFutureAdapter;
import org.apache.camel.support.DefaultProducer;

/**
 * A producer that does its work on the caller's thread but is an {@link AsyncProducer} itself. Camel wraps a plain
 * producer in an adapter, and then manages (JMX) the adapter, whose class carries none of the producer's
 * {@code @ManagedAttribute}s; being asynchronous already, this one is managed as it is.
 */
abstract class CallerThreadProducer extends DefaultProducer implements AsyncProducer {

    CallerThreadProducer(Endpoint endpoint) {
        super(endpoint);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    @Override
    public CompletableFuture<Exchange> processAsync(Exchange exchange) {
        AsyncCallbackToCompletableFutureAdapter<Exchange> callback = new AsyncCallbackToCompletableFutureAdapter<>(exchange);
        process(exchange, callback);
        return callback.getFuture();
    }
}
