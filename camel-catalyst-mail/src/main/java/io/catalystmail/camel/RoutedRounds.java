package io.catalystmail.camel;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.MessageTooLargeException;
import io.catalystmail.camel.mailbox.RoutedActions;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rounds of one poll: fetched a round ahead on the fetch-ahead thread, routed with Camel's batch properties on
 * the consumer's thread, their after-processing applied so that the server is never changed for a message whose
 * exchange failed; what could not be read, or changed since the listing, is reported here.
 */
final class RoutedRounds {

    /** The consumer's category: these lines are part of what the consumer says about its mailbox. */
    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    private final PollParts parts;
    private final ScheduledBatchPollingConsumer consumer;
    private final CatalystMailConfiguration config;
    private final KeptSession session;
    private final ExchangeRouting routing;
    private final PollCandidates candidates;
    private final OversizedMessages oversized;
    private final ExecutorService fetchAhead;

    RoutedRounds(PollParts parts, KeptSession session, ExchangeRouting routing, PollCandidates candidates,
            OversizedMessages oversized, ExecutorService fetchAhead) {
        this.parts = parts;
        this.consumer = parts.consumer();
        this.config = parts.config();
        this.session = session;
        this.routing = routing;
        this.candidates = candidates;
        this.oversized = oversized;
        this.fetchAhead = fetchAhead;
    }

