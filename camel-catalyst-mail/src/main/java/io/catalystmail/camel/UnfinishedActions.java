package io.catalystmail.camel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.catalystmail.camel.imap.ImapCommandException;
import io.catalystmail.camel.imap.MissingFolderException;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.ConfirmedSteps;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.pop3.Pop3RefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages this consumer routed successfully whose after-processing (seen, move, copy, delete) the server has not
 * confirmed yet, and those it gave up on. Such a message is never routed again by this consumer, whether or not an
 * idempotent repository is configured, nor by the one the route starts after this one stopped (the endpoint hands
 * this object over; a JVM restart forgets it): only its action is retried, once per poll, each failure logged with its
 * reason, until {@code maxAttempts} attempts failed; then it stays where it is, and one ERROR per poll names the
 * messages given up in it ({@link GivenUpActions}).
 * <p>
 * Actions handed to the server during a poll are "in flight" until the poll ends (POP3: until QUIT is answered, as
 * the server removes nothing before, RFC 1939 §6): a poll that completes confirms them, a poll that fails counts one
 * failed attempt for each (which of a pipelined batch failed is unknown; a retry of one that did succeed finds
 * nothing to do). A step the server confirmed ({@link ConfirmedSteps}) is not retried: a copy answered with OK is
 * not made again when the \Seen or the move after it failed. A copy whose answer never came (the connection lost
 * after the UID COPY went out) is made again: the server may hold it twice then. Both sets are bounded; the
 * oldest entries are forgotten first, and a forgotten message could be routed again after its action failed.
 * Thread-safe: the fetch-ahead thread and the polling thread both report.
 */
final class UnfinishedActions implements ConfirmedSteps {

    private static final Logger LOG = LoggerFactory.getLogger(UnfinishedActions.class);

    /** At most this many messages remembered in each set. */
    static final int CAPACITY = 100_000;

    /** Messages named in the one WARN of a failed poll; the others only in DEBUG lines. */
    static final int NAMED_IN_WARNING = 5;

    /** One routed message and what is still to be done with it. */
    static final class Entry {
        private MessageRef ref;
        /** The action as the route decided it: what the statistics count. */
        private final AfterProcessing action;
        /** What is left of it: the steps the server has not confirmed ({@link ConfirmedSteps}). */
        private AfterProcessing remaining;
        private int failures;
        /** Whether the server ever refused this action (else every failure was a lost connection or a deadline). */
        private boolean refused;
        /**
         * Whether a retry of it together with others lost the connection: then it goes one message at a time, so a
         * batch that is cut every time (a server crashing on one message, a UID MOVE of hundreds longer than
         * readTimeout) does not hold the others back forever, and each lost connection counts against one message.
         */
        private boolean lostTogether;
        private boolean inFlight;
        /** The poll ({@link #pollsEnded}) in which the server refused this action with its batch; -1: none. */
        private long refusedInPoll = -1;

        private Entry(MessageRef ref, AfterProcessing action, boolean inFlight) {
            this.ref = ref;
            this.action = action;
            this.remaining = action;
            this.inFlight = inFlight;
        }

        MessageRef ref() {
            return ref;
        }

        /** What is left to do: retried as one action. */
        AfterProcessing action() {
            return remaining;
        }
    }

    private final int maxAttempts;
    private final Function<MessageRef, String> describe;
    /**
     * Told which actions the server refused, with their batch or on retry, and each retried action it answered (in
     * flight until the poll completes).
     */
    private final MailboxStatistics statistics;
    private final Map<String, Entry> pending = new LinkedHashMap<>();
    private final Set<String> givenUp = new LinkedHashSet<>();
    /** Counts the polls, so a refusal counted with a poll's batch is not counted again by that poll's retry. */
    private long pollsEnded;
    /** The consumer closed this poll's connection itself (a stop or suspend past its grace, PollInProgress). */
    private boolean cutByConsumer;

    /**
     * @param maxAttempts    attempts of an action before giving up, the first included
     * @param describe    names a message in log lines (UID or UIDL and folder; never credentials)
     * @param statistics  the consumer's figures, told the outcome of each retry
     */
    UnfinishedActions(int maxAttempts, Function<MessageRef, String> describe, MailboxStatistics statistics) {
        this.maxAttempts = maxAttempts;
        this.describe = describe;
        this.statistics = statistics;
    }

    /** A message was routed successfully and its action is about to be handed to the server in this poll. */
    synchronized void routed(MessageRef ref, AfterProcessing action) {
        put(ref, new Entry(ref, action, true));
    }

