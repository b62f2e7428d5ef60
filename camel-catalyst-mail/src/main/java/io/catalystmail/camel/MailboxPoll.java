package io.catalystmail.camel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import io.catalystmail.camel.imap.ImapMailboxSession;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.MessageTooLargeException;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.metrics.MailboxStatistics;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll of the mailbox, on the consumer's thread: lists the candidates, skips what was processed before (bringing
 * the server up to date for it), fetches the rest in rounds of {@code fetchRoundSize} and has {@link ExchangeRouting}
 * route each round, then applies the after-processing actions of every exchange in one batch: the server is never
 * changed for a message whose exchange failed. The consumer around it owns the lifecycle and the connection's
 * hand-offs (stop, suspend, IDLE).
 */
final class MailboxPoll {

    /** The consumer's category: these lines are part of what the consumer says about its mailbox. */
    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    private final ScheduledBatchPollingConsumer consumer;
    private final CatalystMailConfiguration config;
    private final boolean pop3;
    private final SearchFilter filter;
    private final KeptSession session;
    private final ExchangeRouting routing;
    private final IdempotentRepository repository;
    /** The eager idempotent mode's reservations; null in the default mode (add after success). */
    private final IdempotentReservations reservations;
    private final UnfinishedActions unfinished;
    private final OversizedMessages oversized = new OversizedMessages();
    private final MailboxStatistics statistics;
    /** What happens to a message whose exchange failed: null (it stays untouched) or a move to moveFailedTo. */
    private final AfterProcessing failedAction;
    private final ExecutorService fetchAhead;

    MailboxPoll(ScheduledBatchPollingConsumer consumer, CatalystMailEndpoint endpoint, SearchFilter filter,
            KeptSession session, ExchangeRouting routing, IdempotentRepository repository,
            IdempotentReservations reservations, UnfinishedActions unfinished, MailboxStatistics statistics,
            AfterProcessing failedAction, ExecutorService fetchAhead) {
        this.consumer = consumer;
        this.config = endpoint.getConfiguration();
        this.pop3 = endpoint.getProtocol().kind() == MailProtocol.Kind.POP3;
        this.filter = filter;
        this.session = session;
        this.routing = routing;
        this.repository = repository;
        this.reservations = reservations;
        this.unfinished = unfinished;
        this.statistics = statistics;
        this.failedAction = failedAction;
        this.fetchAhead = fetchAhead;
    }

    /** One poll; returns how many messages it routed. */
    int run() throws Exception {
        MailboxSession mailbox = session.open();
        try {
            int max = config.effectiveMessagesPerPoll();
            // without a repository or remembered messages nothing is skipped after listing, so the server's list
            // can be cut right away
            boolean skips = repository != null || !unfinished.isEmpty();
            List<MessageRef> listed = mailbox.list(filter, config.isUnseen() && !pop3, config.getSortOrder(),
                    skips ? 0 : max);
            statistics.listed(listed.size());
            List<MessageRef> candidates = new ArrayList<>(listed.size());
            Map<String, MessageRef> listedByIdentity = new LinkedHashMap<>();
            // eager: a key in the repository may be another node's reservation of a message in its route, so only
            // what this consumer routed is re-applied; the planner's add decides who routes the rest
            Set<String> routedHere = reservations == null ? Set.of() : reservations.routedHereAndStillListed(
                    listed.stream().map(MessageRef::identity).collect(Collectors.toSet()));
            for (MessageRef ref : listed) {
                listedByIdentity.put(ref.identity(), ref);
                if (unfinished.remembers(ref.identity())
                    || max > 0 && candidates.size() >= max && reservations == null) {
                    // routed by this consumer already (only its action is owed), or this poll has its fill: the
                    // repository is asked about the rest in later polls, not one query per listed message now
                    continue;
                }
                boolean processedBefore = reservations != null ? routedHere.contains(ref.identity())
                        : repository != null && routing.keyKnownBeforeFetch() && repository.contains(ref.identity());
                if (oversized.known(ref)) {
                    LOG.debug("Message {} is above maxMessageSize, as reported before; skipped", ref.id());
                } else if (processedBefore) {
                    // processed before, but the server may not have been updated (connection lost): update it now
                    AfterProcessing done = routing.successAction(null);
                    statistics.skipped();
                    if (!done.isNothing()) {
                        unfinished.owed(ref, done);
                        statistics.action(done);
                    }
                } else {
                    candidates.add(ref);
                }
            }
            unfinished.retry(mailbox, listedByIdentity, pop3, config.isAutoCreateFolders());
            // what a dead node flagged but never expunged; eager (several nodes): every poll, as a dead node's keys
            // may expire from the repository
            boolean fresh = session.takeFresh();
            if ((candidates.isEmpty() || fresh || reservations != null) && mailbox instanceof ImapMailboxSession imap) {
                OrphanedDeletions.expungeKnown(imap, repository, config.isDelete());
            }
            if (max > 0 && candidates.size() > max && reservations == null) {
                candidates = candidates.subList(0, max);
            }
            int routed = processInRounds(mailbox, candidates,
                    new RoundPlanner(candidates, config.getFetchRoundSize(), max, reservations));
            unfinished.confirmInFlight();
            return routed;
        } catch (Throwable e) {
            // what was handed to the server in this poll is not confirmed: those actions are retried, never the
            // routing; pollGuarded deals with the connection
            unfinished.failInFlight(e);
            throw e;
        } finally {
            if (reservations != null) {
                reservations.releaseUnsettled();
            }
            if (pop3) {
                // POP3 locks the maildrop for the session and applies deletions at QUIT: never keep it open
                session.close();
            }
        }
    }