    /**
     * Routes the candidates round by round. While round r is routed on this thread, the fetch-ahead thread plans
     * and fetches round r+1 ({@link RoundAhead}): one thread uses the session at a time, handed over through the
     * executor. Over IMAP with an after-processing action (see {@link RoundSettling}) the server confirms round r's
     * actions before round r+1 is routed, so a crash re-delivers at most the round in the route; otherwise round
     * r+1's fetch carries round r-1's actions and announces round r+2 (planned with it), so the server works on it
     * meanwhile.
     */
    int processInRounds(MailboxSession mailbox, RoundPlanner planner) throws Exception {
        RoundAhead.WaitLimit waitLimit = new RoundAhead.WaitLimit(Duration.ofMillis(2 * config.getFetchTimeout()),
                session.settings().host() + ":" + session.settings().port());
        RoundSettling settling = RoundSettling.of(mailbox.actionsFinalAtGoodbye(), routing.successAction(null));
        // each fetch announces the round after it, planned with it: at once (WITH_NEXT_FETCH), or behind the
        // actions of the round routed meanwhile (EACH_ROUND, RoutedActions). The first fetch has no actions to wait
        // for, so it announces the second round at once, and the server streams it while the first is read (no round
        // of it is routed before the first one's actions are answered: the window stays one round). Except under
        // EACH_ROUND when admitting a message asks the repository: then the second round is planned beside the first
        // one's route, whose first exchange waits for the lookups of its own round only
        boolean announce = consumer.isBatchAllowed()
                && (settling == RoundSettling.WITH_NEXT_FETCH || !candidates.admissionLooksUp());
        // the first round's lookups (a repository query each) run on the fetch-ahead thread like every later
        // round's, under the same limit: a repository that hangs fails the poll, named, not the consumer for good
        List<List<MessageRef>> first = RoundAhead.get(fetchAhead.submit(() -> {
            List<MessageRef> firstRound = planner.nextRound();
            return announce && !firstRound.isEmpty() ? List.of(firstRound, planner.nextRound()) : List.of(firstRound);
        }), waitLimit);
        List<MessageRef> round = first.get(0);
        if (round.isEmpty()) {
            return 0;
        }
        List<MessageRef> upcoming = announce ? first.get(1) : null;
        Map<MessageRef, AfterProcessing> pending = new LinkedHashMap<>();
        boolean createFolders = config.isAutoCreateFolders();
        // POP3 messages carry no flags (FetchedMessage#flags): never changed since the listing
        ChangedSinceListing changed = new ChangedSinceListing(config.isUnseen());
        // the folder and UIDVALIDITY in each exchange's headers are those of the session that fetched it
        FetchedRound.ExchangeFactory toExchange = message -> routing.toExchange(message, mailbox);
        FetchedRound current = FetchedRound.fetch(mailbox, Map.of(), createFolders, round,
                upcoming == null ? List.of() : upcoming, null, changed, toExchange, routing::discard,
                Map.of());
        int index = 0;
        RoundAhead ahead = null;
        Future<?> flagging = null;
        try {
            while (true) {
                flagging = null;
                // EACH_ROUND: what the last fetch did not take (it was done before the route) is applied now
                Map<MessageRef, AfterProcessing> earlier = settling.settle(mailbox, pending, createFolders);
                pending.clear();
                RoutedActions routed = settling == RoundSettling.EACH_ROUND ? new RoutedActions(createFolders) : null;
                // the most this poll can route: exact on the last exchange, an upper bound before it
                int bound = planner.bound();
                ahead = null;
                // the next round's messages that came with this one (FetchedRound#early): routed with their round
                Map<MessageRef, Exchange> arrivedEarly = current.early();
                if (consumer.isBatchAllowed() && (upcoming == null || !upcoming.isEmpty())) {
                    ahead = new RoundAhead(fetchAhead, upcoming, planner, true, waitLimit, (next, after) -> {
                        if (next.isEmpty()) {
                            apply(mailbox, earlier, createFolders);
                            Map<MessageRef, AfterProcessing> posted = routed == null ? null : routed.closeOrTake();
                            if (posted != null) {
                                apply(mailbox, posted, createFolders);
                            }
                            return null;
                        }
                        return new RoundAhead.Fetched(FetchedRound.fetch(mailbox, earlier, createFolders, next,
                                after == null ? List.of() : after, routed, changed, toExchange,
                                routing::discard, arrivedEarly), after);
                    });
                } else if (!earlier.isEmpty()) {
                    // the last round: no fetch to ride on, but the round before must not wait for the end of this one
                    flagging = fetchAhead.submit(() -> {
                        apply(mailbox, earlier, createFolders);
                        return null;
                    });
                }
                reportFailed(mailbox, current, pending);
                reportChanged(current);
                index = route(current, pending, index, bound, ahead);
                if (ahead != null && routed != null && routed.post(pending)) {
                    pending.clear(); // the fetch sends them now and has them answered before it returns
                }
                if (ahead == null) {
                    if (flagging != null) {
                        RoundAhead.get(flagging, waitLimit);
                    }
                    current.releaseUnrouted(routing::discard); // a stopping consumer's early arrivals, if any
                    break;
                }
                RoundAhead.Fetched fetched = ahead.await();
                if (fetched == null) {
                    if (!current.exchanges().isEmpty()) {
                        // a plan seen as non-empty fetched nothing after all: the held exchange closes the batch
                        index = route(current, pending, index, index + 1, null);
                    }
                    break;
                }
                // a round's last exchange not known to close the batch is routed first with the next round
                current = fetched.round().after(current.exchanges().poll());
                upcoming = fetched.upcoming();
            }
        } catch (Exception | Error e) {
            // the poll ends here (a lost connection, a failing repository): what was fetched and not routed never
            // will be, in this round and in the one fetched ahead; their spooled files go now. A round still on its
            // way is cut off by dropping the connection (the consumer drops it after such a failure anyway), so a
            // stalling server cannot hold the failed poll
            current.releaseUnrouted(routing::discard);
            if (ahead != null && !ahead.abandon(routing::discard, mailbox::abort,
                    Duration.ofMillis(config.getFetchTimeout()))) {
                LOG.warn("The poll of {} failed while the next round was fetched ahead, and the fetch-ahead thread was"
                         + " still busy {} ms (fetchTimeout) after the connection was dropped; nothing of that round is"
                         + " routed, and the next poll's fetching waits for that thread",
                        session.settings().describe(), config.getFetchTimeout());
            }
            if (flagging != null) {
                // the session is the fetch-ahead thread's until its actions are answered: the goodbye (a POP3 QUIT
                // would read their answers as its own) or the next poll must not cut in
                awaitQuietly(flagging, waitLimit.limit());
            }
            throw e;
        }
        try {
            if (!pending.isEmpty()) {
                apply(mailbox, pending, createFolders);
            }
            mailbox.commit();
        } catch (IOException e) {
            if (!UnfinishedActions.isRefusal(e)) {
                throw e;
            }
            // the server refused an action (a missing folder, say): everything routed stays routed, the actions
            // of this poll are retried one by one in the next ones, and the poll itself went well; none of its
            // actions counts as applied
            parts.unfinished().failInFlight(e);
        }
        return index;
    }

