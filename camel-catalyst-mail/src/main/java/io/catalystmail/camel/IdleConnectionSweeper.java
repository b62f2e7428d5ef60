package io.catalystmail.camel;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;

/**
 * Closes a connection pool's idle connections on a timer, every half of {@code idleTimeout} (at least 1 s, at most
 * 30 s), on a thread from Camel's executor service manager: one per SMTP producer, one per shared pool of the IMAP
 * operations producers.
 */
public final class IdleConnectionSweeper {

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
        executor.scheduleWithFixedDelay(closeExpired, period, period, TimeUnit.MILLISECONDS);
        return new IdleConnectionSweeper(context, executor);
    }

    public void stop() {
        context.getExecutorServiceManager().shutdownNow(executor);
    }
}
