package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.List;

import io.catalystmail.camel.mailbox.MessageRef;

/**
 * Cuts a poll's candidates into fetch rounds of {@code fetchSize}, one round at a time, as the consumer needs
 * them (two ahead of the round in the route: one fetched, one announced). With {@link IdempotentReservations}
 * each message is reserved as its round is planned and one held elsewhere is skipped, so on several nodes a
 * poll takes only what no other node took, and reserves no more than two rounds ahead of what it routes.
 */
final class RoundPlanner {

    private final List<MessageRef> candidates;
    private final int fetchSize;
    private final int max;
    private final IdempotentReservations reservations;
    private int next;
    private int planned;

    /**
     * @param max          at most this many messages in all (0: no limit)
     * @param reservations null: every candidate is taken as it is (no eager mode)
     */
    RoundPlanner(List<MessageRef> candidates, int fetchSize, int max, IdempotentReservations reservations) {
        this.candidates = candidates;
        this.fetchSize = fetchSize;
        this.max = max;
        this.reservations = reservations;
    }

    /** The next round; empty when the candidates or the limit are exhausted. */
    List<MessageRef> nextRound() {
        List<MessageRef> round = new ArrayList<>(Math.min(fetchSize, candidates.size() - next));
        while (next < candidates.size() && round.size() < fetchSize && (max <= 0 || planned < max)) {
            MessageRef ref = candidates.get(next++);
            if (reservations == null || reservations.reserve(ref)) {
                round.add(ref);
                planned++;
            }
        }
        return round;
    }
}