    /** Messages of the round that could not be read: reported, released, moved to moveFailedTo if set. */
    private void reportFailed(MailboxSession mailbox, FetchedRound round, Map<MessageRef, AfterProcessing> pending) {
        round.failed().forEach((ref, cause) -> {
            if (cause instanceof MessageTooLargeException) {
                oversized.remember(ref);
                parts.statistics().tooLarge();
            } else {
                parts.statistics().failed();
            }
            routing.reportUnreadable(mailbox, ref, cause);
            if (parts.reservations() != null) {
                parts.reservations().release(ref);
            }
            if (parts.failedAction() != null) {
                pending.put(ref, parts.failedAction());
                parts.statistics().action(parts.failedAction());
            }
        });
    }

    /**
     * Messages another session acted on since the listing ({@link ChangedSinceListing}): never routed. Eager, this
     * poll's reservation of one succeeded only because its holder's lock expired: a node that died after routing
     * and flagging it. Its key stays (it was processed), and with {@code delete=true} the dead node's deletion is
     * completed with the poll's owed actions. Otherwise another client changed it: it is left as it is (expunging
     * it would remove what this consumer never processed).
     */
    private void reportChanged(FetchedRound round) {
        IdempotentReservations reservations = parts.reservations();
        round.changed().forEach((ref, flaggedDeleted) -> {
            LOG.debug("Message {} was flagged {} at the server after it was listed: not routed", ref.id(),
                    flaggedDeleted ? "\\Deleted" : "\\Seen");
            if (reservations == null) {
                parts.statistics().skipped();
                return;
            }
            reservations.keep(ref);
            if (flaggedDeleted && config.isDelete()) {
                candidates.owe(ref);
            } else {
                parts.statistics().skipped();
            }
        });
    }

    /**
     * Routes a round's exchanges with Camel's batch properties. The last one waits until the next round is planned,
     * to say whether it closes the batch (eager: other nodes may take some candidates; with a repository: some may
     * turn out routed before). If a round is planned after it, it is not routed here but held for the next round:
     * that round may yield no exchange at all (messages too large, unreadable, gone or routed before), and the
     * batch's last exchange must carry the exact {@code CamelBatchSize} and {@code CamelBatchComplete=true}, as
     * Camel's aggregator ({@code completionFromBatchConsumer}) needs; the others carry the planner's upper bound.
     * The held exchange was never routed, so its action simply goes with the next round's.
     *
     * @return the batch index after the round
     */
    private int route(FetchedRound round, Map<MessageRef, AfterProcessing> pending, int index, int bound,
            RoundAhead ahead) throws InterruptedException {
        Queue<Exchange> exchanges = round.exchanges();
        Queue<Exchange> head = new ArrayDeque<>(exchanges.size());
        while (exchanges.size() > 1) {
            Exchange exchange = exchanges.poll();
            batch(exchange, index, Math.max(bound, index + 1), false);
            index++;
            head.add(exchange);
        }
        routing.routeRound(head, pending);
        if (!exchanges.isEmpty() && (ahead == null || ahead.isLast())) {
            batch(exchanges.peek(), index, index + 1, true);
            index++;
            routing.routeRound(exchanges, pending);
        }
        return index;
    }

    /** Waits for work on the fetch-ahead thread whose failure is not the poll's (the poll failed already). */
    private static void awaitQuietly(Future<?> work, Duration limit) {
        try {
            work.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException | RuntimeException e) {
            // the poll's own failure is the one reported; the actions are retried by the next poll
        }
    }

    private static void batch(Exchange exchange, int index, int size, boolean complete) {
        exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
        exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, size);
        exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, complete);
    }

    private static void apply(MailboxSession mailbox, Map<MessageRef, AfterProcessing> actions, boolean createFolders)
            throws IOException {
        if (!actions.isEmpty()) {
            mailbox.prepareFolders(AfterProcessing.folders(actions.values()), createFolders);
            mailbox.apply(actions);
        }
    }
}
