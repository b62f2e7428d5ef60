package io.catalystmail.camel.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.concurrent.atomic.LongAdder;

/**
 * The figures of one sending endpoint: messages the server accepted, recipients it rejected, deliveries whose
 * outcome is unknown (the connection was lost after the data went out), failed sends and logins.
 */
public final class SubmissionStatistics {

    private final String server;
    private final LongAdder sent = new LongAdder();
    private final LongAdder rejectedRecipients = new LongAdder();
    private final LongAdder uncertain = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder loginFailures = new LongAdder();
    private final LongAdder sessionsOpened = new LongAdder();
    private final AtomicLong lastSent = new AtomicLong();
    private volatile String capabilities = "";
    private final List<IntSupplier> pools = new CopyOnWriteArrayList<>();

    public SubmissionStatistics(String server) {
        this.server = server;
    }

    /** The server accepted the message; {@code rejected} recipients of it were refused. */
    public void sent(int rejected) {
        sent.increment();
        rejectedRecipients.add(rejected);
        lastSent.set(System.currentTimeMillis());
    }

    /** The server refused the message; {@code rejected} recipients were refused one by one. */
    public void refused(int rejected) {
        failed.increment();
        rejectedRecipients.add(rejected);
    }

    public void uncertain() {
        uncertain.increment();
        failed.increment();
    }

    public void failed() {
        failed.increment();
    }

    public void loginFailed() {
        loginFailures.increment();
    }

    public void sessionOpened(String capabilities) {
        sessionsOpened.increment();
        this.capabilities = capabilities == null ? "" : capabilities;
    }

    /** A producer's session pool, counted in {@link #idleSessions()} until removed. */
    public void addPool(IntSupplier idleSessions) {
        pools.add(idleSessions);
    }

    public void removePool(IntSupplier idleSessions) {
        pools.remove(idleSessions);
    }

    /** SMTP sessions open and idle in the pools of this endpoint's producers. */
    public int idleSessions() {
        return pools.stream().mapToInt(IntSupplier::getAsInt).sum();
    }

    /** Producers started on this endpoint. */
    public int producers() {
        return pools.size();
    }

    public String server() {
        return server;
    }

    public long messagesSent() {
        return sent.sum();
    }

    public long rejectedRecipients() {
        return rejectedRecipients.sum();
    }

    public long uncertainDeliveries() {
        return uncertain.sum();
    }

    public long sendFailures() {
        return failed.sum();
    }

    public long loginFailures() {
        return loginFailures.sum();
    }

    public long sessionsOpened() {
        return sessionsOpened.sum();
    }

    /** Epoch milliseconds of the last accepted message; 0 before one was. */
    public long lastSent() {
        return lastSent.get();
    }

    public String capabilities() {
        return capabilities;
    }
}
