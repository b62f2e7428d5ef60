package io.catalystmail.camel.testsupport;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.spi.Synchronization;

/**
 * Completes an exchange a test built without a route, as a route's end would: its completions run, so the part
 * files the mapper spooled for it are deleted.
 */
public final class ExchangeCompletion {

    private ExchangeCompletion() {
    }

    public static void complete(Exchange exchange) {
        List<Synchronization> completions = exchange.getExchangeExtension().handoverCompletions();
        if (completions != null) { // null when nothing was registered (no spooled file)
            completions.forEach(completion -> completion.onComplete(exchange));
        }
    }
}
