package io.catalystmail.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.catalystmail.camel.smtp.SmtpSession;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.spi.ExecutorServiceManager;

/**
 * Readiness of a producer: the SMTP server is reachable, TLS verifies, and it accepts our login. A probe connects,
 * greets, authenticates and says QUIT on a connection of its own (outside maxConnections); no mail is sent. Its result
 * is kept for {@code minIntervalMillis}, so a monitoring system that asks every second does not open a connection
 * every second.
 * <p>
 * A probe may take up to connectTimeout plus loginTimeout (2.5 minutes by default) against a server that accepts
 * the connection and then says nothing, and Camel runs every call of a check under one lock: a probe on the calling
 * thread held every health call behind it that long. So the probe runs on a thread of its own; the call that started
 * it waits for it at most {@link #PROBE_WAIT}, and a call while it runs answers the last result at once (UNKNOWN
 * before the first probe ended).
 * <p>
 * That thread is a single-thread executor of the CamelContext's {@link ExecutorServiceManager}, made for one probe
 * and shut down as the probe ends: named as Camel names its threads, listed among the context's thread pools while it
 * runs, and shut down with the context. Nothing tells a check that its producer removed it from the repository, so an
 * executor kept from one probe to the next would outlive a producer stopped for good.
 */
final class SmtpLoginHealthCheck extends AbstractHealthCheck {

    /** Opens a logged-in session; the producer's connection settings and credentials stay behind this seam. */
    @FunctionalInterface
    interface SessionOpener {
        SmtpSession open() throws java.io.IOException;
    }

    /** Default time between two probes of the server. */
    static final long MIN_INTERVAL_MILLIS = 30_000;

    /**
     * Longest a health call waits for the probe it started: a login to a server in good health takes well under it,
     * and it stays below the 1 s to a few seconds monitoring systems give a health request.
     */
    static final Duration PROBE_WAIT = Duration.ofSeconds(2);

    /** What one probe found: when it started, and why the login failed (null when it succeeded). */
    private record Probe(Instant started, Exception failure) {
    }

    private final String server;
    private final SessionOpener opener;
    private final long minIntervalNanos;
    // guarded by this
    private long probedAt;
    private Probe last;
    private CompletableFuture<Probe> running;

    SmtpLoginHealthCheck(String id, String server, SessionOpener opener, long minIntervalMillis) {
        super("camel", "producer:catalystmail-" + id);
        this.server = server;
        this.opener = opener;
        this.minIntervalNanos = minIntervalMillis * 1_000_000L;
    }

    @Override
    public boolean isLiveness() {
        // a mail server that is down is no reason to restart this application
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        CompletableFuture<Probe> started = startProbeIfDue();
        if (started != null) {
            try {
                started.get(PROBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // answered from the last result; the probe goes on and a later call reports it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the login probe of " + server + " failed unexpectedly", e);
            }
        }
        report(builder);
    }

    private synchronized CompletableFuture<Probe> startProbeIfDue() {
        long now = System.nanoTime();
        if (running != null || last != null && now - probedAt < minIntervalNanos) {
            return null;
        }
        probedAt = now;
        CompletableFuture<Probe> probe = new CompletableFuture<>();
        Instant started = Instant.now();
        ExecutorServiceManager threads = getCamelContext().getExecutorServiceManager();
        // Camel's threads are daemons: a probe ends by its own timeouts and never holds the JVM
        ExecutorService thread = threads.newSingleThreadExecutor(this, "CatalystMailHealthProbe " + server);
        try {
            thread.execute(() -> probeAndFinish(probe, started, () -> threads.shutdown(thread)));
        } catch (RuntimeException | Error e) {
            // no native thread left, or the context shutting down: no probe is left "running"
            threads.shutdownNow(thread);
            throw e;
        }
        running = probe;
        return probe;
    }

    /**
     * The probe's thread: whatever ends it, an Error included, ends the probe, so the next due call probes again,
     * and shuts its executor down ({@code done}).
     */
    private void probeAndFinish(CompletableFuture<Probe> probe, Instant started, Runnable done) {
        Exception failure = null;
        try {
            failure = probe();
        } catch (Error e) {
            failure = new IllegalStateException("the login probe of " + server + " failed: " + e, e);
            throw e;
        } finally {
            finished(probe, new Probe(started, failure));
            done.run();
        }
    }

    private synchronized void finished(CompletableFuture<Probe> probe, Probe result) {
        last = result;
        running = null;
        probe.complete(result);
    }

    private void report(HealthCheckResultBuilder builder) {
        Probe result;
        boolean probing;
        synchronized (this) {
            result = last;
            probing = running != null;
        }
        builder.detail("server", server);
        if (probing) {
            builder.detail("probing", true);
        }
        if (result == null) {
            builder.unknown().message("the first login probe of " + server + " has not ended yet (it may take up to"
                    + " connectTimeout plus loginTimeout)");
            return;
        }
        builder.detail("probed", result.started().toString());
        if (result.failure() == null) {
            builder.up();
        } else {
            // our exceptions name host, command and reply, never a secret
            builder.down().message(result.failure().getMessage()).error(result.failure());
        }
    }

    private Exception probe() {
        try (SmtpSession session = opener.open()) {
            return null;
        } catch (Exception e) {
            return e;
        }
    }
}
