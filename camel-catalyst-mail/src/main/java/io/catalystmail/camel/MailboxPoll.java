package io.catalystmail.camel;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.catalystmail.camel.imap.ImapMailboxSession;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.ConnectionDroppedForSizeException;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.MessageTooLargeException;
import io.catalystmail.camel.mailbox.RoutedActions;
import io.catalystmail.camel.mailbox.SearchFilter;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll of the mailbox, on the consumer's thread: lists the candidates, fetches them in rounds of
 * {@code fetchRoundSize} and has {@link ExchangeRouting} route each round, then applies the after-processing actions
 * of every exchange in one batch: the server is never changed for a message whose exchange failed. What was
 * processed before is skipped as its round is planned ({@link RoundPlanner}): the idempotent repository is asked
 * about a round's worth of messages at a time, never about the whole listing before the first round. What is owed
 * to the server for messages processed before, and the expunge of what a dead node flagged, come after the rounds,
 * so they never hold back the first message (most of a new leader's takeover). The consumer around it owns the
 * lifecycle and the connection's hand-offs (stop, suspend, IDLE).
 */
final class MailboxPoll {

    /** The consumer's category: these lines are part of what the consumer says about its mailbox. */
    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    private final PollParts parts;
    private final ScheduledBatchPollingConsumer consumer;
    private final CatalystMailConfiguration config;
    private final SearchFilter filter;
    private final KeptSession session;
    private final ExchangeRouting routing;
    private final OversizedMessages oversized = new OversizedMessages();
    private final ExecutorService fetchAhead;

    MailboxPoll(PollParts parts, SearchFilter filter, KeptSession session, ExchangeRouting routing,
            ExecutorService fetchAhead) {
        this.parts = parts;
        this.consumer = parts.consumer();
        this.config = parts.config();
        this.filter = filter;
        this.session = session;
        this.routing = routing;
        this.fetchAhead = fetchAhead;
    }

    /** One poll; returns how many messages it routed. */
    int run() throws Exception {
        MailboxSession mailbox = session.open();
        IdempotentReservations reservations = parts.reservations();
        UnfinishedActions unfinished = parts.unfinished();
        try {
            int max = config.effectiveMessagesPerPoll();
            // without a repository or remembered messages nothing is skipped after listing, so the server's list
            // can be cut right away
            boolean skips = parts.repository() != null || !unfinished.isEmpty();
            // POP3 ignores onlyUnseen (MailboxSession#list): its unseen mail is what the UIDL store does not know
            List<MessageRef> listed = mailbox.list(filter, config.isUnseen(), config.getSortOrder(),
                    skips ? 0 : max);
            parts.statistics().listed(listed.size());
            if (parts.repository() instanceof SeenUidls seen && mailbox.listedWholeMailbox()) {
                seen.keepOnlyListed(listed);
            }
            List<MessageRef> candidates = new ArrayList<>(listed.size());
            // eager: a key in the repository may be another node's reservation of a message in its route, so only
            // what this consumer routed is re-applied; the planner's add decides who routes the rest
            Set<String> routedHere = reservations == null ? Set.of() : reservations.routedHereAndStillListed(
                    listed.stream().map(MessageRef::identity).collect(Collectors.toSet()));
            for (MessageRef ref : listed) {
                if (unfinished.remembers(ref.identity())) {
                    parts.statistics().skipped(); // routed by this consumer already: only its action is owed
                    continue;
                }
                if (oversized.known(ref)) {
                    // reported once, when first met; counted in every poll's summary (too large), never warned again
                    LOG.debug("Message {} is above maxMessageSize, as reported before; skipped", ref.id());
                    parts.statistics().tooLarge();
                } else if (routedHere.contains(ref.identity())) {
                    owe(ref);
                } else {
                    candidates.add(ref);
                }
            }
            int routed = processInRounds(mailbox,
                    new RoundPlanner(candidates, config.getFetchRoundSize(), max, admission()));
            unfinished.roundsAnswered(mailbox);
            // after the rounds: the actions owed for messages routed before (found by the planner, or left by an
            // earlier poll), then what a dead node flagged but never expunged; eager (several nodes): every poll,
            // as a dead node's keys may expire from the repository. Neither changes what is routed: an owed message
            // is remembered (never routed again), a flagged one is never listed (every search asks for UNDELETED)
            // the listing by identity only when an action from before is due: a poll whose actions were all
            // answered (IMAP), or are in flight until the goodbye (POP3: this poll's DELEs), owes nothing older, and
            // its listing may be the whole mailbox, thousands of entries (a map of 10,000 per POP3 poll of a large
            // maildrop, built after the last DELE and before QUIT)
            unfinished.retry(mailbox, !unfinished.anyDue() ? Map.of() : listed.stream().collect(
                    Collectors.toMap(MessageRef::identity, ref -> ref, (before, again) -> again)),
                    config.isAutoCreateFolders());
            boolean fresh = session.takeFresh();
            if ((routed == 0 || fresh || reservations != null) && mailbox instanceof ImapMailboxSession imap) {
                OrphanedDeletions.expungeKnown(imap, parts.repository(), config.isDelete(), fresh);
            }
            // where actions become final only at the goodbye (POP3: what DELE marked is removed only when QUIT is
            // answered with +OK, RFC 1939 §6), it is said now: a poll whose goodbye failed fails, and its actions
            // are retried, their messages never routed again
            session.pollSucceeded();
            unfinished.confirmInFlight();
            return routed;
        } catch (Throwable e) {
            // what was handed to the server in this poll is not confirmed: those actions are retried, never the
            // routing; pollGuarded deals with the connection
            unfinished.failInFlight(e);
            droppedForSize(mailbox, e);
            throw e;
        } finally {
            unfinished.pollEnded();
            if (reservations != null) {
                reservations.releaseUnsettled();
                reservations.removeGone();
            }
            session.pollEnded();
        }
    }

    /**
     * Whether the planner takes a candidate: eager, when this node reserves it; with a repository (keys known before
     * the fetch), when the repository does not know it, else its action is owed (processed before, but the server
     * may not have been updated: a lost connection, a leader that died).
     */
    private Predicate<MessageRef> admission() {
        IdempotentRepository repository = parts.repository();
        IdempotentReservations reservations = parts.reservations();
        if (reservations != null) {
            return ref -> {
                if (reservations.reserve(ref)) {
                    return true;
                }
                parts.statistics().skipped(); // the repository knew it: another node routes or routed it
                return false;
            };
        }
        if (repository == null || !routing.keyKnownBeforeFetch()) {
            return ref -> true;
        }
        return ref -> {
            if (!repository.contains(ref.identity())) {
                return true;
            }
            owe(ref);
            return false;
        };
    }

    /** Whether {@link #admission()} asks the repository (a database query each, with a shared one). */
    private boolean admissionLooksUp() {
        return parts.reservations() != null || parts.repository() != null && routing.keyKnownBeforeFetch();
    }

    /**
     * A message processed before: not routed; its success action is retried after the rounds (and counted there, as
     * the server answers it).
     */
    private void owe(MessageRef ref) {
        AfterProcessing done = routing.successAction(null);
        parts.statistics().skipped();
        if (!done.isNothing()) {
            parts.unfinished().owed(ref, done);
        }
    }

    /**
     * Routes the candidates round by round. While round r is routed on this thread, the fetch-ahead thread plans
     * and fetches round r+1 ({@link RoundAhead}): one thread uses the session at a time, handed over through the
     * executor. Over IMAP with an after-processing action (see {@link RoundSettling}) the server confirms round r's
     * actions before round r+1 is routed, so a crash re-delivers at most the round in the route; otherwise round
     * r+1's fetch carries round r-1's actions and announces round r+2 (planned with it), so the server works on it
     * meanwhile.
     */
    private int processInRounds(MailboxSession mailbox, RoundPlanner planner) throws Exception {
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
                && (settling == RoundSettling.WITH_NEXT_FETCH || !admissionLooksUp());
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

    /**
     * A message whose announced content was too far above maxMessageSize to read past cost the connection
     * ({@link ConnectionDroppedForSizeException}): reported once, like one found too large in a round, and left out of
     * the later polls, which go on with the rest; this one fails, and its connection is dropped.
     */
    private void droppedForSize(MailboxSession mailbox, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectionDroppedForSizeException dropped) {
                oversized.remember(dropped.ref());
                parts.statistics().tooLarge();
                routing.reportUnreadable(mailbox, dropped.ref(), dropped);
                return;
            }
        }
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
                owe(ref);
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
