package io.catalystmail.camel.net;

import java.io.Closeable;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A limit on a whole operation (a login, a FETCH round, a RETR, an SMTP transaction), where the socket's read
 * timeout only bounds a single read: a server sending one byte a second, or untagged lines without end, never
 * trips a read timeout. When the limit passes, {@code onExpiry} runs on a timer thread and closes the socket, so
 * the blocked reader or writer fails at once; {@link #timeout} then gives the exception that names server,
 * operation and limit. One shared daemon thread serves every deadline of the JVM, and the write watchdogs that
 * {@link #runLater} schedules: it only looks at clocks and closes sockets. A connection that runs operation after
 * operation on a hot path (an SMTP session's transactions) keeps one {@link ConnectionDeadline} instead, which
 * schedules no task per operation.
 */
public final class OperationDeadline implements Closeable {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final String server;
    private final String operation;
    private final String option;
    private final Duration limit;
    private final ScheduledFuture<?> expiry;
    private volatile boolean expired;

    private OperationDeadline(String server, String operation, String option, Duration limit, Runnable onExpiry) {
        this.server = server;
        this.operation = operation;
        this.option = option;
        this.limit = limit;
        this.expiry = TIMER.schedule(() -> {
            expired = true;
            onExpiry.run();
        }, Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the clock for {@code operation} on {@code server}.
     *
     * @param option   the endpoint option that sets the limit, named in the error
     * @param onExpiry closes the connection; runs on the timer thread, so it must be thread-safe
     */
    public static OperationDeadline start(String server, String operation, String option, Duration limit,
            Runnable onExpiry) {
        return new OperationDeadline(server, operation, option, limit, onExpiry);
    }

    /** True once the limit passed and the connection was closed. */
    public boolean expired() {
        return expired;
    }

    public String operation() {
        return operation;
    }

    /** The error for an operation cut by this deadline, with the failure the closed socket caused. */
    public SocketTimeoutException timeout(Throwable cause) {
        return timeout(server, operation, option, limit, cause);
    }

    /**
     * As {@link #timeout(Throwable)}, naming the command whose answer was awaited when the deadline cut it, unless the
     * operation's name says it already: an operation of several commands (a fetch's SELECT, UID SEARCH and UID FETCH)
     * may be stuck at any of them.
     */
    public SocketTimeoutException timeout(Throwable cause, String command) {
        boolean named = command == null || operation.contains(command);
        return timeout(server, named ? operation : operation + " (at " + command + ")", option, limit, cause);
    }

    /** The error for {@code operation} cut by its deadline; for {@link ConnectionDeadline} too. */
    static SocketTimeoutException timeout(String server, String operation, String option, Duration limit,
            Throwable cause) {
        SocketTimeoutException e = new SocketTimeoutException(server + " did not complete " + operation + " within "
                + limit.toMillis() + " ms (" + option + "); the connection was dropped");
        e.initCause(cause);
        return e;
    }

    /** Stops the clock; the operation finished in time (or failed on its own). */
    @Override
    public void close() {
        expiry.cancel(false);
    }

    /**
     * Runs {@code check} on the deadlines' timer thread after {@code delayNanos}: for a watchdog that, like a
     * deadline, only compares a clock and closes a socket (the SMTP write timeout), so that the JVM keeps one
     * such thread instead of one per kind of watchdog. {@code check} must be quick and thread-safe. Cancelling the
     * returned task removes it from the timer's queue at once.
     */
    public static ScheduledFuture<?> runLater(Runnable check, long delayNanos) {
        return TIMER.schedule(check, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "catalystmail-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
