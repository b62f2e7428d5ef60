package io.catalystmail.camel.net;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The deadlines of one connection's operations, one after another (an SMTP session's login, then each mail
 * transaction), with what {@link OperationDeadline} gives a single operation: when the running operation's limit
 * passes, {@code onExpiry} closes the connection from the deadlines' timer thread, so the blocked reader or writer
 * fails at once, and {@link Armed#timeout} names server, operation and limit.
 *
 * <p>Arming and disarming only record the due time. One watchdog task per connection looks at that record when the
 * running operation could be due, and closes the connection, or sleeps again until the running operation's own due
 * time, or, when none runs, goes away until the next operation brings it back. A connection sending message after
 * message therefore costs the timer one task per limit period, instead of a scheduled and cancelled task (and the
 * timer queue's lock, twice) per message.
 *
 * <p>{@link #close()} ends the deadlines with the connection: the scheduled watchdog is cancelled, so the timer's
 * queue lets go of the connection at once instead of holding it (and whatever {@code onExpiry} reaches) until the
 * longest limit armed has passed, and {@code onExpiry} never runs for a connection closed meanwhile.
 */
public final class ConnectionDeadline {

    private final String server;
    private final Runnable onExpiry;
    /** The running operation's deadline, or null between operations. */
    private final AtomicReference<Armed> running = new AtomicReference<>();
    /** True while a watchdog task is scheduled. */
    private final AtomicBoolean watched = new AtomicBoolean();
    /** System.nanoTime() at which the scheduled watchdog wakes (meaningful while {@link #watched}). */
    private volatile long watchdogWakes;
    /** The watchdog task last scheduled, and the extra wake-up for a shorter limit: what {@link #close()} cancels. */
    private volatile ScheduledFuture<?> watchdog;
    private volatile ScheduledFuture<?> extraWakeUp;
    /** Set by {@link #close()}: nothing is scheduled any more and {@code onExpiry} never runs. */
    private volatile boolean closed;
    private final AtomicLong watchdogsScheduled = new AtomicLong();

    /**
     * @param server   the server as errors name it
     * @param onExpiry closes the connection; runs on the timer thread, so it must be thread-safe
     */
    public ConnectionDeadline(String server, Runnable onExpiry) {
        this.server = server;
        this.onExpiry = onExpiry;
    }

    /**
     * Starts the clock for {@code operation}, ending the previous operation's.
     *
     * @param option the endpoint option that sets the limit, named in the error
     */
    public void arm(String operation, String option, Duration limit) {
        long limitNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, limit.toMillis()));
        Armed armed = new Armed(server, operation, option, limit, System.nanoTime() + limitNanos);
        // published before the watchdog is looked at, and the watchdog clears its flag before it looks at the
        // running deadline: of two such volatile steps one always sees the other, so no operation goes unwatched
        running.set(armed);
        if (!watched.get() && watched.compareAndSet(false, true)) {
            schedule(limitNanos);
        } else if (armed.due - watchdogWakes < 0) {
            // a shorter limit than the one the watchdog sleeps for (a transaction after a long login): one more
            // wake-up at this one's due time (a watchdog only looks at clocks, so a spare one costs a check)
            watchdogsScheduled.incrementAndGet();
            extraWakeUp = OperationDeadline.runLater(this::watch, limitNanos);
            cancelIfClosed(extraWakeUp);
        }
    }

    /** Stops the clock: the operation finished in time (or failed on its own). */
    public void disarm() {
        running.set(null);
    }

    /** The running operation's deadline when it has passed (and closed the connection), else null. */
    public Armed expired() {
        Armed armed = running.get();
        return armed != null && armed.expired ? armed : null;
    }

    /**
     * The connection is closed: its watchdog is cancelled and never closes anything. What {@link #expired()} says
     * stays, so the failure of the operation that a deadline cut can still be named after the close.
     */
    public void close() {
        closed = true;
        cancel(watchdog);
        cancel(extraWakeUp);
    }

    /** The watchdog: runs on the timer thread. */
    private void watch() {
        if (closed) {
            return;
        }
        Armed armed = running.get();
        if (armed != null && !armed.expired) {
            long left = armed.due - System.nanoTime();
            if (left > 0) {
                schedule(left);
                return;
            }
            if (!running.compareAndSet(armed, armed.expire())) {
                watch(); // it ended (or another began) meanwhile: look again
                return;
            }
            // still the running operation, so it did not finish in time: cut it
            onExpiry.run();
        }
        watched.set(false);
        Armed began = running.get();
        if (began != null && !began.expired && watched.compareAndSet(false, true)) {
            // an operation began while the flag was still set, so it scheduled nothing: watch it from here
            schedule(Math.max(1, began.due - System.nanoTime()));
        }
    }

    private void schedule(long delayNanos) {
        watchdogsScheduled.incrementAndGet();
        watchdogWakes = System.nanoTime() + delayNanos;
        watchdog = OperationDeadline.runLater(this::watch, delayNanos);
        cancelIfClosed(watchdog);
    }

    /** A task scheduled while {@link #close()} ran may have escaped its cancel: cancelled here instead. */
    private void cancelIfClosed(ScheduledFuture<?> task) {
        if (closed) {
            cancel(task);
        }
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** How often a watchdog was scheduled, for tests. */
    long watchdogsScheduled() {
        return watchdogsScheduled.get();
    }

    /** One operation's limit: what it is called, which option sets it, and when it is due. */
    public static final class Armed {

        private final String server;
        private final String operation;
        private final String option;
        private final Duration limit;
        private final long due;
        private final boolean expired;

        private Armed(String server, String operation, String option, Duration limit, long due) {
            this(server, operation, option, limit, due, false);
        }

        private Armed(String server, String operation, String option, Duration limit, long due, boolean expired) {
            this.server = server;
            this.operation = operation;
            this.option = option;
            this.limit = limit;
            this.due = due;
            this.expired = expired;
        }

        private Armed expire() {
            return new Armed(server, operation, option, limit, due, true);
        }

        public String operation() {
            return operation;
        }

        /** The error for an operation cut by this deadline, with the failure the closed connection caused. */
        public SocketTimeoutException timeout(Throwable cause) {
            return OperationDeadline.timeout(server, operation, option, limit, cause);
        }
    }
}
