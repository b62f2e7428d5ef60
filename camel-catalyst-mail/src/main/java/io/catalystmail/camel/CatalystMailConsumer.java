package io.catalystmail.camel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.imap.ImapCommandException;
import io.catalystmail.camel.imap.ImapMailboxSession;
import io.catalystmail.camel.imap.PendingExpunges;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.FetchedMessage;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.MessageTooLargeException;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.metrics.ManagedMailboxFigures;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.metrics.MeterBinding;
import io.catalystmail.camel.mime.MessageMapper;
import io.catalystmail.camel.mime.MimeLimits;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.pop3.Pop3MailboxSession;
import io.catalystmail.camel.pop3.Pop3RefusedException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.CamelLogger;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls an IMAP or POP3 mailbox through the uniform {@link MailboxSession}. Each poll lists the candidates,
 * fetches them in rounds of {@code fetchRoundSize}, routes each message as one exchange and only then applies the
 * after-processing action of every exchange of the round in one batch: the server is never changed for a
 * message whose exchange failed. Its figures ({@link MailboxStatistics}) are JMX attributes of its MBean.
 */
@ManagedResource(description = "Managed Catalyst Mail consumer")
public class CatalystMailConsumer extends ScheduledBatchPollingConsumer implements ManagedMailboxFigures {

    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    private final CatalystMailEndpoint endpoint;
    private final CatalystMailConfiguration config;
    private SearchFilter filter;
    private MessageMapper mapper;
    private IdempotentRepository repository;
    /** The eager idempotent mode's reservations; null in the default mode (add after success). */
    private IdempotentReservations reservations;
    /** True from opening a session until the poll that used it first looked for what a dead node flagged. */
    private boolean freshSession;
    private ExecutorService fetchAhead;
    /** IMAP deletions flagged but not yet expunged; handed from a lost session to the next. */
    private final PendingExpunges pendingExpunges = new PendingExpunges();
    /** Built once at start: the TLS context behind it is costly, and POP3 opens a session every poll. */
    private ConnectionSettings connection;
    private Credentials credentials;
    /** What happens to a message whose exchange failed: null (it stays untouched) or a move to moveFailedTo. */
    private AfterProcessing failedAction;
    /** Read by a stopping thread, which closes it when a poll is stuck in it. */
    private volatile MailboxSession session;
    private final PollInProgress pollInProgress = new PollInProgress();
    private final Object pollLock = new Object();
    private final OversizedMessages oversized = new OversizedMessages();
    private final MailboxStatistics statistics;
    private CamelLogger pollSummaryLog;
    private MeterBinding.Unbind meters = () -> { };
    /** Routed messages whose after-processing is not confirmed: never routed again, only their action retried. */
    private UnfinishedActions unfinished;
    /** True once the configured target folders were found (or created) on the server. */
    private boolean foldersReady;
    /** IMAP IDLE between polls (option idle); null when off. */
    private volatile IdleLoop idleLoop;
    private ExecutorService idleThread;
    /** The IDLE loop was told once that the error backoff holds (see {@link #pollForIdleLoop()}). */
    private boolean idleLoopBackingOff;

    public CatalystMailConsumer(CatalystMailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.statistics = endpoint.mailboxStatistics();
    }

    @Override
    public MailboxStatistics statistics() {
        return statistics;
    }