    /** A message found routed before (in the idempotent repository) whose action must be done again. */
    synchronized void owed(MessageRef ref, AfterProcessing action) {
        if (!remembers(ref.identity())) {
            put(ref, new Entry(ref, action, false));
        }
    }

    /**
     * Takes on what {@code other}, a consumer of the same endpoint that stopped too (two routes consuming one
     * identical URI share their endpoint), still owed and gave up: the next consumer to start retries both.
     */
    synchronized void takeOver(UnfinishedActions other) {
        synchronized (other) {
            other.pending.forEach(pending::putIfAbsent);
            trim(pending.keySet());
            other.givenUp.forEach(this::addGivenUp);
        }
    }

    /** The server made their copies: a retry does not copy them again. */
    @Override
    public void copied(List<String> identities) {
        confirmed(identities, AfterProcessing::withCopyMade);
    }

    /** The server made the copies of their moves (without MOVE): a retry only deletes the originals. */
    @Override
    public void movedCopyMade(List<String> identities) {
        confirmed(identities, AfterProcessing::withMoveCopyMade);
    }

    /** What is left of each message's action once the server confirmed a step of it. */
    private synchronized void confirmed(List<String> identities, UnaryOperator<AfterProcessing> left) {
        for (String identity : identities) {
            Entry e = pending.get(identity);
            if (e != null) {
                e.remaining = left.apply(e.remaining);
            }
        }
    }

    /** True when the message was routed by this consumer and must not be routed again. */
    synchronized boolean remembers(String identity) {
        return pending.containsKey(identity) || givenUp.contains(identity);
    }

    synchronized boolean isEmpty() {
        return pending.isEmpty();
    }

    /**
     * True when some action is owed from before this poll ({@link #due}): only then does {@link #retry} look at the
     * listing. Actions handed to the server in this poll are not due; over POP3 they stay in flight until the
     * goodbye, so a poll that owes nothing older does not need its listing by identity.
     */
    synchronized boolean anyDue() {
        return pending.values().stream().anyMatch(UnfinishedActions::due);
    }

    /** Owed from before this poll: not handed to the server in it (those are in flight until the poll ends). */
    private static boolean due(Entry e) {
        return !e.inFlight;
    }

    /**
     * The server answered the actions of the poll's rounds: they are done, unless they become final only at the
     * session's goodbye ({@link MailboxSession#actionsFinalAtGoodbye()}, POP3: RFC 1939 §6); then they stay in flight
     * until {@link #confirmInFlight()} or {@link #failInFlight}.
     */
    void roundsAnswered(MailboxSession mailbox) {
        if (!mailbox.actionsFinalAtGoodbye()) {
            confirmInFlight();
        }
    }

    /** The poll ended well (after the goodbye where actions become final there): the server did every action. */
    synchronized void confirmInFlight() {
        pending.values().removeIf(e -> e.inFlight);
    }

    /**
     * The poll failed: each action handed to the server in it counts one failed attempt, when the failure came from
     * the server (an {@link IOException}). One cause (a QUIT refused after a thousand DELEs, say) makes one WARN
     * naming the first few messages; each one's line is at DEBUG. When
     * the server refused them, the statistics count the poll's actions in flight as refused, told here and nowhere
     * else, so the figures and the retries always agree on what was refused.
     */
    synchronized void failInFlight(Throwable cause) {
        List<String> retried = new ArrayList<>();
        GivenUpActions gaveUp = new GivenUpActions(maxAttempts);
        // a refusal: which of the batch the server refused is unknown, so every action in flight counts as refused,
        // here; each entry remembers this poll, so its retry before the poll ends withdraws that count if the server
        // does it, and does not count a second refusal if it refuses again (retried)
        boolean refused = cause instanceof IOException io && isRefusal(io);
        if (refused) {
            statistics.inFlightActionsRefused();
        }
        // a failure that did not come from the server (the idempotent repository's, after a route succeeded) says
        // nothing of the actions, which may not have been sent: retried, not counted as an attempt, else with
        // afterProcessingAttempts=1 a message was given up, left on the server, with an ERROR blaming its action
        // nor does a connection the consumer closed itself to stop or suspend: with afterProcessingAttempts=1 a
        // suspend gave the poll's messages up
        boolean fromServer = cause instanceof IOException && !cutByConsumer;
        for (Entry e : new ArrayList<>(pending.values())) {
            if (e.inFlight) {
                e.inFlight = false;
                e.refusedInPoll = refused ? pollsEnded : -1;
                e.refused |= refused;
                if (!fromServer) {
                    retried.add(describe.apply(e.ref) + " (" + e.remaining + ", not counted as an attempt)");
                } else if (failed(e, cause, false, gaveUp)) {
                    retried.add(describe.apply(e.ref) + " (" + e.remaining + ", attempt " + e.failures + " of "
                            + maxAttempts + ")");
                }
            }
        }
        if (!retried.isEmpty()) {
            // "not confirmed": the actions may not have been sent at all (a POP3 session cut during a RETR, before the
            // DELEs of the rounds routed went out), or sent and not answered; a failure that was not the server's
            // (the idempotent repository's) blames no server, which may have done some of them (an earlier round's)
            String what = fromServer ? "was not confirmed by the server: " + cause.getMessage()
                    : cutByConsumer ? "is unconfirmed: the consumer closed the poll's connection to stop or suspend ("
                                      + cause.getMessage() + ")"
                    : "is unconfirmed: the poll failed, not at the server, with " + cause;
            LOG.warn("After-processing of {} message(s) routed in this poll {}. They were routed successfully and will"
                     + " not be routed again; the actions are retried next poll. {}", retried.size(), what,
                    retried.size() > NAMED_IN_WARNING
                            ? "The first " + NAMED_IN_WARNING + ": " + String.join(", ",
                                    retried.subList(0, NAMED_IN_WARNING)) + ", ..."
                            : String.join(", ", retried));
        }
        gaveUp.tell();
    }

