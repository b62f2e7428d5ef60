package io.catalystmail.camel.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.catalystmail.camel.net.OperationDeadline;

/**
 * Gives socket writes the timeout Java's blocking sockets lack: a server that stops reading fills the TCP window
 * and a write would block forever. A write that has not returned after the timeout gets its socket closed, which
 * makes it fail; that failure is reported as a {@link SocketTimeoutException}.
 *
 * <p>A write only records when it started. One watchdog task per stream looks at that record when the timeout
 * could have passed and either closes the socket, or sleeps again until the running write's own limit, or, when no
 * write is running, goes away until the next write brings it back. A busy sender therefore costs the timer one
 * task per timeout period instead of a scheduled and cancelled task per write. The watchdog runs on
 * {@link OperationDeadline}'s timer thread, the one that enforces every operation deadline.
 */
final class WriteTimeoutOutputStream extends OutputStream {

    /** {@link #writeStarted} between writes. */
    private static final long NOT_WRITING = Long.MIN_VALUE;

    private final Socket socket;
    private final OutputStream out;
    private final long timeoutMillis;
    private final long timeoutNanos;
    /** System.nanoTime() when the running write began, or {@link #NOT_WRITING}. */
    private volatile long writeStarted = NOT_WRITING;
    /** True while a watchdog task is scheduled for this stream. */
    private final AtomicBoolean watched = new AtomicBoolean();
    private volatile boolean timedOut;
    private final AtomicLong watchdogsScheduled = new AtomicLong();
    /** The scheduled watchdog: it holds this stream and its socket until it runs, up to the timeout after a write. */
    private volatile ScheduledFuture<?> watchdog;
    private volatile boolean stopped;

    WriteTimeoutOutputStream(Socket socket, OutputStream out, Duration timeout) {
        this.socket = socket;
        this.out = out;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int off, int len) throws IOException {
        // the start is published before the watchdog is looked at, and the watchdog clears its flag before it looks
        // at the start: of two such volatile steps one always sees the other, so no write goes unwatched
        writeStarted = System.nanoTime();
        if (!watched.get() && watched.compareAndSet(false, true)) {
            schedule(timeoutNanos);
        }
        try {
            out.write(data, off, len);
        } catch (IOException e) {
            throw timedOut ? timeout(e) : e;
        } finally {
            writeStarted = NOT_WRITING;
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** The watchdog: runs on the timer thread. */
    private void watch() {
        long started = writeStarted;
        if (started != NOT_WRITING) {
            long left = started + timeoutNanos - System.nanoTime();
            if (left <= 0) {
                expire();
            } else {
                schedule(left);
            }
            return;
        }
        watched.set(false);
        if (writeStarted != NOT_WRITING && watched.compareAndSet(false, true)) {
            // a write began while the flag was still set, so it scheduled nothing: watch it from here
            schedule(timeoutNanos);
        }
    }

    private void schedule(long delayNanos) {
        watchdogsScheduled.incrementAndGet();
        watchdog = OperationDeadline.runLater(this::watch, delayNanos);
        if (stopped) {
            watchdog.cancel(false); // the watchdog was running when the connection closed, and rescheduled itself
        }
    }

    /**
     * The connection is closed: its watchdog leaves the timer now instead of at the end of the write timeout, so a
     * producer opening connection after connection (failed sends, a pool that keeps none) piles up no tasks.
     */
    void stopWatching() {
        stopped = true;
        ScheduledFuture<?> scheduled = watchdog;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    private void expire() {
        timedOut = true;
        try {
            socket.close();
        } catch (IOException e) {
            // the socket is being torn down either way
        }
    }

    private SocketTimeoutException timeout(IOException cause) {
        SocketTimeoutException e = new SocketTimeoutException("the server did not take data for " + timeoutMillis
                + " ms; connection closed");
        e.initCause(cause);
        return e;
    }

    /** How often this stream's watchdog was scheduled, for tests. */
    long watchdogsScheduled() {
        return watchdogsScheduled.get();
    }
}
