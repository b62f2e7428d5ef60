package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.catalystmail.camel.mailbox.MessageRef;

/**
 * Cuts a poll's candidates into fetch rounds of {@code fetchSize}, one round at a time, as the consumer needs
 * them. Each candidate is admitted as its round is planned, never for the whole poll up front: with
 * {@link IdempotentReservations} it is reserved (one held elsewhere is skipped, so on several nodes a poll takes
 * only what no other node took); with a repository in the default mode it is looked up (one routed before is
 * skipped). So a poll asks the repository about a round's worth of messages before its first round, not about
 * everything it listed.
 */
final class RoundPlanner {

    private final List<MessageRef> candidates;
    private final int fetchSize;
    private final int max;
    private final Predicate<MessageRef> admit;
    private int next;
    private int planned;

    /**
     * @param max   at most this many messages in all (0: no limit)
     * @param admit whether a candidate is taken (it may reserve or look up its key); false: skipped
     */
    RoundPlanner(List<MessageRef> candidates, int fetchSize, int max, Predicate<MessageRef> admit) {
        this.candidates = candidates;
        this.fetchSize = fetchSize;
        this.max = max;
        this.admit = admit;
    }

    /** The next round; empty when the candidates or the limit are exhausted. */
    List<MessageRef> nextRound() {
        List<MessageRef> round = new ArrayList<>(Math.min(fetchSize, candidates.size() - next));
        while (next < candidates.size() && round.size() < fetchSize && (max <= 0 || planned < max)) {
            MessageRef ref = candidates.get(next++);
            if (admit.test(ref)) {
                round.add(ref);
                planned++;
            }
        }
        return round;
    }

    /** The most messages this poll can take: those admitted so far and the candidates not yet looked at. */
    int bound() {
        int left = candidates.size() - next;
        return max > 0 ? Math.min(max, planned + left) : planned + left;
    }
}
