package io.catalystmail.camel;

import java.io.IOException;
import java.util.LinkedHashMap;
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
 * answered before round r+1 is routed, so the window is the round in the route. They are handed to the fetch of
 * round r+1 ({@link io.catalystmail.camel.mailbox.RoutedActions}), which sends them the moment round r is routed and
 * asks for round r+2 the moment they are answered (never beside them: Dovecot would answer them only once its bodies
 * are out), so the server is idle one round trip per round at most. A route slower than the fetch gets them applied
 * here instead, one round trip per round.</li>
 * <li>{@link #WITH_NEXT_FETCH}: the actions ride on a later round's fetch and the round after the next is
 * announced, so the server works on it meanwhile. For IMAP without an action (nothing to wait for) and for POP3,
 * whose DELE takes effect only at QUIT (RFC 1939 §6), so waiting for its answer would narrow nothing: there a
 * crash re-delivers the whole poll, which {@code maxMessagesPerPoll} bounds.</li>
 * </ul>
 */
enum RoundSettling {

    EACH_ROUND,
    WITH_NEXT_FETCH;

    /**
     * @param finalAtGoodbye the session's actions become final only at its goodbye
     *                       ({@link io.catalystmail.camel.mailbox.MailboxSession#actionsFinalAtGoodbye()}: POP3)
     * @param success        the configured success action (headers may still add one per exchange: it then rides
     *                       along)
     */
    static RoundSettling of(boolean finalAtGoodbye, AfterProcessing success) {
        return finalAtGoodbye || success.isNothing() ? WITH_NEXT_FETCH : EACH_ROUND;
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