    /** The poll ended, well or not: a refusal counted in it no longer stands for a retry's. */
    synchronized void pollEnded() {
        pollsEnded++;
        cutByConsumer = false;
    }

    /**
     * The consumer is closing the running poll's connection to stop or suspend: what fails with it is no failed
     * attempt. Said just before the close, so it can come just after a poll that ended on its own; then it stands
     * until the next poll ends, whose lost connection (if any) costs its actions no attempt: one more retry, never
     * one fewer.
     */
    synchronized void connectionCutByConsumer() {
        cutByConsumer = true;
    }

    /** Actions to retry now, the ref brought up to date by {@code current} (null: keep the one remembered). */
    synchronized List<Entry> due(Function<String, MessageRef> current) {
        List<Entry> due = new ArrayList<>();
        for (Entry e : pending.values()) {
            if (due(e)) {
                MessageRef now = current.apply(e.ref.identity());
                if (now != null) {
                    e.ref = now;
                }
                due.add(e);
            }
        }
        return due;
    }

    /**
     * Retries the actions owed for messages routed before. Those the server never refused go together first: after a
     * leader died, a round's worth of its routed messages awaits deletion, one UID STORE and one UID EXPUNGE instead
     * of one pair per message, which the new leader's first routed message waited for; after a connection lost during
     * a poll's UID STORE, that poll's actions likewise (a lost connection says nothing of any one message). Those the
     * server refused before, all of a batch it refuses now, and those whose batch lost the connection on retry (it
     * might be cut every time) go one message at a time, so each failure is told apart. A refusal counts against the
     * message; so does a lost connection or a deadline while it is tried alone, which ends the poll: a message whose
     * action always costs the connection is given up after {@code maxAttempts}, and the others go on.
     *
     * @param listed the messages the poll listed, by identity: their refs are current (POP3 renumbers each session);
     *               a message numbered in an earlier session that is not among them is forgotten only when the listing
     *               was of the whole mailbox ({@link MailboxSession#listedWholeMailbox()})
     * @param seenListed whether the listing may hold \Seen messages ({@code unseen=false}); only then is it worth
     *                   asking which owed ones the server shows \Seen
     */
    void retry(MailboxSession mailbox, Map<String, MessageRef> listed, boolean createFolders, boolean seenListed)
            throws IOException {
        List<Entry> neverRefused = new ArrayList<>();
        List<Entry> oneByOne = new ArrayList<>();
        boolean wholeListing = mailbox.listedWholeMailbox();
        for (Entry owed : due(listed::get)) {
            if (owed.ref().numberedInSession() && !listed.containsKey(owed.ref().identity())) {
                // named by its number in an earlier session (POP3, RFC 1939 §4), which may name another message now:
                // never sent by it. Gone only if a listing of the whole mailbox lacks it; a listing cut short (by
                // maxListedMessages, a filter) proves nothing, so it stays remembered, never routed again, and its
                // action waits for a poll that lists it
                if (wholeListing) {
                    forget(owed);
                } else {
                    LOG.debug("Message {} owes {} but was not in this poll's listing, which was not of the whole"
                              + " mailbox; kept for a later poll", describe.apply(owed.ref()), owed.action());
                }
            } else {
                (owed.refused || owed.lostTogether ? oneByOne : neverRefused).add(owed);
            }
        }
        if (seenListed) {
            dropShownDone(mailbox, neverRefused);
        }
        if (neverRefused.size() < 2 || !retriedTogether(mailbox, neverRefused, createFolders)) {
            oneByOne.addAll(0, neverRefused);
        }
        GivenUpActions gaveUp = new GivenUpActions(maxAttempts);
        try {
            for (Entry owed : oneByOne) {
                try {
                    mailbox.prepareFolders(AfterProcessing.folders(List.of(owed.action())), createFolders);
                    mailbox.apply(Map.of(owed.ref(), owed.action()));
                    mailbox.commit();
                    retried(owed, null, mailbox.actionsFinalAtGoodbye(), gaveUp);
                } catch (IOException e) {
                    if (!isRefusal(e)) {
                        lostAlone(owed, e, gaveUp);
                        throw e;
                    }
                    retried(owed, e, false, gaveUp);
                }
            }
        } finally {
            gaveUp.tell();
        }
    }

