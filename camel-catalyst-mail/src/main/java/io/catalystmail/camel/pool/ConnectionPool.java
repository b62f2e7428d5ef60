package io.catalystmail.camel.pool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logged-in connections kept between exchanges, so a route does not pay for connect, TLS and login per exchange:
 * the SMTP producer's sessions and the IMAP operations producer's connections. Each exchange borrows its own (the
 * protocol classes are not thread-safe) and gives it back; an idle one is checked by {@link Connections#reusable}
 * before it is lent again and replaced when that fails; one idle longer than the idle timeout is closed, by
 * {@link #closeExpired()} (on a schedule) or when it is next looked at.
 *
 * <p>At most {@code maxConnections} are open at once, borrowed or idle: servers cap the connections one client may
 * hold (Postfix's smtpd_client_connection_count_limit, 50; Dovecot's mail_max_userip_connections, 10), and a burst
 * beyond that would only be refused. An exchange that finds every connection busy waits, in arrival order (a late
 * comer never overtakes one that waits already), up to the wait deadline, and then fails naming server and limit.
 *
 * @param <S> the connection; the pool knows it only through {@link Connections}
 */
public final class ConnectionPool<S> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

    /** How connections of one kind are opened, checked and closed; the protocol stays behind this seam. */
    public interface Connections<S> {
        /** Connects and logs in. */
        S open() throws IOException;

        /**
         * Whether an idle connection may be lent again after {@code idleNanos} unused: SMTP resets it with RSET,
         * IMAP sends NOOP when the server spoke meanwhile. False when it is gone; never throws.
         */
        boolean reusable(S connection, long idleNanos);

        /** Logs out and closes; never throws. */
        void close(S connection);
    }

    /** A borrowed connection and whether it served an exchange before (only then can a failure mean it went stale). */
    public record Lease<S>(S connection, boolean reused) {
    }

    /** Limits of a pool, and how its errors name the server and the options. */
    public record Limits(long idleTimeoutMillis, int maxConnections, long waitMillis, String server) {
        public Limits {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
            }
        }
    }

    private record Idle<S>(S connection, long since) {
    }

    private final Connections<S> connections;
    private final long idleTimeoutNanos;
    private final int maxConnections;
    private final long waitNanos;
    private final String server;
    private final Deque<Idle<S>> idle = new ArrayDeque<>();
    /** Exchanges waiting for a connection, first come first served. */
    private final Deque<Object> waiting = new ArrayDeque<>();
    /** Connections open or being opened, borrowed or idle; never above maxConnections. */
    private int open;
    private boolean closed;

    public ConnectionPool(Connections<S> connections, Limits limits) {
        this.connections = connections;
        this.idleTimeoutNanos = limits.idleTimeoutMillis() * 1_000_000L;
        this.maxConnections = limits.maxConnections();
        this.waitNanos = Math.max(0, limits.waitMillis()) * 1_000_000L;
        this.server = limits.server();
    }

    /**
     * The most recently used idle connection that passes its check, or a new one while fewer than the limit are
     * open.
     */
    public Lease<S> borrow() throws IOException {
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            Idle<S> candidate = acquire(true, deadline);
            if (candidate == null) {
                return new Lease<>(openNew(), false);
            }
            long idleFor = System.nanoTime() - candidate.since();
            if (idleFor <= idleTimeoutNanos && connections.reusable(candidate.connection(), idleFor)) {
                return new Lease<>(candidate.connection(), true);
            }
            LOG.debug("Replacing a connection to {} that expired or failed its check", server);
            discard(candidate.connection());
        }
    }

    /** A new connection, skipping the idle ones (to retry after a reused one turned out stale). */
    public Lease<S> borrowNew() throws IOException {
        acquire(false, System.nanoTime() + waitNanos);
        return new Lease<>(openNew(), false);
    }

    /**
     * Takes an idle connection (when {@code idleAllowed}) or reserves the slot of a new one (null), once every
     * exchange that waited before has been served; waits while all maxConnections are borrowed. A new connection
     * wanted while idle ones fill every slot replaces the oldest idle one.
     */
    private Idle<S> acquire(boolean idleAllowed, long deadline) throws IOException {
        Object ticket = null;
        Idle<S> replaced = null;
        try {
            synchronized (this) {
                try {
                    while (true) {
                        if (closed) {
                            throw new IllegalStateException("The connection pool for " + server + " is closed (the"
                                    + " producer stopped)");
                        }
                        if (waiting.isEmpty() || waiting.peekFirst() == ticket) {
                            if (idleAllowed && !idle.isEmpty()) {
                                return idle.pollFirst();
                            }
                            if (open < maxConnections) {
                                open++;
                                return null;
                            }
                            if (!idle.isEmpty()) {
                                replaced = idle.pollLast(); // its slot goes to the new connection
                                return null;
                            }
                        }
                        if (ticket == null) {
                            ticket = new Object();
                            waiting.addLast(ticket);
                        }
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new IOException("All " + maxConnections + " connections to " + server
                                    + " (maxConnections) stayed busy for " + waitNanos / 1_000_000
                                    + " ms (connectTimeout); nothing was sent");
                        }
                        wait(Math.max(1, left / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for a connection to " + server);
                } finally {
                    if (ticket != null) {
                        waiting.remove(ticket);
                        notifyAll(); // the next in line may take what is free
                    }
                }
            }
        } finally {
            if (replaced != null) {
                closeReplaced(replaced.connection());
            }
        }
    }

    /**
     * Closes the idle connection whose slot a new one took. A close that throws despite its promise must not fail
     * the borrow: the slot is already the new connection's, and nobody would open it (the pool one smaller for good).
     */
    private void closeReplaced(S connection) {
        try {
            connections.close(connection);
        } catch (RuntimeException e) {
            LOG.warn("Closing an idle connection to {} to make room for a new one failed: {}", server, e.toString());
        }
    }

    private S openNew() throws IOException {
        try {
            return connections.open();
        } catch (IOException | RuntimeException | Error e) {
            release();
            throw e;
        }
    }

    /** A slot is free again: the first waiting exchange may open a connection in it. */
    private synchronized void release() {
        open--;
        notifyAll();
    }

    /** Gives a connection back for the next exchange. */
    public void giveBack(S connection) {
        synchronized (this) {
            if (!closed) {
                idle.addFirst(new Idle<>(connection, System.nanoTime()));
                notifyAll();
                return;
            }
        }
        discard(connection);
    }

    /** Closes a connection that must not be used again (broken, or its state unknown), freeing its slot. */
    public void discard(S connection) {
        try {
            connections.close(connection);
        } finally {
            release();
        }
    }

    /** Closes the connections idle longer than the idle timeout; the logout is sent outside the lock. */
    public void closeExpired() {
        List<S> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (Iterator<Idle<S>> it = idle.iterator(); it.hasNext();) {
                Idle<S> entry = it.next();
                if (now - entry.since() > idleTimeoutNanos) {
                    it.remove();
                    expired.add(entry.connection());
                }
            }
        }
        discardEach(expired);
    }

    /**
     * Discards each connection in its own try: {@link Connections#close} promises not to throw, but one that does
     * (a bug) must not leave the ones after it off the idle list yet counted open, which would shrink the
     * pool for good. The first failure is rethrown once every slot is free.
     */
    private void discardEach(List<S> doomed) {
        RuntimeException first = null;
        for (S connection : doomed) {
            try {
                discard(connection);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Connections open and waiting for the next exchange. */
    public synchronized int idleCount() {
        return idle.size();
    }

    /** Connections open (or being opened), borrowed or idle. */
    public synchronized int openCount() {
        return open;
    }

    /** Closes every idle connection; borrowed ones are closed when given back; waiting exchanges fail. */
    public void close() {
        List<S> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.forEach(entry -> all.add(entry.connection()));
            idle.clear();
            notifyAll();
        }
        discardEach(all);
    }
}
