package io.catalystmail.camel;

import java.io.IOException;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's default consumer exception handler, quieter for the failures a server causes, which recur on every poll
 * while it lasts (an outage, a refusing server) and which our errors already describe:
 * <ul>
 * <li>a poll that failed because the server refuses the target folders: {@link UnusableFolders} has said that,
 * once, so nothing more is logged;</li>
 * <li>a failure whose text names the server (host and port), the command and what was wrong (a refusal, a
 * deadline, a protocol violation): Camel's line, at WARN, with the user whose poll failed (Camel masks it in the
 * endpoint), without the stack trace, which only says where in our code the server's answer was read; the stack
 * trace goes to DEBUG. Camel's {@code LoggingExceptionHandler} does
 * the same for an intended rollback.</li>
 * </ul>
 * Anything else (a failure of ours or of the JVM) is logged by Camel's handler, with its
 * stack trace. Installed only in place of Camel's default logging handler: a configured {@code exceptionHandler} or
 * {@code bridgeErrorHandler} still gets every failure.
 */
final class QuietPollFailures implements ExceptionHandler {

    /** The category of Camel's handler for this consumer ({@code LoggingExceptionHandler} of the consumer class). */
    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    private final ExceptionHandler delegate;
    private final String server;
    private final String user;

    /**
     * @param delegate Camel's default handler
     * @param server   the server as our error texts name it, {@code host:port}
     * @param user     the user name the consumer logs in with, null without login: Camel masks it in the endpoint
     *                 it names, and with several accounts on one server the line would not say whose poll failed
     */
    QuietPollFailures(ExceptionHandler delegate, String server, String user) {
        this.delegate = delegate;
        this.server = server;
        this.user = user;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (exception instanceof UnusableFolderException) {
            return;
        }
        if (!describesServer(exception)) {
            delegate.handleException(message, exchange, exception);
            return;
        }
        String line = CamelExchangeException.createExceptionMessage(message, exchange, exception);
        LOG.warn(user == null || line.contains(user) ? line : line + " (user " + user + ")");
        LOG.debug("The stack trace of the failure above", exception);
    }

    /** A server's failure as our errors tell it: an I/O failure whose text names the server. */
    private boolean describesServer(Throwable exception) {
        return exception instanceof IOException && exception.getMessage() != null
               && exception.getMessage().contains(server);
    }
}
