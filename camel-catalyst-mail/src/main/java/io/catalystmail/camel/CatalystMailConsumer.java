package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

import io.catalystmail.camel.imap.ImapCommandException;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.ConfirmedSteps;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.metrics.ManagedMailboxFigures;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.metrics.MeterBinding;
import io.catalystmail.camel.metrics.PollSummary;
import io.catalystmail.camel.mime.MessageMapper;
import io.catalystmail.camel.mime.MimeLimits;
import io.catalystmail.camel.pop3.Pop3RefusedException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.CamelLogger;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.BridgeExceptionHandlerToErrorHandler;
import org.apache.camel.support.LoggingExceptionHandler;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls an IMAP or POP3 mailbox through the uniform {@link MailboxSession}: the Camel side and the lifecycle. Each
 * poll ({@link MailboxPoll}) lists the candidates, fetches them in rounds of {@code fetchRoundSize}, routes each
 * message as one exchange ({@link ExchangeRouting}) and only then applies the after-processing action of every
 * exchange of the round in one batch: the server is never changed for a message whose exchange failed. This class
 * validates the options at start, keeps one poll at a time, hands the connection ({@link KeptSession}) to the IDLE
 * loop ({@link IdleLoopPolls}) between polls and takes it back for stop and suspend. Its figures
 * ({@link MailboxStatistics}) are JMX attributes of its MBean.
 */
@ManagedResource(description = "Managed Catalyst Mail consumer")
public class CatalystMailConsumer extends ScheduledBatchPollingConsumer implements ManagedMailboxFigures {

    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    private final CatalystMailEndpoint endpoint;
    private final CatalystMailConfiguration config;
    private IdempotentRepository repository;
    /** The eager mode's reservations; null in the default mode. */
    private IdempotentReservations reservations;
    /** What happens to a message whose exchange failed: null (it stays untouched) or a move to moveFailedTo. */
    private AfterProcessing failedAction;
    private ExecutorService fetchAhead;
    /** The connection, kept across polls; a stopping thread closes it when a poll is stuck in it. */
    private KeptSession session;
    private ExchangeRouting routing;
    /** Routed messages whose key the repository failed to record: the endpoint's, kept over the route's restarts. */
    private UnrecordedKeys unrecorded;
    private MailboxPoll mailboxPoll;
    private final PollInProgress pollInProgress = new PollInProgress();
    private final Object pollLock = new Object();
    private final MailboxStatistics statistics;
    private CamelLogger pollSummaryLog;
    /** In place of Camel's default exception handler, null when the route set its own. */
    private QuietPollFailures quietFailures;
    private MeterBinding.Unbind meters = () -> { };
    /** Routed messages whose after-processing is not confirmed: never routed again, only their action retried. */
    private UnfinishedActions unfinished;
    /** IMAP IDLE between polls (option idle); null when off. */
    private volatile IdleLoopPolls idleLoop;
    /** The search options, parsed and checked at init. */
    private SearchFilter filter;

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

    /**
     * Checks the options here rather than at start: a ConsumerTemplate starts its consumer only before its first
     * poll, where Camel's polling consumer logs an exception at DEBUG and ignores it, so a bad search term would
     * make every receive come back empty without a word. Init runs for routes and templates alike, and fails both.
     */
    @Override
    protected void doInit() throws Exception {
        filter = ConsumerOptionChecks.check(config, isPop3());
        super.doInit();
    }

