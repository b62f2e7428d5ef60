package io.catalystmail.camel.operations;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logged-in mailbox connections kept between exchanges, as the SMTP producer keeps its sessions: each exchange
 * borrows its own (the protocol classes are not thread-safe) and gives it back; a connection the server closed or
 * spoke on while it was idle, or one idle for more than {@link #CHECK_AFTER_NANOS}, is checked with a round trip
 * before it is lent again and replaced when the server dropped it; connections idle longer than the idle timeout are closed by {@link #closeExpired()} (on a schedule)
 * or when next looked at.
 */
final class IdleSessionPool<S extends IdleSessionPool.Pooled> {

    private static final Logger LOG = LoggerFactory.getLogger(IdleSessionPool.class);

    /**
     * A connection idle longer than this gets a round trip before it is lent again, even if it looks fine: a peer
     * that vanished without closing (a NAT that forgot the connection) shows only that way.
     */
    static final long CHECK_AFTER_NANOS = 30_000_000_000L;

    /** What the pool needs of a connection. */
    interface Pooled {
        /** A round trip (NOOP); false when the connection is gone. */
        boolean isAlive();

        /** Without a round trip: true when the connection must be checked (the server spoke or hung up). */
        boolean needsCheck();

        /** Logs out and closes; never throws. */
        void close();
    }

    @FunctionalInterface
    interface Opener<S> {
        S open() throws IOException;
    }

    private record Idle<S>(S session, long since) {
    }

    private final Opener<S> opener;
    private final long idleTimeoutNanos;
    private final Deque<Idle<S>> idle = new ArrayDeque<>();
    private boolean closed;

    IdleSessionPool(Opener<S> opener, long idleTimeoutMillis) {
        this.opener = opener;
        this.idleTimeoutNanos = idleTimeoutMillis * 1_000_000L;
    }

    /** The most recently used idle connection that is still alive, or a new one. */
    S borrow() throws IOException {
        while (true) {
            Idle<S> candidate;
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("The mailbox operations producer is stopped");
                }
                candidate = idle.pollFirst();
            }
            if (candidate == null) {
                return opener.open();
            }
            long idleFor = System.nanoTime() - candidate.since();
            if (idleFor > idleTimeoutNanos) {
                candidate.session().close();
            } else if (idleFor < CHECK_AFTER_NANOS && !candidate.session().needsCheck()
                    || candidate.session().isAlive()) {
                return candidate.session();
            } else {
                LOG.debug("Discarding a mailbox connection the server dropped while it was idle");
                candidate.session().close();
            }
        }
    }

    /** Gives a connection back for the next exchange. */
    void giveBack(S session) {
        synchronized (this) {
            if (!closed) {
                idle.addFirst(new Idle<>(session, System.nanoTime()));
                return;
            }
        }
        session.close();
    }

    /** Closes the connections idle longer than the idle timeout; LOGOUT is sent outside the lock. */
    void closeExpired() {
        List<S> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (Iterator<Idle<S>> it = idle.iterator(); it.hasNext();) {
                Idle<S> entry = it.next();
                if (now - entry.since() > idleTimeoutNanos) {
                    it.remove();
                    expired.add(entry.session());
                }
            }
        }
        expired.forEach(Pooled::close);
    }

    synchronized int idleCount() {
        return idle.size();
    }

    /** Closes every idle connection; borrowed ones are closed when given back. */
    void close() {
        List<S> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.forEach(entry -> all.add(entry.session()));
            idle.clear();
        }
        all.forEach(Pooled::close);
    }
}
