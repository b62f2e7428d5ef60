package io.catalystmail.camel;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection pool's idle connections on a timer, every half of {@code idleTimeout} (at least 1 s, at most
 * 30 s), on a thread from Camel's executor service manager: one per SMTP producer, one per shared pool of the IMAP
 * operations producers. A sweep that fails (a connection whose close throws) is logged and the next one runs as
 * planned: a scheduled executor runs a task that threw never again, which would leave idle connections open, each
 * holding a place in its pool, for as long as the producer lives.
 */
public final class IdleConnectionSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(IdleConnectionSweeper.class);

    private final CamelContext context;
    private final ScheduledExecutorService executor;

    private IdleConnectionSweeper(CamelContext context, ScheduledExecutorService executor) {
        this.context = context;
        this.executor = executor;
    }

    public static IdleConnectionSweeper start(CamelContext context, Object source, String threadName,
            long idleTimeoutMillis, Runnable closeExpired) {
        long period = Math.max(1000, Math.min(idleTimeoutMillis, 60_000) / 2);
        ScheduledExecutorService executor = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(source, threadName);
        executor.scheduleWithFixedDelay(() -> sweep(closeExpired, threadName), period, period, TimeUnit.MILLISECONDS);
        return new IdleConnectionSweeper(context, executor);
    }

    private static void sweep(Runnable closeExpired, String threadName) {
        try {
            closeExpired.run();
        } catch (RuntimeException | Error e) {
            LOG.warn("{}: closing the idle connections failed ({}); the next sweep tries again", threadName,
                    String.valueOf(e), e);
        }
    }

    public void stop() {
        context.getExecutorServiceManager().shutdownNow(executor);
    }
}