    /**
     * Forgets the messages of {@code neverRefused} whose action the server shows done: \Seen where marking them \Seen
     * is all of it ({@link AfterProcessing#leftWhenSeen()}). With {@code unseen=false} every poll lists the messages
     * processed before and the repository names each as owed; without this look (one UID SEARCH), every poll stored
     * \Seen on all of them again and said so. A server that refuses the search only costs the STOREs.
     */
    private void dropShownDone(MailboxSession mailbox, List<Entry> neverRefused) throws IOException {
        List<MessageRef> onlySeen = new ArrayList<>();
        for (Entry e : neverRefused) {
            if (e.action().leftWhenSeen().isNothing()) {
                onlySeen.add(e.ref());
            }
        }
        Set<String> seen;
        try {
            seen = mailbox.seenNow(onlySeen);
        } catch (IOException e) {
            if (!isRefusal(e)) {
                throw e;
            }
            LOG.debug("Could not ask which of {} message(s) routed before are \\Seen ({}); their \\Seen is stored"
                      + " again", onlySeen.size(), e.getMessage());
            return;
        }
        if (seen.isEmpty()) {
            return;
        }
        int owed = neverRefused.size();
        neverRefused.removeIf(e -> {
            if (e.action().leftWhenSeen().isNothing() && seen.contains(e.ref().identity())) {
                forget(e);
                return true;
            }
            return false;
        });
        LOG.debug("{} message(s) routed before are \\Seen at the server already: nothing owed for them",
                owed - neverRefused.size());
    }

    /**
     * The given actions in one batch; false when the server refused it (some of it may be done: setting a flag again
     * changes nothing, a copy the server answered is not made again, {@link ConfirmedSteps}).
     */
    private boolean retriedTogether(MailboxSession mailbox, List<Entry> due, boolean createFolders)
            throws IOException {
        Map<MessageRef, AfterProcessing> actions = new LinkedHashMap<>();
        for (Entry e : due) {
            actions.put(e.ref(), e.action());
        }
        try {
            mailbox.prepareFolders(AfterProcessing.folders(actions.values()), createFolders);
            mailbox.apply(actions);
            mailbox.commit();
        } catch (IOException e) {
            if (!isRefusal(e)) {
                synchronized (this) {
                    due.forEach(lost -> lost.lostTogether = true);
                }
                LOG.warn("After-processing of {} messages routed before, retried together, was not confirmed by the"
                         + " server ({}); the next poll retries them one at a time", due.size(), e.getMessage());
                throw e;
            }
            LOG.debug("After-processing of {} messages routed before refused together ({}); retrying one at a time",
                    due.size(), e.getMessage());
            return false;
        }
        boolean finalAtGoodbye = mailbox.actionsFinalAtGoodbye();
        synchronized (this) {
            due.forEach(finalAtGoodbye ? this::inFlightUntilGoodbye : e -> pending.remove(e.ref.identity()));
        }
        // never refused: no refusal counted to withdraw
        due.forEach(e -> counted(e.action, finalAtGoodbye));
        LOG.info("After-processing of {} messages routed before {} together, from {} to {}", due.size(),
                finalAtGoodbye ? "accepted, final at QUIT," : "done", describe.apply(due.get(0).ref),
                describe.apply(due.get(due.size() - 1).ref));
        return true;
    }

    /** The server said no to a command, and the connection is still in step (unlike a lost connection). */
    static boolean isRefusal(IOException e) {
        return e instanceof MissingFolderException
               || e instanceof ImapCommandException imap && !"BYE".equals(imap.status())
               || e instanceof Pop3RefusedException;
    }

