package io.catalystmail.camel;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

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
 * deadline, a protocol violation): Camel's line, at WARN, with the account whose poll failed (as
 * {@link io.catalystmail.camel.auth.Credentials#account()} names it; Camel masks the user in the endpoint),
 * without the stack trace, which only says where in our code the server's answer was read; the stack trace goes
 * to DEBUG. Camel's {@code LoggingExceptionHandler} does the same for an intended rollback.</li>
 * </ul>
 * Anything else (a failure of ours or of the JVM) is logged by Camel's handler, with its
 * stack trace. Either line ends with what the failed poll had done ({@link #pollFailed}), which the consumer then
 * leaves out of its own log: one line per failed poll. Installed only in place of Camel's default logging handler:
 * a configured {@code exceptionHandler} or {@code bridgeErrorHandler} still gets every failure, and the consumer
 * logs its poll summary as for any poll.
 */
final class QuietPollFailures implements ExceptionHandler {

    /** The category of Camel's handler for this consumer ({@code LoggingExceptionHandler} of the consumer class). */
    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    private final ExceptionHandler delegate;
    private final String server;
    private final String account;
    /** The last failed poll and what it did, handed over on the polling thread just before Camel calls us. */
    private final AtomicReference<FailedPoll> lastFailedPoll = new AtomicReference<>();

    private record FailedPoll(Throwable failure, String whatItDid) {
    }

    /**
     * @param delegate Camel's default handler
     * @param server   the server as our error texts name it, {@code host:port}
     * @param account  the account the consumer logs in as ({@code account 1f2e3d4c5b6a}), null without login: with
     *                 several accounts on one server the line would not say whose poll failed
     */
    QuietPollFailures(ExceptionHandler delegate, String server, String account) {
        this.delegate = delegate;
        this.server = server;
        this.account = account;
    }

    /**
     * The poll that is about to hand {@code failure} to this handler had done {@code whatItDid} (its summary without
     * the failure; null when it did nothing worth saying): said in the failure's line instead of a line of its own.
     */
    void pollFailed(Throwable failure, String whatItDid) {
        lastFailedPoll.set(new FailedPoll(failure, whatItDid));
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
        String whatThePollDid = whatThePollDid(exception);
        if (exception instanceof UnusableFolderException) {
            return;
        }
        if (!describesServer(exception)) {
            delegate.handleException(whatThePollDid.isEmpty() || message == null ? message : message + whatThePollDid,
                    exchange, exception);
            return;
        }
        String line = CamelExchangeException.createExceptionMessage(message, exchange, exception);
        LOG.warn((account == null || line.contains(account) ? line : line + " (" + account + ")") + whatThePollDid);
        LOG.debug("The stack trace of the failure above", exception);
    }

    /** What the failed poll did, as the end of its failure's line; empty for another failure or an idle poll. */
    private String whatThePollDid(Throwable exception) {
        FailedPoll poll = lastFailedPoll.getAndSet(null);
        return poll == null || poll.failure() != exception || poll.whatItDid() == null ? ""
                : "; before it failed: " + poll.whatItDid();
    }

    /** A server's failure as our errors tell it: an I/O failure whose text names the server. */
    private boolean describesServer(Throwable exception) {
        return exception instanceof IOException && exception.getMessage() != null
               && exception.getMessage().contains(server);
    }
}
