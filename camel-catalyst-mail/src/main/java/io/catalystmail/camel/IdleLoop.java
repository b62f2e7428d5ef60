package io.catalystmail.camel;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.catalystmail.camel.imap.ImapCommandException;
import io.catalystmail.camel.imap.ImapIdle;
import io.catalystmail.camel.imap.ImapMailboxSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push delivery for an IMAP consumer (option {@code idle}, RFC 2177): a thread of the consumer's own keeps its
 * connection in IDLE between polls and, when the server announces new mail, runs a poll at once through the
 * consumer's poll path, so the search, the rounds and commit-after-success are the same as on the schedule.
 * <p>
 * Polls and IDLE take turns on the one connection: a poll (scheduled or triggered) first wakes a running IDLE
 * (DONE) and waits until it has handed the connection back. Mail announced while a poll runs (an EXISTS inside
 * another command's answer, which the poll's commands do not act on) makes the loop poll once more before it idles
 * again, so nothing waits for the schedule. A lost connection makes it poll at once (which reconnects); when that
 * fails it tries again after 1 s, doubling up to a minute (never later than the schedule would), so mail does not
 * wait for a poll an hour away once the server is back. A server without IDLE, or refusing it, ends the loop
 * for good: the schedule alone polls, as logged once.
 */
final class IdleLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(IdleLoop.class);
    /** How long stop or suspend lets the IDLE end politely (DONE) before the connection is closed. */
    private static final long GRACE_MILLIS = 1000;
    /** Re-checks the consumer's state this often, whatever woke (or failed to wake) the loop. */
    private static final long RECHECK_MILLIS = 1000;
    /** The first retry of a failed reconnect; each further one waits twice as long, up to the maximum. */
    private static final long FIRST_RECONNECT_MILLIS = 1000;
    private static final long MAX_RECONNECT_MILLIS = 60_000;
    /**
     * Connections in a row whose IDLE got a BYE in place of the continuation before the loop takes it for a refusal:
     * a server restarting says it once (the next connections are refused or idle), one that says it every time took
     * the connection, the login and the poll each time and would be reconnected to without end.
     */
    static final int BYES_BEFORE_FALLBACK = 3;

    /** What the loop needs from its consumer. */
    interface Consumer {
        /** The open IMAP session, or null while none is open. */
        ImapMailboxSession session();

        /** False while the consumer is not started, suspending, suspended or stopping. */
        boolean mayIdle();

        /** Runs a poll now through the consumer's own poll path (one poll at a time); never throws. */
        void pollNow();

        /** Drops the session's connection without a goodbye (it is out of step or dead). */
        void abortSession();
    }

    private final Consumer consumer;
    private final Duration renewAfter;
    private final Duration answerTimeout;
    private final String server;
    /** IDLEs answered with BYE in place of the continuation since the last one the server accepted; loop thread only. */
    private int byesInARow;

    // guarded by this
    private boolean polling;
    private boolean idleTurn;
    private ImapIdle current;
    private boolean pollAgain;
    private boolean stopped;
    /** A session was open once: before that, the schedule's first poll (initialDelay) connects. */
    private boolean connectedOnce;
    /** 0 while connected; else how long the current wait for a reconnect lasts. */
    private long reconnectDelayMillis;
    private long reconnectAtNanos;
    private ImapMailboxSession sessionAtPollStart;
    private long changesAtPollStart;

    IdleLoop(Consumer consumer, Duration renewAfter, Duration answerTimeout, String server) {
        if (renewAfter.isNegative() || renewAfter.isZero()) {
            throw new IllegalArgumentException("idleRenewInterval must be positive, but is " + renewAfter.toMillis());
        }
        this.consumer = consumer;
        this.renewAfter = renewAfter;
        this.answerTimeout = answerTimeout;
        this.server = server;
    }

    @Override
    public void run() {
        try {
            while (true) {
                ImapMailboxSession session;
                synchronized (this) {
                    while (!stopped && !pollAgain && (polling || !consumer.mayIdle() || consumer.session() == null)) {
                        if (reconnectDue()) {
                            pollAgain = true;
                            break;
                        }
                        wait(RECHECK_MILLIS);
                    }
                    if (stopped) {
                        return;
                    }
                    if (pollAgain) {
                        pollAgain = false;
                        session = null;
                    } else {
                        session = consumer.session();
                        idleTurn = true;
                        connectedOnce = true;
                        reconnectDelayMillis = 0;
                    }
                }
                if (session == null) {
                    consumer.pollNow();
                    continue;
                }
                Turn turn = idleOnce(session);
                if (turn == Turn.FALLBACK) {
                    return;
                }
                if (turn == Turn.POLL) {
                    consumer.pollNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * True when the connection is gone (a poll failed to reconnect) and the retry is due; tracks the backoff.
     * Called with the lock held, at least every {@link #RECHECK_MILLIS}.
     */
    private boolean reconnectDue() {
        if (polling || !consumer.mayIdle()) {
            return false;
        }
        if (consumer.session() != null) {
            connectedOnce = true;
            reconnectDelayMillis = 0;
            return false;
        }
        if (!connectedOnce) {
            return false;
        }
        long now = System.nanoTime();
        if (reconnectDelayMillis == 0) {
            reconnectDelayMillis = FIRST_RECONNECT_MILLIS;
            reconnectAtNanos = now + TimeUnit.MILLISECONDS.toNanos(reconnectDelayMillis);
            return false;
        }
        if (now - reconnectAtNanos < 0) {
            return false;
        }
        reconnectDelayMillis = Math.min(reconnectDelayMillis * 2, MAX_RECONNECT_MILLIS);
        reconnectAtNanos = now + TimeUnit.MILLISECONDS.toNanos(reconnectDelayMillis);
        return true;
    }

    private enum Turn { IDLE_AGAIN, POLL, FALLBACK }

    /** One IDLE on the session's connection, handed back (with the turn) however it ends. */
    private Turn idleOnce(ImapMailboxSession session) {
        try {
            ImapIdle idle = session.idle();
            if (idle == null) {
                LOG.info("IMAP server {} does not offer IDLE: polling on the schedule only (option delay)", server);
                return Turn.FALLBACK;
            }
            synchronized (this) {
                if (polling || stopped || !consumer.mayIdle()) {
                    return Turn.IDLE_AGAIN;
                }
                current = idle;
            }
            try {
                idle.start();
                byesInARow = 0;
            } catch (ImapCommandException e) {
                if (closing(e) && ++byesInARow < BYES_BEFORE_FALLBACK) {
                    throw e;
                }
                if (closing(e)) {
                    LOG.info("IMAP server {} answered IDLE with BYE on {} connections in a row ({}): polling on the"
                            + " schedule only (option delay)", server, byesInARow, e.getMessage());
                    consumer.abortSession();
                } else {
                    LOG.info("IMAP server {} refused IDLE ({}): polling on the schedule only (option delay)", server,
                            e.getMessage());
                }
                return Turn.FALLBACK;
            }
            return idle.await(renewAfter) == ImapIdle.Outcome.CHANGED ? Turn.POLL : Turn.IDLE_AGAIN;
        } catch (ImapCommandException e) {
            // the server ended an IDLE it had accepted (RFC 2177 lets it, e.g. on a timeout of its own): the
            // connection is in step; or it said BYE and closed (a restart), which the poll finds and reconnects for:
            // poll, then idle again
            LOG.debug("IMAP server {} ended IDLE: {}", server, e.getMessage());
            return Turn.POLL;
        } catch (IOException | RuntimeException e) {
            boolean quiet;
            synchronized (this) {
                quiet = stopped || !consumer.mayIdle();
            }
            if (!quiet) {
                LOG.warn("IDLE on {} failed ({}); reconnecting with a poll now", server, e.getMessage());
            }
            consumer.abortSession();
            return quiet ? Turn.IDLE_AGAIN : Turn.POLL;
        } finally {
            synchronized (this) {
                current = null;
                idleTurn = false;
                notifyAll();
            }
        }
    }

    /**
     * A BYE (RFC 3501 §7.1.5) in place of IDLE's continuation is no refusal: the server is closing the connection (a
     * restart, its own autologout), and the next connection idles again, as after a BYE while idling.
     */
    private static boolean closing(ImapCommandException e) {
        return e.status().equals("BYE");
    }

    /**
     * Called by the poll before it uses the session: ends a running IDLE and waits until the connection is handed
     * back. The IDLE's DONE must be answered within the read timeout, after which the IDLE closes the connection
     * itself; should the loop still hold it, it is closed here too. A poll that fails here (interrupted, as when
     * the consumer's scheduler is shut down) never got the connection and calls no {@link #pollEnded()}: the loop
     * is told here, or it would wait for that poll's end for good and never idle again.
     */
    void pollStarting() throws InterruptedException {
        long limit = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(answerTimeout.toMillis() + GRACE_MILLIS);
        synchronized (this) {
            polling = true;
            try {
                awaitHandBack(limit);
            } catch (InterruptedException | RuntimeException e) {
                polling = false;
                notifyAll();
                throw e;
            }
            sessionAtPollStart = consumer.session();
            changesAtPollStart = sessionAtPollStart == null ? -1 : sessionAtPollStart.mailboxChanges();
        }
    }

    /** Wakes a running IDLE and waits until the loop hands the connection back; closes it after the limit. */
    private void awaitHandBack(long limit) throws InterruptedException {
        boolean aborted = false;
        while (idleTurn) {
            if (current != null) {
                current.wakeUp();
            }
            long left = limit - System.nanoTime();
            if (left <= 0 && !aborted) {
                consumer.abortSession();
                aborted = true;
            }
            wait(Math.max(1, Math.min(RECHECK_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }

    /** Called when the poll is done with the session; polls again when new mail was announced meanwhile. */
    synchronized void pollEnded() {
        polling = false;
        ImapMailboxSession session = consumer.session();
        // a session the poll opened searched after its SELECT: only what it announced since then is news
        long before = session == sessionAtPollStart ? changesAtPollStart : 0;
        if (session != null && session.mailboxChanges() != before) {
            pollAgain = true;
        }
        sessionAtPollStart = null;
        notifyAll();
    }

    /** Ends a running IDLE (DONE) so the consumer can suspend; the loop waits until it may idle again. */
    synchronized void pause() {
        if (current != null) {
            current.wakeUp();
        }
        notifyAll();
    }

    /**
     * The consumer resumed: poll at once (mail may have come while it was suspended, and not every server announces
     * it when the next IDLE begins), then idle again.
     */
    synchronized void resumed() {
        pollAgain = true;
        notifyAll();
    }

    /** Ends the loop: DONE first, then, after a short grace, the connection is closed if IDLE has not ended. */
    void stop() throws InterruptedException {
        synchronized (this) {
            stopped = true;
            if (current != null) {
                current.wakeUp();
            }
            notifyAll();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
            long left;
            while (idleTurn && (left = end - System.nanoTime()) > 0) {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (!idleTurn) {
                return;
            }
        }
        LOG.info("Closing the connection to {}: IDLE did not end within {} ms of the stop", server, GRACE_MILLIS);
        consumer.abortSession();
    }
}
