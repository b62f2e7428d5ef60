package io.catalystmail.camel;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.catalystmail.camel.mailbox.MailboxSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the consumer's poll is running, for a stop or suspend on another thread. A poll stuck on a server that
 * does not answer would hold the stop for as long as the server likes, and a LOGOUT sent then would wait on the
 * very socket the poll reads: after a short grace the stopping thread closes the poll's socket instead, so the poll
 * fails at once and nothing is marked (the usual failure path).
 */
final class PollInProgress {

    private static final Logger LOG = LoggerFactory.getLogger(PollInProgress.class);
    /** How long a stop lets a running poll end on its own (and the session say LOGOUT) before closing its socket. */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private boolean polling;

    synchronized void begin() {
        polling = true;
    }

    synchronized void end() {
        polling = false;
        notifyAll();
    }

    /** Waits out the grace for a running poll, then closes the poll's session if the poll is still running. */
    void interrupt(Supplier<MailboxSession> current, String why) throws InterruptedException {
        long end = System.nanoTime() + GRACE_NANOS;
        synchronized (this) {
            long left;
            while (polling && (left = end - System.nanoTime()) > 0) {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (!polling) {
                return;
            }
        }
        MailboxSession session = current.get();
        if (session == null) {
            return;
        }
        LOG.info("Closing the connection of a poll in progress: the consumer is {}", why);
        session.abort();
    }
}
