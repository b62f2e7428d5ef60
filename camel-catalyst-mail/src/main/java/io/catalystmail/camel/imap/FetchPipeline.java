package io.catalystmail.camel.imap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.mailbox.MailboxSession.MessageHandler;
import io.catalystmail.camel.mailbox.MessageRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's fetch rounds on one connection, pipelined (RFC 3501 §5.5): a round's UID FETCH commands go out as
 * runs of ascending UIDs in sets of bounded length, at most {@value #MAX_PIPELINED} in flight; commands issued
 * meanwhile (after-processing STORE, COPY, MOVE) are held and sent behind them, one whose result depends on an
 * earlier one's only once that is answered; the round announced as upcoming is requested once they are all
 * answered, and an expunge goes behind it ({@link HeldCommands}, {@link RoundRead}). {@link #settle} brings the
 * connection back in step before any command that must be answered at once. Not thread-safe.
 */
final class FetchPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(FetchPipeline.class);

    /** Commands in flight at once while fetching runs: small enough never to fill the socket buffers. */
    static final int MAX_PIPELINED = 16;

    /** FETCH commands sent for the round a caller announced as upcoming, their answers not read yet. */
    private FetchAhead ahead;
    /**
     * Commands held back for the next fetch: while {@link #ahead} is on the wire, or asked for by
     * {@link #behindNextFetch}. The next {@link #fetch} sends them behind its round, any other command first.
     */
    private final HeldCommands held = new HeldCommands();
    /** True during {@link #fetch}: commands issued meanwhile are held, to go out with the upcoming round. */
    private boolean fetching;
    /** True while answers of the round are still to be read: no command needing a continuation may go out. */
    private boolean answersUnread;

    /** @param delivery hands the round's messages to the handler current when they arrive (they may come early) */
    private record FetchAhead(List<MessageRef> refs, List<String> tags, MessageDelivery delivery) {
    }

    /** Forgets the round sent ahead and the held commands (a new or closed connection: nothing of them was read). */
    void reset() {
        ahead = null;
        held.clear();
    }

    /** True when a round was sent ahead and not read yet, or commands wait for the next fetch or for their answer. */
    boolean hasPending() {
        return ahead != null || !held.isEmpty();
    }

    /**
     * Commands that become ready while a round is read: the after-processing of the round in the route, which must
     * be answered before the next round is routed and must not wait behind the bodies of the round after it.
     */
    interface LateCommands {

        /**
         * Queues the commands through {@link #run} and {@link #behindNextFetch} (both hold them while a round is
         * read) if they are ready; once they are, the fetch sends them and announces its upcoming round behind them.
         *
         * @param inStep false between two responses of the round: only commands that need neither a folder lookup
         *               nor a continuation may be queued then; true for the last call, once everything sent with the
         *               round is answered
         * @return true once the commands were queued (an empty set counts)
         */
        boolean queue(boolean inStep) throws IOException;
    }

    /**
     * Fetches {@code refs} (all within the size limit), pipelined, and puts {@code upcoming} on the wire behind
     * them; returns the messages whose handling failed.
     *
     * @param server names the server in errors, e.g. "IMAP server host:993"
     */
    Map<MessageRef, Exception> fetch(ImapConnection c, List<MessageRef> refs, List<MessageRef> upcoming,
            MessageHandler handler, long maxMessageSize, String server) throws IOException {
        return fetch(c, refs, upcoming, handler, maxMessageSize, server, null);
    }

    /**
     * Fetches {@code refs} as {@link #fetch(ImapConnection, List, List, MessageHandler, long, String)} does, except
     * that with {@code late} the upcoming round waits for those commands: they go out as soon as they are queued,
     * between two responses of this round, with {@code upcoming} behind them, and are answered before this returns.
     * When they were never queued, nothing is announced.
     */
    Map<MessageRef, Exception> fetch(ImapConnection c, List<MessageRef> refs, List<MessageRef> upcoming,
            MessageHandler handler, long maxMessageSize, String server, LateCommands late) throws IOException {
        fetching = true;
        answersUnread = true;
        try {
            return fetchNow(c, refs, upcoming, handler, maxMessageSize, server, late);
        } finally {
            fetching = false;
            answersUnread = false;
        }
    }

    private Map<MessageRef, Exception> fetchNow(ImapConnection c, List<MessageRef> refs, List<MessageRef> upcoming,
            MessageHandler handler, long maxMessageSize, String server, LateCommands late) throws IOException {
        MessageDelivery delivery;
        Deque<String> inFlight = new ArrayDeque<>();
        List<String> sets;
        if (ahead != null && ahead.refs().equals(refs)) {
            delivery = ahead.delivery();
            delivery.handTo(handler);
            inFlight.addAll(ahead.tags());
            sets = List.of();
            ahead = null;
        } else {
            // held commands stay held: they go behind this round, as they would have behind the one discarded
            discardAhead(c);
            delivery = new MessageDelivery(refs, handler, maxMessageSize, server);
            sets = UidSet.setsInOrder(refs.stream().map(MessageRef::uid).distinct().toList());
        }
        int next = 0;
        while (next < sets.size() && inFlight.size() < MAX_PIPELINED) {
            inFlight.add(sendFetch(c, sets.get(next++)));
        }
        RoundRead read = new RoundRead(c, upcoming, delivery, late);
        if (next == sets.size()) {
            read.roundSent();
        }
        ImapResponse refused = null;
        try {
            while (next < sets.size() || !inFlight.isEmpty()) {
                while (next < sets.size() && inFlight.size() < MAX_PIPELINED) {
                    inFlight.add(sendFetch(c, sets.get(next++)));
                }
                if (next == sets.size()) {
                    read.roundSent();
                }
                ImapResponse done = read.await(inFlight.poll());
                // NO: some servers refuse a FETCH of messages expunged meanwhile; those are skipped like vanished ones
                if (done.type().equals("BAD") && refused == null) {
                    refused = done;
                }
            }
            read.finish();
        } finally {
            delivery.finish();
        }
        if (refused != null) {
            throw ImapCommandException.answered(c, "UID FETCH", refused);
        }
        List<MessageRef> missing = refs.stream().filter(delivery::stillWanted).toList();
        if (!missing.isEmpty()) {
            // expunged by another client meanwhile, or a server that drops what it was asked for: either way the
            // message stays where it is and is listed again by the next poll if it still exists
            LOG.warn("{} answered UID FETCH without the content of {} message(s) asked for (UIDs {}{});"
                    + " skipped", server, missing.size(),
                    missing.stream().limit(10).map(MessageRef::id).toList(), missing.size() > 10 ? " ..." : "");
            missing.forEach(delivery::forget);
        }
        return delivery.failures();
    }

    /**
     * The reading of one round once its FETCH commands are out: the held commands go behind them, then (at once,
     * or once the late commands are queued) the upcoming round; their answers are read after the round's.
     * <p>
     * The upcoming round goes on the wire only once every command sent with this round that someone waits for is
     * answered, never right behind such a command. Dovecot runs pipelined UID commands side by side and answers a
     * UID STORE only once the commands running beside it are done (it syncs the mailbox before the tagged answer):
     * a UID FETCH sent behind the routed round's flag held that flag's answer back until all of its bodies were out,
     * so the fetch thread read the round after next before it could return, while the route waited (protocol log of
     * the benchmark: "UID STORE ... OK Store completed (0.283 + 0.000 + 0.282 secs)", the answer sent with the
     * FETCH behind it). An expunge's answer is nobody's wait ({@link HeldCommands}): the round may go behind it.
     */
    private final class RoundRead {

        private final ImapConnection c;
        private final List<MessageRef> upcoming;
        private final MessageDelivery delivery;
        private final LateCommands late;
        private final List<HeldCommands.Sent> sent = new ArrayList<>();
        private boolean roundSent;
        private boolean lateQueued;
        /** The upcoming round goes on the wire once the commands sent with this round are answered. */
        private boolean announceWhenAnswered;

        RoundRead(ImapConnection c, List<MessageRef> upcoming, MessageDelivery delivery, LateCommands late) {
            this.c = c;
            this.upcoming = upcoming;
            this.delivery = delivery;
            this.late = late;
        }

        /** The round's FETCH commands are all out: what apply held back goes behind them, then the next round. */
        void roundSent() throws IOException {
            if (roundSent) {
                return;
            }
            roundSent = true;
            sent.addAll(held.send(c));
            held.sendLater(c);
            if (late == null) {
                announceOnceAnswered();
            }
        }

        /**
         * Announces the upcoming round now when nothing sent with this round awaits its answer and nothing is held for
         * the answer of one it depends on; otherwise once they are answered ({@link #finish}).
         */
        private void announceOnceAnswered() throws IOException {
            if (held.hasHeld() || sent.stream().anyMatch(s -> !s.answerLater())) {
                announceWhenAnswered = true;
            } else {
                announce(c, upcoming, delivery);
            }
        }

        ImapResponse await(String tag) throws IOException {
            if (late == null || lateQueued) {
                return c.await(tag, delivery, delivery);
            }
            try {
                return c.await(tag, response -> {
                    delivery.accept(response);
                    try {
                        sendLate(false);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, delivery);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        /** Between two responses, or once in step: the late commands and the upcoming round, if they are ready. */
        private void sendLate(boolean inStep) throws IOException {
            if (!lateQueued && roundSent && late.queue(inStep)) {
                lateQueued = true;
                sent.addAll(held.send(c));
                announceOnceAnswered();
            }
        }

        /**
         * Reads the answers of what was sent behind the round (an expunge's is left to the next fetch,
         * {@link HeldCommands}); gives the late commands their last chance first. Then the upcoming round goes out,
         * if it waited for those answers.
         */
        void finish() throws IOException {
            held.awaitAnswers(c, sent, delivery, false);
            if (late != null && !lateQueued) {
                // in step now: what the commands need (a folder created, a continuation) can be awaited at once
                answersUnread = false;
                sent.clear();
                sendLate(true);
                held.awaitAnswers(c, sent, delivery, false);
            }
            if (announceWhenAnswered) {
                announceWhenAnswered = false;
                announce(c, upcoming, delivery);
            }
        }
    }

    /**
     * Puts the FETCH commands of {@code upcoming} on the wire, its bodies to go to {@code delivery} when early, and
     * the commands held for later (an expunge) behind them. Called only once nothing sent is awaited, so with no
     * round to announce (the poll's last) those go out anyway: the server expunges while the client routes that
     * round, instead of on the poll's critical path at its end ({@link BatchedExpunge}). A round that needs more
     * than {@value #MAX_PIPELINED} commands (descending runs, or over about 11,000 scattered UIDs in sets of
     * {@link UidSet#MAX_SET_OCTETS}) is not announced: it is requested when its turn comes.
     */
    private void announce(ImapConnection c, List<MessageRef> upcoming, MessageDelivery delivery) throws IOException {
        List<String> upcomingSets = UidSet.setsInOrder(upcoming.stream().map(MessageRef::uid).toList());
        if (!upcoming.isEmpty() && upcomingSets.size() <= MAX_PIPELINED) {
            delivery.want(upcoming);
            List<String> tags = new ArrayList<>();
            for (String set : upcomingSets) {
                tags.add(sendFetch(c, set));
            }
            ahead = new FetchAhead(List.copyOf(upcoming), tags, delivery);
        }
        held.sendLater(c);
    }

    /** True while a round is read or sent ahead: a command run now is held for the next fetch. */
    boolean roundOnTheWire() {
        return ahead != null || fetching;
    }

    private static String sendFetch(ImapConnection c, String set) throws IOException {
        return c.send(new ImapCommand("UID FETCH").raw(set)
                .raw("(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])"));
    }

    /**
     * Brings the connection back in step before any command that must be answered at once: reads the round
     * sent ahead to its end (the caller did not ask for it after all; what had not arrived yet is discarded and
     * stays untouched on the server for a later poll), then sends the held commands and awaits every answer.
     */
    void settle(ImapConnection c) throws IOException {
        if (ahead == null && held.isEmpty()) {
            return;
        }
        MessageDelivery discard = ahead != null ? ahead.delivery()
                : new MessageDelivery(List.of(), message -> { }, Long.MAX_VALUE, "");
        try {
            discardAhead(c);
            List<HeldCommands.Sent> sent = held.send(c);
            held.sendLater(c);
            held.awaitAnswers(c, sent, discard, true);
            // one held for later behind an answer read just now (HeldCommands#sendLater)
            held.sendLater(c);
            held.awaitAnswers(c, List.of(), discard, true);
        } finally {
            discard.finish();
        }
    }

    /** Reads the round sent ahead to its end, if any, discarding what had not arrived yet (see {@link #settle}). */
    private void discardAhead(ImapConnection c) throws IOException {
        if (ahead == null) {
            return;
        }
        MessageDelivery discard = ahead.delivery();
        discard.handTo(message -> { });
        List<String> tags = ahead.tags();
        ahead = null;
        try {
            for (String tag : tags) {
                c.await(tag, discard, discard);
            }
        } finally {
            discard.finish();
        }
    }

    /**
     * Runs a command now, or holds it for the next {@link #fetch} when a round is on the wire ahead of it.
     * A synchronizing literal (a folder name without LITERAL+) needs the server's continuation, which cannot be
     * told apart from answers still streaming: such a command waits until the connection is in step.
     *
     * @param effect what it does to which messages: held, it goes out only once the earlier held commands it depends
     *               on are answered ({@link HeldCommands}, RFC 3501 §5.5)
     */
    void run(ImapConnection c, ImapCommand command, UidEffect effect, Runnable onOk) throws IOException {
        boolean continuation = command.needsContinuation(c.capabilities());
        if (continuation && answersUnread) {
            // LateCommands.queue(false) must not issue such a command: the continuation would be read as a FETCH
            throw new IllegalStateException(command.name() + " needs the server's continuation while a round is read");
        }
        if ((ahead != null || fetching) && !continuation) {
            held.hold(command, effect, onOk, false);
            return;
        }
        settle(c);
        c.execute(command, null, null);
        if (onOk != null) {
            onOk.run();
        }
    }

    /**
     * Holds a command for the next {@link #fetch}, which sends it behind its round's FETCH commands, so the server
     * works on it while the client reads and parses that round; any other command sends it first. For work whose
     * answer nobody waits for (an expunge of messages already flagged \Deleted): the fetch after that one reads
     * it ({@link HeldCommands}). A command that needs the server's continuation runs now, as in {@link #run}.
     */
    void behindNextFetch(ImapConnection c, ImapCommand command, UidEffect effect, Runnable onOk)
            throws IOException {
        if (command.needsContinuation(c.capabilities())) {
            run(c, command, effect, onOk);
        } else {
            held.hold(command, effect, onOk, true);
        }
    }
}
