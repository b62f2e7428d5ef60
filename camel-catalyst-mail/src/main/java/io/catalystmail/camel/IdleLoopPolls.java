package io.catalystmail.camel;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

import io.catalystmail.camel.imap.ImapMailboxSession;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IMAP IDLE loop of one {@link CatalystMailConsumer} (option idle): its thread, and the polls it asks for when
 * mail is announced, a connection was lost or the consumer resumed. Those polls go through the consumer's
 * {@link CatalystMailConsumer#run()}, under its poll lock, so there is still one poll at a time and the poll strategy,
 * sendEmptyMessageWhenIdle, repeatCount, the error and idle counters and the health check apply as to a scheduled
 * poll; only the backoff options, which are about the schedule, are read differently (see {@link #pollNow()}).
 */
final class IdleLoopPolls {

    /** The consumer's category, with its poll lines: where a user filtering the consumer's log looks. */
    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    private final CatalystMailConsumer consumer;
    /** The consumer's poll lock: held by every run(), and here across the backoff's check and the poll. */
    private final Object pollLock;
    private final KeptSession session;
    private final IdleLoop loop;
    private ExecutorService thread;
    /** The loop was told once that the error backoff holds (see {@link #pollNow()}); guarded by the poll lock. */
    private boolean backingOff;
    /** The poll running is the loop's, after polls that failed: a retry of a reconnect (QuietPollFailures). */
    private volatile boolean retrying;

    IdleLoopPolls(CatalystMailConsumer consumer, Object pollLock, KeptSession session, Duration renewAfter) {
        this.consumer = consumer;
        this.pollLock = pollLock;
        this.session = session;
        this.loop = new IdleLoop(new Hooks(), renewAfter, session.settings().readTimeout(),
                session.settings().describe());
    }

    /** Starts the loop on a thread of its own, once the consumer's scheduler runs. */
    void start(ExecutorServiceManager threads) {
        thread = threads.newSingleThreadExecutor(consumer, "CatalystMailIdle");
        thread.execute(loop);
    }

    /** Ends the loop's IDLE; the thread goes with {@link #shutdown}, after the consumer's scheduler stopped. */
    void stop() throws InterruptedException {
        loop.stop();
    }

    void shutdown(ExecutorServiceManager threads) {
        if (thread != null) {
            threads.shutdownNow(thread);
            thread = null;
        }
    }

    void pause() {
        loop.pause();
    }

    void resumed() {
        loop.resumed();
    }

    /** A poll takes the connection: the loop leaves IDLE first. */
    void pollStarting() throws InterruptedException {
        loop.pollStarting();
    }

    void pollEnded() {
        loop.pollEnded();
    }

    /** Whether the poll running is the loop's retry after failed polls. */
    boolean retrying() {
        return retrying;
    }

    /** What the IDLE loop uses of the consumer. */
    private final class Hooks implements IdleLoop.Consumer {
        @Override
        public ImapMailboxSession session() {
            return session.current() instanceof ImapMailboxSession imap ? imap : null;
        }

        @Override
        public boolean mayIdle() {
            return consumer.isStarted();
        }

        @Override
        public void pollNow() {
            IdleLoopPolls.this.pollNow();
        }

        @Override
        public void abortSession() {
            session.abort();
        }
    }

    /**
     * A poll the loop asks for, through the consumer's run(). The backoff options are about the schedule, so: the
     * idle backoff (backoffIdleThreshold) does not hold back a poll the server asked for; while the error backoff
     * (backoffErrorThreshold) holds, the loop starts no poll at all (said once), and the scheduled ticks Camel skips
     * stay the only attempts, as backoffMultiplier says; the loop's own polls never use up those skips.
     */
    private void pollNow() {
        synchronized (pollLock) {
            if (consumer.getBackoffMultiplier() > 0 && consumer.getBackoffErrorThreshold() > 0
                && consumer.getErrorCounter() >= consumer.getBackoffErrorThreshold()) {
                if (!backingOff) {
                    backingOff = true;
                    LOG.info("{} failed {} polls in a row: the IDLE loop polls no more while the error backoff holds;"
                             + " the schedule skips {} polls (backoffMultiplier), then polls and idles again",
                            session.settings().describe(), consumer.getErrorCounter(),
                            consumer.getBackoffMultiplier() - 1);
                }
                return;
            }
            backingOff = false;
            retrying = consumer.getErrorCounter() > 0;
            try {
                runWithoutIdleBackoff();
            } finally {
                retrying = false;
            }
        }
    }

    /** The consumer's run(), the idle backoff left out; called with the poll lock held. */
    private void runWithoutIdleBackoff() {
        int idleThreshold = consumer.getBackoffIdleThreshold();
        if (idleThreshold <= 0 || consumer.getBackoffMultiplier() <= 0) {
            consumer.run();
            return;
        }
        // Camel 4.18 decides the backoff in ScheduledPollConsumer's private doRun(), from its private idle counter
        // and the threshold field itself (no getter to override, no way to reset the counter), and run() is the
        // only way into the poll strategy, the counters and the health check. So the threshold is hidden from
        // this one poll, under the poll lock that every run() takes, and put back at once
        consumer.setBackoffIdleThreshold(0);
        try {
            consumer.run();
        } finally {
            consumer.setBackoffIdleThreshold(idleThreshold);
        }
    }
}
