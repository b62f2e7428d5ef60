package io.catalystmail.camel;

import java.io.IOException;
import java.util.function.BooleanSupplier;

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
 * <li>a poll that ended where a message cost the connection for its size ({@link PollEndedForSizeException}): the
 * message was reported on its own, so one INFO line says the poll ended there, with what it did;</li>
 * <li>a failure whose text names the server (host and port), the command and what was wrong (a refusal, a
 * deadline, a protocol violation): Camel's line, at WARN, with the account whose poll failed (as
 * {@link io.catalystmail.camel.auth.Credentials#account()} names it; Camel masks the user in the endpoint),
 * without the stack trace, which only says where in our code the server's answer was read; the stack trace goes
 * to DEBUG. Camel's {@code LoggingExceptionHandler} does the same for an intended rollback.</li>
 * <li>such a failure of a reconnect attempt of the IDLE loop ({@link IdleLoop}: 1 s, 2 s, 4 s ... up to a minute
 * after a lost connection) while the polls before it failed too: at DEBUG, since the outage was said at WARN by the
 * first failure and the loop's retries would repeat it several times a minute; the scheduled polls still say it at
 * WARN, one line per {@code delay}. When a poll succeeds again after such quiet retries, one INFO line says the
 * server answers again and how many were not logged above DEBUG.</li>
 * </ul>
 * Anything else (a failure of ours or of the JVM) is logged by Camel's handler, with its stack trace. A failure while
 * the consumer stops or suspends goes to DEBUG: the consumer closed that poll's connection itself. Either line
 * ends with what the failed poll had done, which the failure carries ({@link #pollFailed}) and the consumer then
 * leaves out of its own log: one line per failed poll. Installed only in place of Camel's default logging handler:
 * a configured {@code exceptionHandler} or {@code bridgeErrorHandler} still gets every failure, and the consumer
 * logs its poll summary as for any poll.
 */
final class QuietPollFailures extends PollFailureHandler {

    /** The category of Camel's handler for this consumer ({@code LoggingExceptionHandler} of the consumer class). */
    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    private final ExceptionHandler delegate;
    private final String server;
    private final String account;
    private final BooleanSupplier stopping;
    private final BooleanSupplier reconnectRetry;
    /** Reconnect attempts of the IDLE loop that failed and were logged at DEBUG; guarded by the poll lock. */
    private int quietRetries;

    /**
     * @param delegate Camel's default handler
     * @param server   the server as our error texts name it, {@code host:port}
     * @param account  the account the consumer logs in as ({@code account 1f2e3d4c5b6a}), null without login: with
     *                 several accounts on one server the line would not say whose poll failed
     * @param stopping whether the consumer is stopping or suspending: it then closes a running poll's connection
     *                 itself ({@link PollInProgress}, said at INFO), and the failure that follows is its own doing
     * @param reconnectRetry whether the failing poll is the IDLE loop's retry of a reconnect after failed polls
     */
    QuietPollFailures(ExceptionHandler delegate, String server, String account, BooleanSupplier stopping,
            BooleanSupplier reconnectRetry) {
        this.delegate = delegate;
        this.server = server;
        this.account = account;
        this.stopping = stopping;
        this.reconnectRetry = reconnectRetry;
    }

    /** A poll succeeded: after quiet reconnect attempts, says once that the server answers again. */
    void pollSucceeded() {
        if (quietRetries > 0) {
            LOG.info("{} answers again; {} failed reconnect attempt(s) of the IDLE loop before were logged at DEBUG",
                    server, quietRetries);
            quietRetries = 0;
        }
    }

    /**
     * The poll that failed with {@code failure} had done {@code whatItDid} (its summary without the failure; null when
     * it did nothing worth saying): said in the failure's line instead of a line of its own. The failure carries it
     * (a suppressed {@link BeforeItFailed}), so the line says it whenever and by whichever path the failure arrives,
     * and its stack trace shows it too. One note per failure object: a failure kept and thrown again by poll after
     * poll gets its note rewritten with the latest poll's figures, not one more note per poll.
     */
    void pollFailed(Throwable failure, String whatItDid) {
        BeforeItFailed note = noteOn(failure);
        if (note != null) {
            note.whatThePollDid = whatItDid;
        } else if (whatItDid != null) {
            failure.addSuppressed(new BeforeItFailed(whatItDid));
        }
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        String whatThePollDid = whatThePollDid(exception);
        if (exception instanceof UnusableFolderException) {
            return;
        }
        if (stopping.getAsBoolean()) {
            // a WARN after "Closing the connection of a poll in progress" would read as the server's fault
            LOG.debug("A poll ended by the consumer stopping or suspending: {}{}", exception.getMessage(),
                    whatThePollDid, exception);
            return;
        }
        if (exception instanceof PollEndedForSizeException) {
            // the message was reported on its own, once (as unreadable): this line only says the poll ended there
            LOG.info(exception.getMessage() + whatThePollDid);
            return;
        }
        if (!describesServer(exception)) {
            delegate.handleException(whatThePollDid.isEmpty() || message == null ? message : message + whatThePollDid,
                    exchange, exception);
            return;
        }
        String line = CamelExchangeException.createExceptionMessage(message, exchange, exception);
        line = (account == null || line.contains(account) ? line : line + " (" + account + ")") + whatThePollDid;
        if (reconnectRetry.getAsBoolean()) {
            quietRetries++;
            LOG.debug(line);
        } else {
            LOG.warn(line);
        }
        LOG.debug("The stack trace of the failure above", exception);
    }

    /** What the failed poll did, as the end of its failure's line; empty for another failure or an idle poll. */
    private static String whatThePollDid(Throwable exception) {
        BeforeItFailed note = noteOn(exception);
        return note == null || note.whatThePollDid == null ? "" : "; " + note.getMessage();
    }

    private static BeforeItFailed noteOn(Throwable failure) {
        for (Throwable suppressed : failure.getSuppressed()) {
            if (suppressed instanceof BeforeItFailed note) {
                return note;
            }
        }
        return null;
    }

    /** A server's failure as our errors tell it: an I/O failure whose text names the server. */
    private boolean describesServer(Throwable exception) {
        return exception instanceof IOException && exception.getMessage() != null
               && exception.getMessage().contains(server);
    }

    /**
     * What a poll had done before it failed, carried by its failure: a note, not an error of its own, so without a
     * stack trace (where it was made says nothing).
     */
    static final class BeforeItFailed extends Exception {

        private static final long serialVersionUID = 1L;

        /** The latest poll's figures; null when that poll did nothing worth saying. */
        private volatile String whatThePollDid;

        BeforeItFailed(String whatThePollDid) {
            super(null, null, false, false);
            this.whatThePollDid = whatThePollDid;
        }

        @Override
        public String getMessage() {
            String what = whatThePollDid;
            return "before it failed: " + (what == null ? "nothing" : what);
        }
    }
}
