package io.catalystmail.camel;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;

/**
 * Camel's default consumer exception handler, except for a poll that failed because the server refuses the target
 * folders: {@link UnusableFolders} has said that, without the endpoint URI that Camel's "Failed polling endpoint"
 * line would repeat, with a stack trace, on every poll. Installed only in place of Camel's default logging handler:
 * a configured exceptionHandler or bridgeErrorHandler still gets every failure.
 */
final class QuietPollFailures implements ExceptionHandler {

    private final ExceptionHandler delegate;

    QuietPollFailures(ExceptionHandler delegate) {
        this.delegate = delegate;
    }

    @Override
    public void handleException(Throwable exception) {
        if (!(exception instanceof UnusableFolderException)) {
            delegate.handleException(exception);
        }
    }

    @Override
    public void handleException(String message, Throwable exception) {
        if (!(exception instanceof UnusableFolderException)) {
            delegate.handleException(message, exception);
        }
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (!(exception instanceof UnusableFolderException)) {
            delegate.handleException(message, exchange, exception);
        }
    }
}
