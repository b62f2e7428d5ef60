package io.catalystmail.camel;

import java.time.Instant;
import java.util.Map;

import io.catalystmail.camel.smtp.SmtpSession;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of a producer: the SMTP server is reachable, TLS verifies, and it accepts our login. It connects,
 * greets, authenticates and says QUIT; no mail is sent. The result is kept for {@code minIntervalMillis}, so a
 * monitoring system that asks every second does not open a connection every second.
 */
final class SmtpLoginHealthCheck extends AbstractHealthCheck {

    /** Opens a logged-in session; the producer's connection settings and credentials stay behind this seam. */
    @FunctionalInterface
    interface SessionOpener {
        SmtpSession open() throws java.io.IOException;
    }

    /** Default time between two probes of the server. */
    static final long MIN_INTERVAL_MILLIS = 30_000;

    private final String server;
    private final SessionOpener opener;
    private final long minIntervalNanos;
    private long probedAt;
    private Exception lastFailure;
    private Instant lastProbe;

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
    protected synchronized void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long now = System.nanoTime();
        if (lastProbe == null || now - probedAt >= minIntervalNanos) {
            probedAt = now;
            lastProbe = Instant.now();
            lastFailure = probe();
        }
        builder.detail("server", server);
        builder.detail("probed", lastProbe.toString());
        if (lastFailure == null) {
            builder.up();
        } else {
            // our exceptions name host, command and reply, never a secret
            builder.down().message(lastFailure.getMessage()).error(lastFailure);
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
