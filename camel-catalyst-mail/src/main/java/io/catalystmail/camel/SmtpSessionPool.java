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
    private final Deque<Idle> idle = new ArrayDeque<>();
    private boolean closed;

    SmtpSessionPool(SessionOpener opener, long idleTimeoutMillis) {
        this.opener = opener;
        this.idleTimeoutNanos = idleTimeoutMillis * 1_000_000L;
    }

    /** The most recently used idle session, reset and alive, or a new one. */
    Lease borrow() throws IOException {
        while (true) {
            Idle candidate;
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("The SMTP producer is stopped");
                }
                candidate = idle.pollFirst();
            }
            if (candidate == null) {
                return new Lease(opener.open(), false);
            }
            if (System.nanoTime() - candidate.since() > idleTimeoutNanos) {
                candidate.session().close();
                continue;
            }
            try {
                // RFC 5321 section 4.1.1.5: RSET starts the next transaction clean; pipelined with it when the
                // server allows, else sent now, where a dead connection fails
                candidate.session().resetForNextTransaction();
                return new Lease(candidate.session(), true);
            } catch (IOException e) {
                LOG.debug("Discarding a stale SMTP session: {}", e.getMessage());
                candidate.session().close();
            }
        }
    }

    /** A new session, skipping the idle ones (used to retry after a reused session turned out stale). */
    Lease borrowNew() throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("The SMTP producer is stopped");
            }
        }
        return new Lease(opener.open(), false);
    }

    /** Gives a session back for the next exchange. */
    void giveBack(SmtpSession session) {
        synchronized (this) {
            if (!closed) {
                idle.addFirst(new Idle(session, System.nanoTime()));
                return;
            }
        }
        session.close();
    }

    /** Closes a session that must not be used again (broken, or its state is unknown). */
    void discard(SmtpSession session) {
        session.close();
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
        expired.forEach(SmtpSession::close);
    }

    /** Sessions open and waiting for the next exchange. */
    synchronized int idleCount() {
        return idle.size();
    }

    /** Closes every idle session; sessions still borrowed are closed when given back. */
    void close() {
        List<SmtpSession> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.forEach(entry -> all.add(entry.session()));
            idle.clear();
        }
        all.forEach(SmtpSession::close);
    }
}
