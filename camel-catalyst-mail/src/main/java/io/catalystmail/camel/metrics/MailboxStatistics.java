package io.catalystmail.camel.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.catalystmail.camel.mailbox.AfterProcessing;

/**
 * The figures of one consuming endpoint: running totals since start (read through JMX, Micrometer and the dev
 * console) and the tally of the poll under way, which becomes its {@link PollSummary}. Counted from the consumer's
 * thread and its fetch-ahead thread, so every counter is thread-safe; nothing here touches the network.
 */
public final class MailboxStatistics {

    private final String mailbox;
    private final LongAdder listed = new LongAdder();
    private final LongAdder fetched = new LongAdder();
    private final LongAdder routed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder polls = new LongAdder();
    private final LongAdder failedPolls = new LongAdder();
    private final LongAdder pollMillis = new LongAdder();
    private final LongAdder loginFailures = new LongAdder();
    private final LongAdder uidValidityChanges = new LongAdder();
    private final Map<String, LongAdder> actions = new ConcurrentHashMap<>();
    private final AtomicLong lastPollMillis = new AtomicLong();
    private final AtomicLong lastSuccessfulPoll = new AtomicLong();
    private final AtomicLong uidValidity = new AtomicLong(-1);
    private volatile PollSummary lastSummary;
    private volatile String connectionState = "not connected";
    private volatile String capabilities = "";
    private volatile Tally current = new Tally();

    public MailboxStatistics(String mailbox) {
        this.mailbox = mailbox;
    }

    /**
     * Runs one poll and returns its summary together with its result; the totals count it whether it ends well or
     * not (then the summary names the failure and the exception is rethrown by {@link Outcome#result()}).
     */
    public <T> Outcome<T> poll(Callable<T> poll) {
        Tally tally = new Tally();
        current = tally;
        long start = System.nanoTime();
        T result = null;
        Exception failure = null;
        try {
            result = poll.call();
        } catch (Exception e) {
            failure = e;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        polls.increment();
        pollMillis.add(millis);
        lastPollMillis.set(millis);
        if (failure == null) {
            lastSuccessfulPoll.set(System.currentTimeMillis());
            tally.actionsPlanned.forEach((action, count) -> total(action).add(count.sum()));
        } else {
            failedPolls.increment();
        }
        Map<String, Long> applied = new TreeMap<>();
        if (failure == null) {
            tally.actionsPlanned.forEach((action, count) -> applied.put(action, count.sum()));
        }
        PollSummary summary = new PollSummary(mailbox, tally.listed.sum(), tally.routed.sum(), tally.failed.sum(),
                tally.skipped.sum(), tally.bytes.sum(), millis, applied,
                failure == null ? null : failure.getClass().getSimpleName() + ": " + failure.getMessage());
        if (summary.eventful()) {
            lastSummary = summary;
        }
        return new Outcome<>(result, failure, summary);
    }

    /** A poll's result or failure with its summary. */
    public record Outcome<T>(T value, Exception failure, PollSummary summary) {
        public T result() throws Exception {
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }

    private LongAdder total(String action) {
        return actions.computeIfAbsent(action, a -> new LongAdder());
    }

    public void listed(int count) {
        listed.add(count);
        current.listed.add(count);
    }

    public void fetched(long size) {
        fetched.increment();
        if (size > 0) {
            bytes.add(size);
            current.bytes.add(size);
        }
    }

    public void routed() {
        routed.increment();
        current.routed.increment();
    }

    public void failed() {
        failed.increment();
        current.failed.increment();
    }

    public void skipped() {
        skipped.increment();
        current.skipped.increment();
    }

    /** An after-processing action decided for one message; counted as applied when its poll completes. */
    public void action(AfterProcessing action) {
        for (String name : names(action)) {
            current.actionsPlanned.computeIfAbsent(name, a -> new LongAdder()).increment();
        }
    }

    private static List<String> names(AfterProcessing action) {
        java.util.ArrayList<String> names = new java.util.ArrayList<>(2);
        if (action.copyTo() != null) {
            names.add("copied to " + action.copyTo());
        }
        if (action.moveTo() != null) {
            names.add("moved to " + action.moveTo());
        } else if (action.delete()) {
            names.add("deleted");
        } else if (action.markSeen()) {
            names.add("marked seen");
        }
        return names;
    }

    public void loginFailed() {
        loginFailures.increment();
    }

    /** The folder's UIDVALIDITY at a session's start; a change from the last one is counted. */
    public void uidValidity(long value, boolean changed) {
        uidValidity.set(value);
        if (changed) {
            uidValidityChanges.increment();
        }
    }

    public void connected(String capabilities) {
        this.connectionState = "connected";
        this.capabilities = capabilities == null ? "" : capabilities;
    }

    public void disconnected(String why) {
        this.connectionState = why;
    }

    public String mailbox() {
        return mailbox;
    }

    public long messagesListed() {
        return listed.sum();
    }

    public long messagesFetched() {
        return fetched.sum();
    }

    public long messagesRouted() {
        return routed.sum();
    }

    public long messagesFailed() {
        return failed.sum();
    }

    public long messagesSkipped() {
        return skipped.sum();
    }

    public long bytesFetched() {
        return bytes.sum();
    }

    public long polls() {
        return polls.sum();
    }

    public long failedPolls() {
        return failedPolls.sum();
    }

    public long totalPollMillis() {
        return pollMillis.sum();
    }

    public long lastPollMillis() {
        return lastPollMillis.get();
    }

    /** Epoch milliseconds of the end of the last poll that completed without failure; 0 before one did. */
    public long lastSuccessfulPoll() {
        return lastSuccessfulPoll.get();
    }

    public long loginFailures() {
        return loginFailures.sum();
    }

    public long uidValidityChanges() {
        return uidValidityChanges.sum();
    }

    /** The last known UIDVALIDITY of the folder (IMAP), -1 when none yet or POP3. */
    public long uidValidity() {
        return uidValidity.get();
    }

    /** Messages per applied action since start, e.g. {@code deleted=10, moved to Done=2}. */
    public Map<String, Long> actionsApplied() {
        Map<String, Long> out = new TreeMap<>();
        actions.forEach((action, count) -> out.put(action, count.sum()));
        return out;
    }

    public PollSummary lastSummary() {
        return lastSummary;
    }

    public String connectionState() {
        return connectionState;
    }

    public String capabilities() {
        return capabilities;
    }

    /** The counts of the poll under way. */
    private static final class Tally {
        final LongAdder listed = new LongAdder();
        final LongAdder routed = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder skipped = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final Map<String, LongAdder> actionsPlanned = new ConcurrentHashMap<>();
    }
}
