package io.catalystmail.camel.metrics;

import java.util.ArrayList;
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
    private final LongAdder tooLarge = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder polls = new LongAdder();
    private final LongAdder failedPolls = new LongAdder();
    private final LongAdder pollMillis = new LongAdder();
    private final LongAdder loginFailures = new LongAdder();
    private final LongAdder uidValidityChanges = new LongAdder();
    private final Map<String, LongAdder> actions = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refusedActions = new ConcurrentHashMap<>();
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
        pollMillis.add(millis);
        lastPollMillis.set(millis);
        if (failure == null) {
            lastSuccessfulPoll.set(System.currentTimeMillis());
            tally.actionsInFlight.forEach((action, count) -> add(tally.actionsApplied, action, count.sum()));
        } else {
            // what a failed poll handed to the server is not known to be done: neither applied nor refused (the
            // actions are retried); what the server answered or refused on its own is counted as it was
            failedPolls.increment();
        }
        Map<String, Long> applied = addTo(actions, tally.actionsApplied);
        Map<String, Long> refused = addTo(refusedActions, tally.actionsRefused);
        PollSummary summary = new PollSummary(mailbox, tally.listed.sum(), tally.routed.sum(), tally.failed.sum(),
                tally.skipped.sum(), tally.tooLarge.sum(), tally.bytes.sum(), millis, applied, refused,
                failure == null ? null : failure.getClass().getSimpleName() + ": " + failure.getMessage());
        if (summary.eventful()) {
            lastSummary = summary;
        }
        // counted last: a reader (JMX, metrics) that sees the poll counted sees its actions and summary too; counted
        // first, a reader in between saw {} applied after a poll that deleted
        polls.increment();
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

    /**
     * Adds a poll's counts per action to the running totals under the actions' names; returns them sorted, for the
     * summary. Names are made here, once per poll and distinct action, not for every message the poll counted.
     */
    private static Map<String, Long> addTo(Map<String, LongAdder> totals, Map<AfterProcessing, LongAdder> poll) {
        if (poll.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> counts = new TreeMap<>();
        // two actions can share a name (delete, and mark seen + delete, are both "deleted"): summed before judged
        poll.forEach((action, count) -> {
            long n = count.sum();
            for (String name : names(action)) {
                counts.merge(name, n, Long::sum);
            }
        });
        counts.values().removeIf(n -> n <= 0);
        counts.forEach((name, n) -> totals.computeIfAbsent(name, a -> new LongAdder()).add(n));
        return counts;
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

    /** A message above maxMessageSize, left out of the poll and on the server (reported once, when first met). */
    public void tooLarge() {
        tooLarge.increment();
        current.tooLarge.increment();
    }

    /**
     * An after-processing action handed to the server in the poll under way: counted as applied when the poll
     * completes, as refused after {@link #inFlightActionsRefused()}, as neither when the poll fails otherwise.
     */
    public void action(AfterProcessing action) {
        add(current.actionsInFlight, action, 1);
    }

    /**
     * The server refused (answered NO to, a folder missing) the actions handed to it in the poll under way. Which of
     * a pipelined batch it refused is unknown, so none of them counts as applied: all count as refused, and the
     * consumer retries them ({@code UnfinishedActions}, which alone tells this, and every refusal and withdrawal,
     * so that the two agree): one at a time at the end of this poll, which corrects these counts
     * ({@link #refusalWithdrawn}), then once in each later poll.
     */
    public void inFlightActionsRefused() {
        Tally tally = current;
        tally.actionsInFlight.forEach((action, count) -> add(tally.actionsRefused, action, count.sumThenReset()));
    }

    /** One message's action, retried, that the server answered and which is final once answered (IMAP). */
    public void actionApplied(AfterProcessing action) {
        add(current.actionsApplied, action, 1);
    }

    /**
     * One message's action, counted as refused with its poll's batch ({@link #inFlightActionsRefused()}), that the
     * server did when it was retried in the same poll: one refusal fewer.
     */
    public void refusalWithdrawn(AfterProcessing action) {
        add(current.actionsRefused, action, -1);
    }

    /** One message's action, retried, that the server refused. */
    public void actionRefused(AfterProcessing action) {
        add(current.actionsRefused, action, 1);
    }

    /**
     * Counted per action as the route decided it, on the path of every message: no names made nor strings hashed
     * here, only the action's own hash (its folder names cache theirs); {@link #addTo} names them once per poll.
     */
    private static void add(Map<AfterProcessing, LongAdder> counts, AfterProcessing action, long n) {
        counts.computeIfAbsent(action, a -> new LongAdder()).add(n);
    }

    private static List<String> names(AfterProcessing action) {
        List<String> names = new ArrayList<>(2);
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

    /** Messages left out of polls for being above maxMessageSize, counted in every poll that listed them. */
    public long messagesTooLarge() {
        return tooLarge.sum();
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
        return sorted(actions);
    }

    /** Messages per action the server refused since start; a retried one counts once in each poll that tried it. */
    public Map<String, Long> actionsRefused() {
        return sorted(refusedActions);
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((action, count) -> out.put(action, count.sum()));
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
        final LongAdder tooLarge = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final Map<AfterProcessing, LongAdder> actionsInFlight = new ConcurrentHashMap<>();
        final Map<AfterProcessing, LongAdder> actionsApplied = new ConcurrentHashMap<>();
        final Map<AfterProcessing, LongAdder> actionsRefused = new ConcurrentHashMap<>();
    }
}