    /**
     * The retry of {@code e} succeeded ({@code failure} null) or failed; {@code finalAtGoodbye}: a success counts
     * only once the session's goodbye went well ({@link MailboxSession#actionsFinalAtGoodbye()}).
     */
    private synchronized void retried(Entry e, Exception failure, boolean finalAtGoodbye, GivenUpActions gaveUp) {
        boolean refusalCounted = e.refusedInPoll == pollsEnded;
        e.refusedInPoll = -1;
        if (failure != null) {
            e.refused = true; // retry() catches only refusals
            if (!refusalCounted) {
                statistics.actionRefused(e.action);
            }
            failed(e, failure, true, gaveUp);
            return;
        }
        if (refusalCounted) {
            statistics.refusalWithdrawn(e.action);
        }
        if (finalAtGoodbye) {
            inFlightUntilGoodbye(e);
        } else {
            pending.remove(e.ref.identity());
        }
        counted(e.action, finalAtGoodbye);
        LOG.info("After-processing of message {} ({}) {} on attempt {}", describe.apply(e.ref), e.remaining,
                finalAtGoodbye ? "accepted, final at QUIT," : "done", e.failures + 1);
    }

    /**
     * The connection was lost (or a deadline passed) while {@code e}'s action was retried alone: one failed attempt of
     * it, as a refusal is, so an action that always costs the connection is given up in the end.
     */
    private synchronized void lostAlone(Entry e, IOException cause, GivenUpActions gaveUp) {
        if (cutByConsumer) {
            LOG.debug("After-processing ({}) of message {} cut by the consumer stopping or suspending: {}; not counted"
                      + " as an attempt, retried next poll", e.remaining, describe.apply(e.ref), cause.getMessage());
            return;
        }
        failed(e, cause, true, gaveUp);
    }

    /** A retried action the server answered: applied now, or in flight until the goodbye confirms it. */
    private void counted(AfterProcessing action, boolean finalAtGoodbye) {
        if (finalAtGoodbye) {
            statistics.action(action);
        } else {
            statistics.actionApplied(action);
        }
    }

    /**
     * An action accepted on retry where actions become final only at the goodbye (a POP3 DELE: done only once QUIT
     * is answered with +OK, RFC 1939 §6): like one of this poll, the message stays remembered, in flight, until the
     * poll confirms or fails it.
     */
    private synchronized void inFlightUntilGoodbye(Entry e) {
        e.inFlight = true;
    }

    /** The message is gone from the server, so nothing is left to do for it. */
    synchronized void forget(Entry e) {
        pending.remove(e.ref.identity());
    }

    /** The action of a routed message cannot be done at all: remember the message, do nothing to it. */
    synchronized void giveUp(MessageRef ref, String reason) {
        pending.remove(ref.identity());
        addGivenUp(ref.identity());
        LOG.error("Message {} was routed successfully, but its after-processing is refused ({}); it stays on the"
                  + " server as it is and this consumer will not route it again", describe.apply(ref), reason);
    }

    /**
     * One more failed attempt of {@code e}: added to {@code gaveUp} when it was the last, else a WARN
     * ({@code warn}) or a DEBUG line.
     *
     * @return whether the action is retried next poll
     */
    private boolean failed(Entry e, Throwable cause, boolean warn, GivenUpActions gaveUp) {
        e.failures++;
        if (e.failures >= maxAttempts) {
            pending.remove(e.ref.identity());
            addGivenUp(e.ref.identity());
            gaveUp.add(describe.apply(e.ref) + " (" + e.remaining + ")", cause.getMessage());
            return false;
        }
        if (warn || LOG.isDebugEnabled()) {
            String text = "After-processing ({}) of message {} failed (attempt {} of {}): {}. It was routed"
                          + " successfully and will not be routed again; the action is retried next poll";
            Object[] args = { e.remaining, describe.apply(e.ref), e.failures, maxAttempts, cause.getMessage() };
            if (warn) {
                LOG.warn(text, args);
            } else {
                LOG.debug(text, args);
            }
        }
        return true;
    }

    private void put(MessageRef ref, Entry entry) {
        pending.put(ref.identity(), entry);
        trim(pending.keySet());
    }

    private void addGivenUp(String identity) {
        givenUp.add(identity);
        trim(givenUp);
    }

    private static void trim(Set<String> keys) {
        Iterator<String> oldest = keys.iterator();
        while (keys.size() > CAPACITY && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }
}