    @Override
    protected void doStart() throws Exception {
        MessageMapper mapper = new MessageMapper(MimeLimits.of(config), config.isPreferHtml(), config.isRaw(),
                config.getTextBodyStreamThreshold());
        repository = config.getIdempotentRepository();
        if (repository == null && isPop3() && config.isUnseen()) {
            // POP3 has no \Seen flag: "unseen" means "UIDL not processed before", remembered by the client (the
            // endpoint keeps it for the consumer a route restart makes)
            repository = endpoint.seenUidls();
        }
        if (repository != null) {
            ServiceHelper.startService(repository);
        }
        // ConsumerOptionChecks made sure an eager consumer has a repository
        reservations = config.isIdempotentEager()
                ? new IdempotentReservations(repository, config.isIdempotentRemoveOnCommit()) : null;
        failedAction = config.getMoveFailedTo() == null ? null
                : new AfterProcessing(false, false, config.getMoveFailedTo(), null);
        session = new KeptSession(endpoint, statistics, configuredActions());
        fetchAhead = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "CatalystMailFetchAhead");
        pollSummaryLog = new CamelLogger(LOG, config.getPollSummaryLoggingLevel());
        if (getExceptionHandler() instanceof LoggingExceptionHandler) {
            quietFailures = new QuietPollFailures(getExceptionHandler(),
                    session.settings().host() + ":" + session.settings().port(),
                    endpoint.credentials().present() ? endpoint.credentials().account() : null,
                    () -> isStoppingOrStopped() || isSuspendingOrSuspended(), this::idleLoopRetrying);
            setExceptionHandler(quietFailures);
        } else if (getExceptionHandler() instanceof BridgeExceptionHandlerToErrorHandler) {
            setExceptionHandler(new BridgedPollFailures(getExceptionHandler()));
        }
        meters = getEndpoint().bindMailboxMeters();
        // what the consumer stopped before this start owed: routed then, never routed again (UnfinishedActions)
        UnfinishedActions owed = endpoint.takeUnfinishedActions();
        unfinished = owed != null ? owed
                : new UnfinishedActions(config.getAfterProcessingAttempts(), describer(isPop3(), config.getFolder()),
                        statistics);
        session.reportConfirmedTo(reservations == null ? unfinished : confirmedTo(reservations, unfinished));
        PollParts parts = new PollParts(this, endpoint, repository, reservations, unfinished, statistics, failedAction);
        if (repository != null) {
            // kept over restarts of the route (a new consumer each): what a stopped start owed must not be routed again
            unrecorded = endpoint.unrecordedKeys();
            unrecorded.startWith(repository, reservations);
        }
        routing = new ExchangeRouting(parts, mapper, repository == null ? null : unrecorded);
        mailboxPoll = new MailboxPoll(parts, filter, session, routing, fetchAhead);
        session.checkFoldersAtStart();
        if (config.isIdle() && !isPop3()) {
            // before the scheduler starts: every poll, the first included, takes its turn with the IDLE loop
            idleLoop = new IdleLoopPolls(this, pollLock, session,
                    java.time.Duration.ofMillis(config.getIdleRenewInterval()));
        }
        super.doStart();
        if (idleLoop != null) {
            idleLoop.start(getEndpoint().getCamelContext().getExecutorServiceManager());
        }
    }

    /** The poll running is the IDLE loop's, after polls that failed: a retry of a reconnect (QuietPollFailures). */
    private boolean idleLoopRetrying() {
        IdleLoopPolls idle = idleLoop;
        return idle != null && idle.retrying();
    }

    /** One poll at a time: the scheduler's and those the IDLE loop runs when mail is announced. */
    @Override
    public void run() {
        synchronized (pollLock) {
            super.run();
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

    /** Steps the server confirmed: removals end reservations, copies and moves made are not retried. */
    private static ConfirmedSteps confirmedTo(IdempotentReservations reservations, UnfinishedActions unfinished) {
        return new ConfirmedSteps() {
            @Override
            public void left(List<String> identities) {
                reservations.gone(identities);
            }

            @Override
            public void copied(List<String> identities) {
                unfinished.copied(identities);
            }

            @Override
            public void movedCopyMade(List<String> identities) {
                unfinished.movedCopyMade(identities);
            }
        };
    }

    /**
     * How log lines name a message: its UID or UIDL and the folder, never the user. Holds no consumer: it goes with
     * the unfinished actions to the next start.
     */
    private static Function<MessageRef, String> describer(boolean pop3, String folder) {
        return ref -> pop3 ? "UIDL " + ref.id() : "UID " + ref.id() + " in " + folder;
    }

    @Override
    protected void doStop() throws Exception {
        if (idleLoop != null) {
            idleLoop.stop();
        }
        abortBusySession("stopping");
        super.doStop();
        if (idleLoop != null) {
            idleLoop.shutdown(getEndpoint().getCamelContext().getExecutorServiceManager());
            idleLoop = null;
        }
        if (fetchAhead != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(fetchAhead);
            fetchAhead = null;
        }
        if (session != null) {
            session.close();
        }
        if (unfinished != null) {
            endpoint.keepUnfinishedActions(unfinished);
        }
        if (unrecorded != null && repository != null && session != null) {
            unrecorded.reportAtStop(session.settings().describe() + (isPop3() ? "" : " " + config.getFolder()));
        }
        if (reservations != null) {
            reservations.removeAllGone(); // idempotentRemoveOnCommit: what left the folder needs no key any more
        }
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
        KeptSession kept = session;
        pollInProgress.interrupt(() -> sessionToCut(kept), why);
    }

    /**
     * Asked once the grace is over and the poll still runs: its connection is about to be closed by us, not lost, so
     * its actions that fail with it are no failed attempts (else afterProcessingAttempts=1 gave them up).
     */
    private MailboxSession sessionToCut(KeptSession kept) {
        MailboxSession current = kept == null ? null : kept.current();
        if (current != null && unfinished != null) {
            unfinished.connectionCutByConsumer();
        }
        return current;
    }

    private boolean isPop3() {
        return endpoint.getProtocol().kind() == MailProtocol.Kind.POP3;
    }

    @Override
    protected int poll() throws Exception {
        MailboxStatistics.Outcome<Integer> outcome = statistics.poll(this::pollGuarded);
        PollSummary summary = outcome.summary();
        if (outcome.failure() instanceof UnusableFolderException unusable && !unusable.firstOfItsKind()) {
            LOG.debug(summary.toString()); // said when it began (UnusableFolders)
        } else if (outcome.failure() != null && !(outcome.failure() instanceof UnusableFolderException)
                   && quietFailures != null && isRunAllowed()) {
            // Camel hands the failure to QuietPollFailures next, whose line says what the poll did: one line per
            // failed poll, at WARN, rather than this summary and Camel's warning after it
            quietFailures.pollFailed(outcome.failure(), summary.didSomething()
                    && config.getPollSummaryLoggingLevel() != LoggingLevel.OFF ? summary.figures() : null);
        } else if (summary.eventful()) {
            pollSummaryLog.log(summary.toString());
        }
        if (outcome.failure() == null && quietFailures != null) {
            quietFailures.pollSucceeded();
        }
        return outcome.result();
    }

    /** One poll; whatever goes wrong leaves no half-used connection behind (see each catch). */
    private int pollGuarded() throws Exception {
        IdleLoopPolls idle = idleLoop;
        if (idle != null) {
            idle.pollStarting();
        }
        pollInProgress.begin();
        try {
            return mailboxPoll.run();
        } catch (ImapCommandException | Pop3RefusedException e) {
            // the server refused a command but the protocol is in step: a polite goodbye (POP3: QUIT applies the
            // deletions accepted so far); the next poll reconnects
            session.close();
            throw e;
        } catch (Exception e) {
            // the connection is in an unknown state (a lost socket, a timeout, a protocol violation): drop it without
            // a goodbye the server may never answer; the next poll reconnects
            session.abort();
            throw e;
        } catch (Error e) {
            // Camel's scheduler stops polling for good after an Error; an OutOfMemoryError here comes from what a
            // server sent and is gone with this poll's objects, so it becomes this poll's failure: the consumer's
            // exception handler and health check see it, and the next poll starts afresh
            session.abort();
            throw new PollFailedException("The poll of " + endpoint.getConfiguration().getHost() + " failed with "
                                          + e + "; the connection was dropped, the next poll reconnects", e);
        } finally {
            pollInProgress.end();
            if (idle != null) {
                idle.pollEnded();
            }
        }
    }

    @Override
    public int processBatch(Queue<Object> exchanges) throws Exception {
        // poll() routes and commits round by round; this entry point routes a queue handed over by Camel
        Map<MessageRef, AfterProcessing> actions = new LinkedHashMap<>();
        int size = exchanges.size();
        try {
            // inside: an action is in flight as soon as its exchange succeeded, before the repository's record that
            // may fail; left in flight, it was never retried and the next poll took it as done
            routing.routeRound(exchanges, actions);
            MailboxSession mailbox = session.current();
            if (!actions.isEmpty() && mailbox != null) {
                mailbox.prepareFolders(AfterProcessing.folders(actions.values()), config.isAutoCreateFolders());
                mailbox.apply(actions);
                mailbox.commit();
            }
            unfinished.confirmInFlight();
        } catch (Exception e) {
            unfinished.failInFlight(e);
            throw e;
        }
        return size;
    }


}
