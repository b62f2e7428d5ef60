package io.catalystmail.camel;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

import io.catalystmail.camel.smtp.SmtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open SMTP sessions kept between exchanges, so a route does not pay for connect, TLS and AUTH per message.
 * Each exchange borrows its own session (SmtpSession is not thread-safe) and gives it back; a reused session
 * is reset with RSET first (in the same write as the next MAIL FROM when the server pipelines). Sessions idle longer than the idle timeout
 * are closed, by {@link #closeExpired()} (called on a schedule) or when they are next looked at.
 *
 * <p>At most {@code maxConnections} sessions are open at once, borrowed or idle: servers cap the connections one
 * client may hold (Postfix's smtpd_client_connection_count_limit, 50 by default), and a burst of concurrent
 * exchanges beyond that would only be refused. An exchange that finds every session busy waits for one to be given
 * back, up to the wait deadline, and then fails naming the server.
 */
final class SmtpSessionPool {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSessionPool.class);

    /** Opens a new session; the producer's connection settings and credentials stay behind this seam. */
    @FunctionalInterface
    interface SessionOpener {
        SmtpSession open() throws IOException;
    }

    /** A borrowed session and whether it had sent mail before (only then may a failure mean it went stale). */
    record Lease(SmtpSession session, boolean reused) {
    }

    private record Idle(SmtpSession session, long since) {
    }

    private final SessionOpener opener;
    private final long idleTimeoutNanos;
    private final int maxConnections;
    private final long waitNanos;
    private final String server;
    private final Deque<Idle> idle = new ArrayDeque<>();
    /** Sessions open or being opened, borrowed or idle; never above maxConnections. */
    private int open;
    private boolean closed;

    /**
     * @param maxConnections most sessions open at once
     * @param waitMillis     how long an exchange waits for a busy session when maxConnections are open
     * @param server         the server as error messages name it
     */
    SmtpSessionPool(SessionOpener opener, long idleTimeoutMillis, int maxConnections, long waitMillis, String server) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        this.opener = opener;
        this.idleTimeoutNanos = idleTimeoutMillis * 1_000_000L;
        this.maxConnections = maxConnections;
        this.waitNanos = Math.max(0, waitMillis) * 1_000_000L;
        this.server = server;
    }

    /** The most recently used idle session, reset and alive, or a new one when fewer than maxConnections are open. */
    Lease borrow() throws IOException {
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            Idle candidate = acquire(true, deadline);
            if (candidate == null) {
                return new Lease(openNew(), false);
            }
            if (System.nanoTime() - candidate.since() > idleTimeoutNanos) {
                discard(candidate.session());
                continue;
            }
            try {
                // RFC 5321 section 4.1.1.5: RSET starts the next transaction clean; pipelined with it when the
                // server allows, else sent now, where a dead connection fails
                candidate.session().resetForNextTransaction();
                return new Lease(candidate.session(), true);
            } catch (IOException e) {
                LOG.debug("Discarding a stale SMTP session: {}", e.getMessage());
                discard(candidate.session());
            }
        }
    }

    /** A new session, skipping the idle ones (used to retry after a reused session turned out stale). */
    Lease borrowNew() throws IOException {
        acquire(false, System.nanoTime() + waitNanos);
        return new Lease(openNew(), false);
    }

    /**
     * Takes an idle session (when {@code idleAllowed}) or reserves the slot of a new one (null); waits while all
     * maxConnections are borrowed. A new session wanted while idle ones fill every slot replaces the oldest idle one.
     */
    private Idle acquire(boolean idleAllowed, long deadline) throws IOException {
        SmtpSession replaced = null;
        try {
            synchronized (this) {
                while (true) {
                    if (closed) {
                        throw new IllegalStateException("The SMTP producer is stopped");
                    }
                    if (idleAllowed && !idle.isEmpty()) {
                        return idle.pollFirst();
                    }
                    if (open < maxConnections) {
                        open++;
                        return null;
                    }
                    if (!idle.isEmpty()) {
                        replaced = idle.pollLast().session(); // its slot goes to the new session
                        return null;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IOException("All " + maxConnections + " connections to " + server + " (maxConnections)"
                                + " stayed busy for " + waitNanos / 1_000_000 + " ms (connectTimeout); the message was"
                                + " not sent");
                    }
                    try {
                        wait(Math.max(1, left / 1_000_000), 0);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while waiting for a connection to " + server);
                    }
                }
            }
        } finally {
            if (replaced != null) {
                replaced.close();
            }
        }
    }

    private SmtpSession openNew() throws IOException {
        try {
            return opener.open();
        } catch (IOException | RuntimeException | Error e) {
            release();
            throw e;
        }
    }

    /** A slot is free again: one waiting exchange may open a session in it. */
    private synchronized void release() {
        open--;
        notifyAll();
    }

    /** Gives a session back for the next exchange. */
    void giveBack(SmtpSession session) {
        synchronized (this) {
            if (!closed) {
                idle.addFirst(new Idle(session, System.nanoTime()));
                notifyAll();
                return;
            }
        }
        discard(session);
    }

    /** Closes a session that must not be used again (broken, or its state is unknown), freeing its slot. */
    void discard(SmtpSession session) {
        try {
            session.close();
        } finally {
            release();
        }
    }

    /** Closes the sessions idle longer than the idle timeout; QUIT is sent outside the lock. */
    void closeExpired() {
        List<SmtpSession> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (Iterator<Idle> it = idle.iterator(); it.hasNext();) {
                Idle entry = it.next();
                if (now - entry.since() > idleTimeoutNanos) {
                    it.remove();
                    expired.add(entry.session());
                }
            }
        }
        expired.forEach(this::discard);
    }

    /** Sessions open and waiting for the next exchange. */
    synchronized int idleCount() {
        return idle.size();
    }

    /** Sessions open (or being opened), borrowed or idle. */
    synchronized int openCount() {
        return open;
    }

    /** Closes every idle session; sessions still borrowed are closed when given back; waiting exchanges fail. */
    void close() {
        List<SmtpSession> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.forEach(entry -> all.add(entry.session()));
            idle.clear();
            notifyAll();
        }
        all.forEach(this::discard);
    }
}
