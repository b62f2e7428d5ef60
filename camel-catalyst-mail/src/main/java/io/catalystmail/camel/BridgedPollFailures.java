package io.catalystmail.camel;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's bridge to the route's error handler ({@code bridgeErrorHandler=true}), without the one failure that would
 * hand the route a second error exchange for one message: a poll that ended where a message cost the connection for
 * its size ({@link PollEndedForSizeException}). That message went to the route's error handler on its own, with its
 * UID or UIDL headers ({@link ExchangeRouting#reportUnreadable}); the poll's failure, bridged as well, reached the
 * route as one more error exchange, without those headers, for the same message. It is logged in one INFO line, as
 * {@link QuietPollFailures} does, and the poll still counts as failed (Camel counts it before it asks the handler),
 * so health and backoff see such a server. Every other failure is bridged as before.
 */
final class BridgedPollFailures extends PollFailureHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    private final ExceptionHandler bridge;

    BridgedPollFailures(ExceptionHandler bridge) {
        this.bridge = bridge;
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (exchange == null && exception instanceof PollEndedForSizeException) {
            LOG.info(exception.getMessage());
            return;
        }
        bridge.handleException(message, exchange, exception);
    }
}
