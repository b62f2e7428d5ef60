package io.catalystmail.camel;

import org.apache.camel.spi.ExceptionHandler;

/**
 * An exception handler of the consumer's own, in front of Camel's: each of Camel's three entry points comes to
 * {@link #handleException(String, org.apache.camel.Exchange, Throwable)}, where the failure is told apart.
 */
abstract class PollFailureHandler implements ExceptionHandler {

    @Override
    public final void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public final void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }
}