    @Override
    public CatalystMailEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        // the filter is validated here so bad syntax stops the route from starting, with the reason
        filter = SearchFilter.fromOptions(config.getSearch(), config.getSearchFrom(), config.getSearchTo(),
                config.getSearchSubject(), config.getSearchBody(), config.getSince(), config.getBefore());
        requireFolderName(config.getFolder(), "option folder");
        requireFolderName(config.getMoveTo(), "option moveTo");
        requireFolderName(config.getCopyTo(), "option copyTo");
        requireFolderName(config.getMoveFailedTo(), "option moveFailedTo");
        if (isPop3()) {
            if (config.isIdle()) {
                throw new IllegalArgumentException("idle=true needs IMAP IDLE; POP3 has no push delivery, so a POP3"
                                                   + " consumer polls on the schedule (option delay): remove idle");
            }
            rejectFolderOptionsForPop3();
            Pop3MailboxSession.checkFilter(filter);
        }
        mapper = new MessageMapper(MimeLimits.of(config), config.isPreferHtml(), config.isRaw(),
                config.getTextBodyStreamThreshold());
        repository = config.getIdempotentRepository();
        if (repository == null && isPop3() && config.isUnseen()) {
            // POP3 has no \Seen flag: "unseen" means "UIDL not processed before", remembered by the client
            repository = MemoryIdempotentRepository.memoryIdempotentRepository(100_000);
        }
        if (repository != null) {
            ServiceHelper.startService(repository);
        }
        if (config.isIdempotentEager()) {
            if (repository == null) {
                throw new IllegalArgumentException("idempotentEager=true needs an idempotentRepository to reserve"
                                                   + " messages in");
            }
            if (config.getIdempotentKey() != IdempotentKey.LOCATION) {
                throw new IllegalArgumentException("idempotentEager=true reserves keys before fetching, so it needs"
                                                   + " idempotentKey=LOCATION (a Message-ID is known only after)");
            }
            reservations = new IdempotentReservations(repository);
        }
        connection = endpoint.connectionSettings();
        credentials = endpoint.credentials();
        failedAction = config.getMoveFailedTo() == null ? null
                : new AfterProcessing(false, false, config.getMoveFailedTo(), null);
        fetchAhead = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "CatalystMailFetchAhead");
        pollSummaryLog = new CamelLogger(LOG, config.getPollSummaryLoggingLevel());
        meters = getEndpoint().bindMailboxMeters();
        unfinished = new UnfinishedActions(config.getAfterProcessingAttempts(), this::describe);
        foldersReady = AfterProcessing.folders(configuredActions()).isEmpty();
        if (!foldersReady) {
            checkFoldersAtStart();
        }
        if (config.isIdle() && !isPop3()) {
            // before the scheduler starts: every poll, the first included, takes its turn with the IDLE loop
            idleLoop = new IdleLoop(new IdleHooks(), java.time.Duration.ofMillis(config.getIdleRenewInterval()),
                    connection.readTimeout(), connection.describe());
        }
        super.doStart();
        if (idleLoop != null) {
            idleThread = getEndpoint().getCamelContext().getExecutorServiceManager()
                    .newSingleThreadExecutor(this, "CatalystMailIdle");
            idleThread.execute(idleLoop);
        }
    }

    /** What the IDLE loop uses of this consumer. */
    private final class IdleHooks implements IdleLoop.Consumer {
        @Override
        public ImapMailboxSession session() {
            return session instanceof ImapMailboxSession imap ? imap : null;
        }

        @Override
        public boolean mayIdle() {
            return isStarted();
        }

        @Override
        public void pollNow() {
            pollForIdleLoop();
        }

        @Override
        public void abortSession() {
            CatalystMailConsumer.this.abortSession();
        }
    }

    /** One poll at a time: the scheduler's and those the IDLE loop runs when mail is announced. */
    @Override
    public void run() {
        synchronized (pollLock) {
            super.run();
        }
    }

    /**
     * A poll the IDLE loop asks for (mail announced, a lost connection, a resume), through Camel's {@link #run()} so
     * the poll strategy, sendEmptyMessageWhenIdle, repeatCount, the error and idle counters and the health check
     * apply as to a scheduled poll. The backoff options are about the schedule, so: the idle backoff
     * (backoffIdleThreshold) does not hold back a poll the server asked for; while the error backoff
     * (backoffErrorThreshold) holds, the loop starts no poll at all (said once), and the scheduled ticks Camel skips
     * stay the only attempts, as backoffMultiplier says; the loop's own polls never use up those skips.
     */
    private void pollForIdleLoop() {
        synchronized (pollLock) {
            if (getBackoffMultiplier() > 0 && getBackoffErrorThreshold() > 0
                && getErrorCounter() >= getBackoffErrorThreshold()) {
                if (!idleLoopBackingOff) {
                    idleLoopBackingOff = true;
                    LOG.info("{} failed {} polls in a row: the IDLE loop polls no more while the error backoff holds;"
                             + " the schedule skips {} polls (backoffMultiplier), then polls and idles again",
                            connection.describe(), getErrorCounter(), getBackoffMultiplier() - 1);
                }
                return;
            }
            idleLoopBackingOff = false;
            // Camel checks the idle backoff inside run() only; hide the threshold from this one poll
            int idleThreshold = getBackoffIdleThreshold();
            setBackoffIdleThreshold(0);
            try {
                super.run();
            } finally {
                setBackoffIdleThreshold(idleThreshold);
            }
        }
    }

    /**
     * Looks for the moveTo, copyTo and moveFailedTo folders (creating them with autoCreateFolders), so a missing
     * one stops the route from starting instead of failing every poll. When the server cannot be reached now,
     * the first poll that connects does the check.
     */
    private void checkFoldersAtStart() throws Exception {
        try {
            openSession();
        } catch (io.catalystmail.camel.imap.MissingFolderException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (IOException e) {
            LOG.warn("Could not check the folders of {} at start ({}); the first poll checks them",
                    connection.describe(), e.getMessage());
        }
    }

    private List<AfterProcessing> configuredActions() {
        List<AfterProcessing> actions = new ArrayList<>();
        actions.add(new AfterProcessing(false, false, config.getMoveTo(), config.getCopyTo()));
        if (failedAction != null) {
            actions.add(failedAction);
        }
        return actions;
    }

    /** How log lines name a message: its UID or UIDL and the folder, never the user. */
    private String describe(MessageRef ref) {
        return isPop3() ? "UIDL " + ref.id() : "UID " + ref.id() + " in " + config.getFolder();
    }

    @Override
    protected void doStop() throws Exception {
        if (idleLoop != null) {
            idleLoop.stop();
        }
        abortBusySession("stopping");
        super.doStop();
        if (idleThread != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(idleThread);
            idleThread = null;
            idleLoop = null;
        }
        if (fetchAhead != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(fetchAhead);
            fetchAhead = null;
        }
        closeSession();
        meters.unbind();
        if (repository != null && repository != config.getIdempotentRepository()) {
            ServiceHelper.stopService(repository);
        }
    }

    @Override
    protected void doSuspend() throws Exception {
        if (idleLoop != null) {
            idleLoop.pause();
        }
        abortBusySession("suspending");
        super.doSuspend();
    }

    @Override
    protected void doResume() throws Exception {
        super.doResume();
        if (idleLoop != null) {
            idleLoop.resumed();
        }
    }

    private void abortBusySession(String why) throws InterruptedException {
        pollInProgress.interrupt(() -> session, why);
    }

    private void rejectFolderOptionsForPop3() {
        if (config.getMoveTo() != null || config.getCopyTo() != null || config.getMoveFailedTo() != null) {
            throw new IllegalArgumentException("moveTo, copyTo and moveFailedTo need folders, which POP3 does not have");
        }
        if (!"INBOX".equalsIgnoreCase(config.getFolder())) {
            throw new IllegalArgumentException("POP3 reads only INBOX, but folder=" + config.getFolder());
        }
    }

    private boolean isPop3() {
        return endpoint.getProtocol().kind() == MailProtocol.Kind.POP3;
    }

    @Override
    protected int poll() throws Exception {
        MailboxStatistics.Outcome<Integer> outcome = statistics.poll(this::pollGuarded);
        if (outcome.summary().eventful()) {
            pollSummaryLog.log(outcome.summary().toString());
        }
        return outcome.result();
    }

    /** One poll; whatever goes wrong leaves no half-used connection behind (see each catch). */
    private int pollGuarded() throws Exception {
        IdleLoop idle = idleLoop;
        if (idle != null) {
            idle.pollStarting();
        }
        pollInProgress.begin();
        try {
            return pollMailbox();
        } catch (ImapCommandException | Pop3RefusedException e) {
            // the server refused a command but the protocol is in step: a polite goodbye (POP3: QUIT applies the
            // deletions accepted so far); the next poll reconnects
            closeSession();
            throw e;
        } catch (Exception e) {
            // the connection is in an unknown state (a lost socket, a timeout, a protocol violation): drop it without
            // a goodbye the server may never answer; the next poll reconnects
            abortSession();
            throw e;
        } catch (Error e) {
            // Camel's scheduler stops polling for good after an Error; an OutOfMemoryError here comes from what a
            // server sent and is gone with this poll's objects, so it becomes this poll's failure: the consumer's
            // exception handler and health check see it, and the next poll starts afresh
            abortSession();
            throw new PollFailedException("The poll of " + endpoint.getConfiguration().getHost() + " failed with "
                                          + e + "; the connection was dropped, the next poll reconnects", e);
        } finally {
            pollInProgress.end();
            if (idle != null) {
                idle.pollEnded();
            }
        }
    }

    private int pollMailbox() throws Exception {
        MailboxSession mailbox = openSession();
        try {
            int max = config.effectiveMessagesPerPoll();
            // without a repository or remembered messages nothing is skipped after listing, so the server's list
            // can be cut right away
            boolean skips = repository != null || !unfinished.isEmpty();
            List<MessageRef> listed = mailbox.list(filter, config.isUnseen() && !isPop3(), config.getSortOrder(),
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
                        : repository != null && keyKnownBeforeFetch() && repository.contains(ref.identity());
                if (oversized.known(ref)) {
                    LOG.debug("Message {} is above maxMessageSize, as reported before; skipped", ref.id());
                } else if (processedBefore) {
                    // processed before, but the server may not have been updated (connection lost): update it now
                    AfterProcessing done = successAction(null);
                    statistics.skipped();
                    if (!done.isNothing()) {
                        unfinished.owed(ref, done);
                        statistics.action(done);
                    }
                } else {
                    candidates.add(ref);
                }
            }
            unfinished.retry(mailbox, listedByIdentity, isPop3(), config.isAutoCreateFolders());
            // what a dead node flagged but never expunged; eager (several nodes): every poll, as a dead node's keys
            // may expire from the repository
            if ((candidates.isEmpty() || freshSession || reservations != null)
                && mailbox instanceof ImapMailboxSession imap) {
                freshSession = false;
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
            if (isPop3()) {
                // POP3 locks the maildrop for the session and applies deletions at QUIT: never keep it open
                closeSession();
            }
        }
    }

    /** With MESSAGE_ID keys the repository can only be asked once the message has been fetched. */
    private boolean keyKnownBeforeFetch() {
        return config.getIdempotentKey() == IdempotentKey.LOCATION;
    }

    private MailboxSession openSession() throws Exception {
        if (session != null && session.isAlive()) {
            return session;
        }
        closeSession();
        MailboxSession fresh = endpoint.createMailboxSession(connection, credentials);
        if (fresh instanceof ImapMailboxSession imap) {
            imap.keepPendingExpungesIn(pendingExpunges);
        }
        // visible to a stopping thread from now on, so a login stuck on a silent server can be cut too
        session = fresh;
        try {
            fresh.open();
        } catch (Exception e) {
            session = null;
            fresh.close();
            statistics.disconnected("login failed: " + e.getClass().getSimpleName());
            if (e instanceof AuthenticationException) {
                statistics.loginFailed();
            }
            throw e;
        }
        statistics.connected(fresh instanceof ImapMailboxSession imap ? imap.capabilities().toString() : "");
        freshSession = true;
        if (!foldersReady) {
            // a missing folder fails here, before anything is routed, with the folder's name
            try {
                fresh.prepareFolders(AfterProcessing.folders(configuredActions()), config.isAutoCreateFolders());
            } catch (IOException | RuntimeException e) {
                closeSession();
                throw e;
            }
            foldersReady = true;
        }
        if (fresh instanceof ImapMailboxSession imap) {
            long validity = imap.uidValidity();
            long previous = endpoint.lastUidValidity().getAndSet(validity);
            statistics.uidValidity(validity, previous >= 0 && validity != previous);
            if (previous >= 0 && validity != previous) {
                LOG.warn("UIDVALIDITY of folder {} changed from {} to {}: the server renumbered its messages; they are"
                         + " new to the idempotent repository, whose keys include UIDVALIDITY",
                        config.getFolder(), previous, validity);
            }
        }
        return fresh;
    }

    private void closeSession() {
        MailboxSession s = session;
        session = null;
        if (s != null) {
            s.close();
            statistics.disconnected("not connected");
        }
    }

    private void abortSession() {
        MailboxSession s = session;
        session = null;
        if (s != null) {
            s.abort();
            s.close();
            statistics.disconnected("connection dropped");
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
        List<MessageRef> nextRound = isBatchAllowed() ? planner.nextRound() : List.of();
        Map<MessageRef, AfterProcessing> pending = new LinkedHashMap<>();
        boolean createFolders = config.isAutoCreateFolders();
        RoundSettling settling = RoundSettling.of(isPop3(), successAction(null));
        FetchedRound current = FetchedRound.fetch(mailbox, Map.of(), createFolders, round,
                settling.announced(nextRound), this::toExchange, this::discard);
        int index = 0;
        while (true) {
            Future<FetchedRound> next = null;
            Future<?> flagging = null;
            List<MessageRef> afterNext = List.of();
            Map<MessageRef, AfterProcessing> earlier = settling.settle(mailbox, pending, createFolders);
            pending.clear();
            if (!nextRound.isEmpty() && isBatchAllowed()) {
                List<MessageRef> fetching = nextRound;
                afterNext = planner.nextRound();
                List<MessageRef> announced = settling.announced(afterNext);
                next = fetchAhead.submit(() -> FetchedRound.fetch(mailbox, earlier, createFolders, fetching,
                        announced, this::toExchange, this::discard));
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
                reportUnreadable(ref, cause);
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
            routeRound(current.exchanges(), pending);
            if (next == null) {
                if (flagging != null) {
                    await(flagging);
                }
                break;
            }
            current = await(next);
            nextRound = afterNext;
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

    private void routeRound(Queue<? extends Object> exchanges, Map<MessageRef, AfterProcessing> actions) {
        while (!exchanges.isEmpty()) {
            Exchange exchange = (Exchange) exchanges.poll();
            MessageRef ref = exchange.getProperty(MessageRefProperty.NAME, MessageRef.class);
            if (!isBatchAllowed()) {
                // stopping: the message stays untouched on the server; release its temp files
                discard(exchange);
                statistics.skipped();
                continue;
            }
            if (routedBefore(exchange, ref)) {
                // the repository knows its Message-ID: not routed again, only the server brought up to date
                AfterProcessing done = successAction(null);
                discard(exchange);
                if (!done.isNothing()) {
                    unfinished.routed(ref, done);
                    actions.put(ref, done);
                }
                continue;
            }
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.isFailed() || exchange.isRollbackOnly()) {
                // the route's error handler has seen the failure already; this only says what happens to the mail
                LOG.warn("Message {} failed in the route; it {}", ref.id(),
                        config.getMoveFailedTo() == null ? "stays on the server, untouched"
                                : "is moved to " + config.getMoveFailedTo());
                statistics.failed();
                if (reservations != null) {
                    reservations.release(ref);
                }
                if (failedAction != null) {
                    actions.put(ref, failedAction);
                    statistics.action(failedAction);
                }
            } else {
                AfterProcessing action;
                try {
                    action = successAction(exchange);
                } catch (IllegalArgumentException e) {
                    // the route asked for something that must not reach the server: leave the message as it is
                    getExceptionHandler().handleException("Message " + ref.id() + " was processed, but its"
                                                          + " after-processing was refused; it stays on the server unchanged", exchange, e);
                    unfinished.giveUp(ref, e.getMessage());
                    continue;
                }
                if (reservations != null) {
                    reservations.confirm(ref);
                } else if (repository != null) {
                    repository.add(exchange.getProperty(MessageRefProperty.KEY, String.class));
                }
                statistics.routed();
                if (!action.isNothing()) {
                    unfinished.routed(ref, action);
                    actions.put(ref, action);
                    statistics.action(action);
                }
            }
        }
    }

    /** With MESSAGE_ID keys: true when the repository holds the fetched message's key. */
    private boolean routedBefore(Exchange exchange, MessageRef ref) {
        return repository != null && !keyKnownBeforeFetch()
               && repository.contains(exchange.getProperty(MessageRefProperty.KEY, String.class));
    }

    /**
     * A message the mapper could not turn into an exchange never reaches the route; it goes to the consumer's
     * exception handler (the route's error handler with {@code bridgeErrorHandler=true}) with its ids as headers.
     */
    private void reportUnreadable(MessageRef ref, Exception e) {
        Exchange exchange = createExchange(false);
        exchange.setProperty(MessageRefProperty.NAME, ref);
        org.apache.camel.Message in = exchange.getIn();
        in.setHeader(CatalystMailConstants.MESSAGE_KEY, ref.identity());
        in.setHeader(CatalystMailConstants.FOLDER, isPop3() ? "INBOX" : config.getFolder());
        in.setHeader(isPop3() ? CatalystMailConstants.UIDL : CatalystMailConstants.UID, isPop3() ? ref.id() : ref.uid());
        String fate = config.getMoveFailedTo() == null ? "it stays on the server" : "it is moved to " + config.getMoveFailedTo();
        getExceptionHandler().handleException("Message " + ref.id() + " could not be read (" + e.getMessage() + "); "
                                              + fate, exchange, e);
    }

    private void discard(Exchange exchange) {
        List<Synchronization> pending = exchange.getExchangeExtension().handoverCompletions();
        if (pending != null) {
            pending.forEach(s -> s.onFailure(exchange));
        }
    }

    /** Builds the exchange while the message streams in; the mapper parses it once, from the socket. */
    private Exchange toExchange(FetchedMessage message) throws Exception {
        Exchange exchange = createExchange(false);
        MessageRef ref = message.ref();
        statistics.fetched(message.size() >= 0 ? message.size() : ref.size());
        exchange.setProperty(MessageRefProperty.NAME, ref);
        CountingInputStream content = new CountingInputStream(message.content());
        try {
            mapper.map(content, exchange.getIn());
        } catch (Exception | Error e) {
            discard(exchange);
            throw e;
        }
        org.apache.camel.Message in = exchange.getIn();
        String messageId = in.getHeader(CatalystMailConstants.MESSAGE_ID, String.class);
        boolean byMessageId = config.getIdempotentKey() == IdempotentKey.MESSAGE_ID && messageId != null
                              && !messageId.isBlank();
        String key = byMessageId ? messageId : ref.identity();
        // kept in a property too: the repository must get the key even when the route drops the headers
        exchange.setProperty(MessageRefProperty.KEY, key);
        in.setHeader(CatalystMailConstants.MESSAGE_KEY, key);
        in.setHeader(CatalystMailConstants.FOLDER, isPop3() ? "INBOX" : config.getFolder());
        if (isPop3()) {
            in.setHeader(CatalystMailConstants.UIDL, ref.id());
        } else {
            in.setHeader(CatalystMailConstants.UID, ref.uid());
            in.setHeader(CatalystMailConstants.UID_VALIDITY, endpoint.lastUidValidity().get());
            in.setHeader(CatalystMailConstants.FLAGS, message.flags());
            if (message.internalDate() != null) {
                in.setHeader(CatalystMailConstants.INTERNAL_DATE, message.internalDate());
            }
        }
        // the octets that came, not what LIST or RFC822.SIZE announced (the mapper reads the content to its end)
        in.setHeader(CatalystMailConstants.SIZE, content.count());
        return exchange;
    }

    /** The configured success action, overridden per exchange by the CamelCatalystMail* headers. */
    private AfterProcessing successAction(Exchange exchange) {
        boolean markSeen = config.isMarkSeen();
        boolean delete = config.isDelete();
        String moveTo = config.getMoveTo();
        String copyTo = config.getCopyTo();
        if (exchange != null) {
            org.apache.camel.Message m = exchange.getMessage();
            markSeen = m.getHeader(CatalystMailConstants.MARK_SEEN, markSeen, Boolean.class);
            delete = m.getHeader(CatalystMailConstants.DELETE, delete, Boolean.class);
            moveTo = requireFolderName(m.getHeader(CatalystMailConstants.MOVE_TO, moveTo, String.class),
                    "header " + CatalystMailConstants.MOVE_TO);
            copyTo = requireFolderName(m.getHeader(CatalystMailConstants.COPY_TO, copyTo, String.class),
                    "header " + CatalystMailConstants.COPY_TO);
        }
        if (isPop3()) {
            // seen is tracked in the repository; POP3 has no folders (rejected at start for the options)
            return new AfterProcessing(false, delete, null, null);
        }
        if (ObjectHelper.isEmpty(moveTo)) {
            moveTo = null;
        }
        if (ObjectHelper.isEmpty(copyTo)) {
            copyTo = null;
        }
        // markSeen holds for moved messages too (they arrive \Seen, as with camel-mail's moveTo and delete=false)
        return new AfterProcessing(markSeen && !delete, delete, moveTo, copyTo);
    }

    /**
     * Refuses a folder name with control characters (CR, LF, NUL...): it could only be an attempt to add IMAP
     * commands. The message names where the value came from, never the value.
     */
    private static String requireFolderName(String name, String where) {
        if (name != null) {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw new IllegalArgumentException("The " + where + " contains a line break, NUL or other control"
                                                       + " character, which could inject IMAP commands; refusing it");
                }
            }
        }
        return name;
    }

    @Override
    public int processBatch(Queue<Object> exchanges) throws Exception {
        // poll() routes and commits round by round; this entry point routes a queue handed over by Camel
        Map<MessageRef, AfterProcessing> actions = new LinkedHashMap<>();
        int size = exchanges.size();
        routeRound(exchanges, actions);
        try {
            if (!actions.isEmpty() && session != null) {
                session.prepareFolders(AfterProcessing.folders(actions.values()), config.isAutoCreateFolders());
                session.apply(actions);
                session.commit();
            }
            unfinished.confirmInFlight();
        } catch (Exception e) {
            unfinished.failInFlight(e);
            throw e;
        }
        return size;
    }

    /** The exchange property that carries the message's {@link MessageRef} inside the consumer. */
    static final class MessageRefProperty {
        static final String NAME = "CatalystMailMessageRef";
        /** The message's key in the idempotent repository. */
        static final String KEY = "CatalystMailMessageKey";

        private MessageRefProperty() {
        }
    }
}