    /**
     * Routes the candidates round by round. While round r is routed on this thread, the fetch-ahead thread
     * fetches round r+1: one thread uses the session at a time, handed over through the executor. Over IMAP with
     * an after-processing action (see {@link RoundSettling}) the server confirms round r's actions before round r+1
     * is routed, so a crash re-delivers at most the round in the route; otherwise round r+1's fetch carries round
     * r-1's actions and announces round r+2, so the server works on it meanwhile.
     */
    private int processInRounds(MailboxSession mailbox, List<MessageRef> candidates, RoundPlanner planner)
            throws Exception {
        List<MessageRef> round = planner.nextRound();
        if (round.isEmpty()) {
            return 0;
        }
        int max = config.effectiveMessagesPerPoll();
        int total = max > 0 ? Math.min(max, candidates.size()) : candidates.size();
        List<MessageRef> nextRound = consumer.isBatchAllowed() ? planner.nextRound() : List.of();
        Map<MessageRef, AfterProcessing> pending = new LinkedHashMap<>();
        boolean createFolders = config.isAutoCreateFolders();
        RoundSettling settling = RoundSettling.of(pop3, routing.successAction(null));
        FetchedRound current = FetchedRound.fetch(mailbox, Map.of(), createFolders, round,
                settling.announced(nextRound), routing::toExchange, routing::discard);
        int index = 0;
        Future<FetchedRound> next = null;
        try {
            while (true) {
                next = null;
                Future<?> flagging = null;
                List<MessageRef> afterNext = List.of();
                Map<MessageRef, AfterProcessing> earlier = settling.settle(mailbox, pending, createFolders);
                pending.clear();
                if (!nextRound.isEmpty() && consumer.isBatchAllowed()) {
                    List<MessageRef> fetching = nextRound;
                    afterNext = planner.nextRound();
                    List<MessageRef> announced = settling.announced(afterNext);
                    next = fetchAhead.submit(() -> FetchedRound.fetch(mailbox, earlier, createFolders, fetching,
                            announced, routing::toExchange, routing::discard));
                } else if (!earlier.isEmpty()) {
                    // the last round: no fetch to ride on, but the round before must not wait for the end of this one
                    flagging = fetchAhead.submit(() -> {
                        mailbox.prepareFolders(AfterProcessing.folders(earlier.values()), createFolders);
                        mailbox.apply(earlier);
                        return null;
                    });
                }
                current.failed().forEach((ref, cause) -> {
                    if (cause instanceof MessageTooLargeException) {
                        oversized.remember(ref);
                    }
                    routing.reportUnreadable(ref, cause);
                    statistics.failed();
                    if (reservations != null) {
                        reservations.release(ref);
                    }
                    if (failedAction != null) {
                        pending.put(ref, failedAction);
                        statistics.action(failedAction);
                    }
                });
                int left = current.exchanges().size();
                for (Exchange exchange : current.exchanges()) {
                    left--;
                    exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, total);
                    exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
                    // eager: other nodes may take some candidates, so the last routed here closes the batch
                    exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, next == null && left == 0);
                    index++;
                }
                routing.routeRound(current.exchanges(), pending);
                if (next == null) {
                    if (flagging != null) {
                        await(flagging);
                    }
                    break;
                }
                current = await(next);
                nextRound = afterNext;
            }
        } catch (Throwable e) {
            // the poll ends here (a lost connection, a failing repository): what was fetched and not routed never
            // will be, and the round fetched ahead is waited for, so it neither keeps using the session nor leaves
            // its spooled files behind
            current.releaseUnrouted(routing::discard);
            FetchedRound.releaseWhenFetched(next, routing::discard);
            throw e;
        }
        try {
            if (!pending.isEmpty()) {
                mailbox.prepareFolders(AfterProcessing.folders(pending.values()), createFolders);
                mailbox.apply(pending);
            }
            mailbox.commit();
        } catch (IOException e) {
            if (!UnfinishedActions.isRefusal(e)) {
                throw e;
            }
            // the server refused an action (a missing folder, say): everything routed stays routed, the actions
            // of this poll are retried one by one in the next ones, and the poll itself went well
            unfinished.failInFlight(e);
        }
        return index;
    }

    private static <T> T await(Future<T> next) throws Exception {
        try {
            return next.get();
        } catch (ExecutionException e) {
            // the connection failed under the fetch-ahead thread: what this poll routed stays recorded in the
            // idempotent repository (if any), and the next poll reconnects and re-applies
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
