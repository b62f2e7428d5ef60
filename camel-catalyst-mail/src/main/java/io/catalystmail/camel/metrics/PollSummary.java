package io.catalystmail.camel.metrics;

import java.util.Map;
import java.util.StringJoiner;

/**
 * What one poll did: the messages the server listed, how many were routed, failed or skipped (processed before, or
 * held by another node with {@code idempotentEager}), how many were left on the server for being above
 * {@code maxMessageSize}, the bytes fetched, the time taken, the after-processing actions the server applied and
 * those it refused, and the failure that ended the poll, if any.
 */
public record PollSummary(String mailbox, long listed, long routed, long failed, long skipped, long tooLarge,
        long bytes, long durationMillis, Map<String, Long> actions, Map<String, Long> refused, String failure) {

    /** True when the poll did something worth a line: listed or touched a message, or failed. */
    public boolean eventful() {
        return didSomething() || failure != null;
    }

    /** True when the poll listed or touched a message, whether it ended well or not. */
    public boolean didSomething() {
        return listed > 0 || routed > 0 || failed > 0 || skipped > 0 || !actions.isEmpty() || !refused.isEmpty();
    }

    /**
     * The log line, e.g. {@code imap://host:993/INBOX: 12 listed, 10 routed, ... ; after processing: 10 deleted};
     * messages too large and refused actions only when there are some.
     */
    @Override
    public String toString() {
        return failure == null ? figures() : figures() + "; the poll failed: " + failure;
    }

    /** The log line without the failure, for the failure's own line to end with. */
    public String figures() {
        StringBuilder line = new StringBuilder("Polled ").append(mailbox).append(": ")
                .append(listed).append(" listed, ").append(routed).append(" routed, ").append(failed)
                .append(" failed, ").append(skipped).append(" skipped, ");
        if (tooLarge > 0) {
            line.append(tooLarge).append(" too large (above maxMessageSize, left on the server), ");
        }
        line.append(bytes).append(" bytes in ").append(durationMillis).append(" ms");
        perAction(line, "; after processing: ", actions);
        perAction(line, "; refused by the server: ", refused);
        return line.toString();
    }

    private static void perAction(StringBuilder line, String prefix, Map<String, Long> counts) {
        if (!counts.isEmpty()) {
            StringJoiner joined = new StringJoiner(", ", prefix, "");
            counts.forEach((action, count) -> joined.add(count + " " + action));
            line.append(joined);
        }
    }
}
