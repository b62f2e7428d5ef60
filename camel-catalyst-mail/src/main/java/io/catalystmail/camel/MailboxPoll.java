package io.catalystmail.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

import io.catalystmail.camel.imap.ImapMailboxSession;
import io.catalystmail.camel.mailbox.ConnectionDroppedForSizeException;
import io.catalystmail.camel.mailbox.HeaderAnswersTooLarge;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;

/**
 * One poll of the mailbox, on the consumer's thread: lists the candidates ({@link PollCandidates} leaves out what
 * is remembered as routed or too large), has {@link RoutedRounds} fetch and route them in rounds of
 * {@code fetchRoundSize} and apply their after-processing: the server is never changed for a message whose exchange
 * failed. What was processed before is skipped as its round is planned ({@link RoundPlanner}): the idempotent
 * repository is asked about a round's worth of messages at a time, never about the whole listing before the first
 * round. What is owed
 * to the server for messages processed before, and the expunge of what a dead node flagged, come after the rounds,
 * so they never hold back the first message (most of a new leader's takeover). The consumer around it owns the
 * lifecycle and the connection's hand-offs (stop, suspend, IDLE).
 */
final class MailboxPoll {

    private final PollParts parts;
    private final CatalystMailConfiguration config;
    private final SearchFilter filter;
    private final KeptSession session;
    private final ExchangeRouting routing;
    /** Per consumer: a message found too large is left out of every later poll, across reconnects. */
    private final OversizedMessages oversized = new OversizedMessages();
    /** Per consumer: a message whose Date answer cost a connection is listed by INTERNALDATE, across reconnects. */
    private final HeaderAnswersTooLarge longDateAnswers = new HeaderAnswersTooLarge();
    private final PollCandidates selection;
    private final RoutedRounds rounds;

    MailboxPoll(PollParts parts, SearchFilter filter, KeptSession session, ExchangeRouting routing,
            ExecutorService fetchAhead) {
        this.parts = parts;
        this.config = parts.config();
        this.filter = filter;
        this.session = session;
        this.routing = routing;
        this.selection = new PollCandidates(parts, routing, oversized);
        this.rounds = new RoutedRounds(parts, session, routing, selection, oversized, fetchAhead);
    }

    /** One poll; returns how many messages it routed. */
    int run() throws Exception {
        MailboxSession mailbox = session.open();
        longDateAnswers.pollBegins();
        if (mailbox instanceof ImapMailboxSession imap) {
            imap.keepLongDateAnswersIn(longDateAnswers);
        }
        IdempotentReservations reservations = parts.reservations();
        UnfinishedActions unfinished = parts.unfinished();
        try {
            if (routing.unrecorded() != null) {
                // before the listing is selected from: a message recorded now is known to the repository's checks
                routing.unrecorded().recordOwed();
            }
            int max = config.effectiveMessagesPerPoll();
            // without a repository, remembered or oversized messages nothing is skipped after listing, so the
            // server's list can be cut right away (cut before an oversized one is left out, a poll would list only
            // it when it comes first)
            boolean skips = parts.repository() != null || !unfinished.isEmpty() || !oversized.isEmpty();
            // POP3 ignores onlyUnseen (MailboxSession#list): its unseen mail is what the UIDL store does not know
            List<MessageRef> listed = mailbox.list(filter, config.isUnseen(), config.getSortOrder(),
                    skips ? 0 : max);
            parts.statistics().listed(listed.size());
            if (parts.repository() instanceof SeenUidls seen && mailbox.listedWholeMailbox()) {
                seen.keepOnlyListed(listed);
            }
            List<MessageRef> candidates = selection.select(listed);
            selection.learnKeys(mailbox, candidates);
            int routed = rounds.processInRounds(mailbox,
                    new RoundPlanner(candidates, config.getFetchRoundSize(), max, selection.admission()));
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
                    config.isAutoCreateFolders(), !config.isUnseen());
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
            ConnectionDroppedForSizeException dropped = droppedForSize(e);
            if (dropped == null) {
                throw e;
            }
            // reported once, as an unreadable message (reportDropped): a poll failing with it as well handed the
            // same message to the exception handler twice. The poll fails all the same, with a failure that only
            // names it, so health and backoff see a server that sends such answers. The connection is out of step:
            // dropped, as after a failure
            session.abort();
            reportDropped(mailbox, dropped);
            throw new PollEndedForSizeException(session.settings().describe(), describe(dropped));
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
     * A message whose announced content was too far above maxMessageSize to read past cost the connection
     * ({@link ConnectionDroppedForSizeException}): reported once, like one found too large in a round, and left out of
     * the later polls, which go on with the rest (the next one moves it to moveFailedTo, if set). The poll ends there
     * and fails with {@link PollEndedForSizeException}, which names the message without reporting it again.
     */
    private void reportDropped(MailboxSession mailbox, ConnectionDroppedForSizeException dropped) {
        oversized.rememberDropped(dropped.ref());
        parts.statistics().tooLarge();
        routing.reportUnreadable(mailbox, dropped.ref(), dropped);
    }

    /** The message as the consumer's lines name it (UID or UIDL). */
    private String describe(ConnectionDroppedForSizeException dropped) {
        return (parts.pop3() ? "message UIDL " : "message UID ") + dropped.ref().id();
    }

    /** The {@link ConnectionDroppedForSizeException} in {@code failure}'s causes, null when there is none. */
    private static ConnectionDroppedForSizeException droppedForSize(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectionDroppedForSizeException dropped) {
                return dropped;
            }
        }
        return null;
    }
}
