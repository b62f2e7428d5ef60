package io.catalystmail.camel;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageRef;

/**
 * When a routed round's after-processing reaches the server, which sets the consumer's at-least-once window: the
 * messages a crash (kill -9, power loss) makes the next poll, on this node or another, route again are those
 * routed and not yet acted on at the server.
 * <ul>
 * <li>{@link #EACH_ROUND} (IMAP with an action): round r's actions (\Deleted, \Seen, MOVE, COPY) are sent and
 * answered before round r+1 is routed, so the window is the round in the route. Nothing is announced ahead: a
 * command queued behind a round fetched ahead would be answered only after that round's bytes. The cost is one
 * round trip (and the server's STORE) per round; see benchmarks/RESULTS.md.</li>
 * <li>{@link #WITH_NEXT_FETCH}: the actions ride on a later round's fetch and the round after the next is
 * announced, so the server works on it meanwhile. For IMAP without an action (nothing to wait for) and for POP3,
 * whose DELE takes effect only at QUIT (RFC 1939 §6), so waiting for its answer would narrow nothing: there a
 * crash re-delivers the whole poll, which {@code maxMessagesPerPoll} bounds.</li>
 * </ul>
 */
enum RoundSettling {

    EACH_ROUND,
    WITH_NEXT_FETCH;

    /** @param success the configured success action (headers may still add one per exchange: it then rides along) */
    static RoundSettling of(boolean pop3, AfterProcessing success) {
        return pop3 || success.isNothing() ? WITH_NEXT_FETCH : EACH_ROUND;
    }

    /** The round to announce behind the next fetch: none when each round is settled. */
    List<MessageRef> announced(List<MessageRef> upcoming) {
        return this == EACH_ROUND ? List.of() : upcoming;
    }

    /**
     * Called before a round is routed, with the actions of the round routed before it, while nobody else uses
     * the session: applies them now and waits for the server's answers ({@link #EACH_ROUND}), or returns them for
     * the next fetch to carry.
     *
     * @return the actions still to send with the next fetch
     */
    Map<MessageRef, AfterProcessing> settle(MailboxSession session, Map<MessageRef, AfterProcessing> routed,
            boolean createFolders) throws IOException {
        if (this == WITH_NEXT_FETCH || routed.isEmpty()) {
            return new LinkedHashMap<>(routed);
        }
        session.prepareFolders(AfterProcessing.folders(routed.values()), createFolders);
        session.apply(routed);
        return Map.of();
    }
}
