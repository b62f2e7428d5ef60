package io.catalystmail.camel;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.RoutedActions;
import org.apache.camel.Exchange;

/**
 * One round of messages fetched and mapped into exchanges, not yet routed, plus the messages that could not be
 * read. Rounds are fetched on the consumer's fetch-ahead thread while the previous round is routed, so the
 * server's latency and the MIME parsing overlap with the route's work.
 *
 * @param exchanges the exchanges in fetch order
 * @param failed    messages whose content could not be mapped, with the reason; they stay on the server
 * @param changed   messages another session acted on since the listing ({@link ChangedSinceListing}), not mapped;
 *                  true for those flagged \Deleted
 * @param early     messages of the round after this one that arrived with it, kept for that round: routed now they
 *                  would widen the at-least-once window (see {@link RoundSettling}) to more than one round
 */
record FetchedRound(Queue<Exchange> exchanges, Map<MessageRef, Exception> failed, Map<MessageRef, Boolean> changed,
                    Map<MessageRef, Exchange> early) {

    /** Maps one message into an exchange while its content streams in. */
    @FunctionalInterface
    interface ExchangeFactory {
        Exchange create(io.catalystmail.camel.mailbox.FetchedMessage message) throws Exception;
    }

    /**
     * Applies {@code earlierActions} (the after-processing of rounds already routed; their target folders created
     * first when missing and {@code createFolders}), then fetches {@code round},
     * announcing {@code upcoming} (the round after it, or empty) so the server can start on it. With {@code routed}
     * (else null) the actions of the round routed meanwhile go out while this one is read, and {@code upcoming}
     * behind them ({@link MailboxSession#fetch(List, List, MailboxSession.MessageHandler, RoutedActions)}).
     * A message that no longer meets the listing's search ({@code changedSinceListing}) is not mapped.
     * Messages of {@code upcoming} that arrive meanwhile are kept in {@link #early()}, not routed with this round:
     * a server may answer the FETCH of the round after next before the flags of the round in the route (Dovecot
     * runs pipelined UID commands side by side), and routing them now would leave more than one round routed and
     * unflagged. {@code arrivedEarlier} is the round before's {@link #early()}: this round's messages that came
     * then, taken in their place (they remain the round before's to release until this one is returned).
     * Both go through {@code session}, which only one thread uses at a time: the caller hands it over through
     * the executor and takes it back when the round is complete.
     *
     * @throws IOException the connection failed; exchanges already created are released, nothing is routed
     */
    static FetchedRound fetch(MailboxSession session, Map<MessageRef, AfterProcessing> earlierActions,
            boolean createFolders, List<MessageRef> round, List<MessageRef> upcoming, RoutedActions routed,
            ChangedSinceListing changedSinceListing, ExchangeFactory factory, ExchangeRelease release,
            Map<MessageRef, Exchange> arrivedEarlier) throws IOException {
        if (!earlierActions.isEmpty()) {
            session.prepareFolders(AfterProcessing.folders(earlierActions.values()), createFolders);
            session.apply(earlierActions);
        }
        // sized for the round and the early part of the next, so it never rehashes while the bodies stream in
        Map<MessageRef, Exchange> arrived = new HashMap<>((round.size() + upcoming.size()) * 4 / 3 + 1);
        Map<MessageRef, Boolean> changed = new HashMap<>();
        try {
            MailboxSession.MessageHandler handler = message -> {
                if (changedSinceListing.test(message)) {
                    changed.put(message.ref(), ChangedSinceListing.flaggedDeleted(message));
                } else {
                    arrived.put(message.ref(), factory.create(message));
                }
            };
            Map<MessageRef, Exception> failed = routed == null ? session.fetch(round, upcoming, handler)
                    : session.fetch(round, upcoming, handler, routed);
            // in the order asked for (sortOrder), whatever order the server answered in
            Queue<Exchange> exchanges = new ArrayDeque<>(arrived.size());
            for (MessageRef ref : round) {
                Exchange exchange = arrived.remove(ref);
                if (exchange == null) {
                    exchange = arrivedEarlier.get(ref);
                }
                if (exchange != null) {
                    exchanges.add(exchange);
                }
            }
            // messages of the upcoming round that came early (MailboxSession.fetch) wait for it, in its order
            Map<MessageRef, Exchange> early = new LinkedHashMap<>();
            for (MessageRef ref : upcoming) {
                Exchange exchange = arrived.remove(ref);
                if (exchange != null) {
                    early.put(ref, exchange);
                }
            }
            // what is left belongs to neither round: a message the session fetched ahead for a later one, whose body the
            // server sent while this round's handler was current (IMAP MessageDelivery hands a body to whichever
            // handler is current then). It is routed with this round, once: the session hands each ref it wants
            // over once (it is no longer wanted from then on), arrived holds one exchange per ref, and each taken
            // above was removed from it. Its round will not find it again. These few come after this round's own in
            // no particular order: sortOrder orders the rounds as asked for, not what a server sends out of turn.
            exchanges.addAll(arrived.values());
            return new FetchedRound(exchanges, failed, changed, early);
        } catch (IOException | RuntimeException | Error e) {
            // an OutOfMemoryError included: the temp files of what was mapped are deleted now, not at JVM exit
            arrived.values().forEach(release::release);
            throw e;
        }
    }

    /** This round with an exchange of the round before it in front, or itself when there is none. */
    FetchedRound after(Exchange held) {
        if (held == null) {
            return this;
        }
        Queue<Exchange> all = new ArrayDeque<>(exchanges.size() + 1);
        all.add(held);
        all.addAll(exchanges);
        return new FetchedRound(all, failed, changed, early);
    }

    /**
     * Releases the exchanges not yet taken from the queue for routing, and those kept for the round after (a
     * second release of one the next round took over does nothing: its completions were handed over once).
     */
    void releaseUnrouted(ExchangeRelease release) {
        for (Exchange exchange = exchanges.poll(); exchange != null; exchange = exchanges.poll()) {
            release.release(exchange);
        }
        early.values().forEach(release::release);
    }

    /** Releases an exchange that will not be routed (its temp files, its completions). */
    @FunctionalInterface
    interface ExchangeRelease {
        void release(Exchange exchange);
    }
}
