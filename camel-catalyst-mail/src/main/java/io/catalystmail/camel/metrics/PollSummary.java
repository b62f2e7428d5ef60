package io.catalystmail.camel.metrics;

import java.util.Map;
import java.util.StringJoiner;

/**
 * What one poll did: the messages the server listed, how many were routed, failed or skipped (processed before, or
 * held by another node with {@code idempotentEager}), the bytes fetched, the time taken, the after-processing actions
 * applied, and the failure that ended it, if any.
 */
public record PollSummary(String mailbox, long listed, long routed, long failed, long skipped, long bytes,
        long durationMillis, Map<String, Long> actions, String failure) {

    /** True when the poll did something worth a line: listed or touched a message, or failed. */
    public boolean eventful() {
        return listed > 0 || routed > 0 || failed > 0 || skipped > 0 || !actions.isEmpty() || failure != null;
    }

    /** The log line, e.g. {@code imap://host:993/INBOX: 12 listed, 10 routed, ... ; after processing: 10 deleted}. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder("Polled ").append(mailbox).append(": ")
                .append(listed).append(" listed, ").append(routed).append(" routed, ").append(failed)
                .append(" failed, ").append(skipped).append(" skipped, ").append(bytes).append(" bytes in ")
                .append(durationMillis).append(" ms");
        if (!actions.isEmpty()) {
            StringJoiner applied = new StringJoiner(", ", "; after processing: ", "");
            actions.forEach((action, count) -> applied.add(count + " " + action));
            line.append(applied);
        }
        if (failure != null) {
            line.append("; the poll failed: ").append(failure);
        }
        return line.toString();
    }
}
