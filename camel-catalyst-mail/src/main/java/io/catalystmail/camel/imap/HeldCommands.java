package io.catalystmail.camel.imap;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The commands a {@link FetchPipeline} sends with its rounds instead of at once: held while a round is on the wire
 * (after-processing UID STORE, COPY, MOVE, and the expunge of what was flagged), sent behind a round's FETCH
 * commands, their answers read after the round's (RFC 3501 §5.5).
 * <p>
 * Most answers are awaited by the fetch that sent the command: the round's after-processing must be confirmed before
 * the next round is routed. An expunge's answer is nobody's wait: the \Deleted flag, answered first, already keeps
 * its messages out of every listing. Its answer is read by the next fetch, or by the next {@link FetchPipeline#settle}.
 * So the fetch that sent it returns once the flag is answered. It does not wait while the server removes the files.
 * Dovecot answers a UID FETCH queued behind a UID EXPUNGE while the expunge runs. Its bodies then belong to the next
 * round's fetch, not to the one waiting, and the rounds stay in step with the route.
 * <p>
 * A command whose result depends on an earlier one's ({@link UidEffect}: \Seen before a move, a copy before \Seen
 * or \Deleted) is not pipelined behind it, as §5.5 asks: it stays held until the earlier one is answered, and goes
 * out while the answers are read ({@link #awaitAnswers}); the caller announces its next round only behind it
 * ({@link #hasHeld}), so its answer never waits for that round's bodies. After a refusal, what is still held is not
 * sent: a move must not follow a copy or a \Seen that failed, nor \Deleted a copy that failed. Not thread-safe.
 */
final class HeldCommands {

    /** A command to send later, what it does, what its OK confirms (null: nothing to record), who reads its answer. */
    private record Held(ImapCommand command, UidEffect effect, Runnable onOk, boolean answerLater) {
    }

    /** A held command once sent. */
    record Sent(Held held, String tag) {
    }

    /** What runs once nothing is held any more: the caller's next round goes on the wire behind the last command. */
    @FunctionalInterface
    interface AllSent {
        void run() throws IOException;
    }

    private final List<Held> held = new ArrayList<>();
    /** Sent, answer not read yet: a held command depending on one of these waits. */
    private final List<Sent> unread = new ArrayList<>();
    /** Sent with an earlier round, answer not read yet: read by the next {@link #awaitAnswers}. */
    private final List<Sent> unanswered = new ArrayList<>();

    /**
     * Holds a command for the next fetch.
     *
     * @param effect      what it does to which messages: it waits for the answers of the earlier ones it depends on
     * @param answerLater its answer may be read by a later fetch than the one that sends it
     */
    void hold(ImapCommand command, UidEffect effect, Runnable onOk, boolean answerLater) {
        held.add(new Held(command, effect, onOk, answerLater));
    }

    /** True when nothing is held and every command sent has been answered. */
    boolean isEmpty() {
        return held.isEmpty() && unanswered.isEmpty();
    }

    /** True while a command is held: not sent yet, or waiting for the answer of an earlier one it depends on. */
    boolean hasHeld() {
        return !held.isEmpty();
    }

    /** Forgets everything (a new or closed connection: no answer will be read on it). */
    void clear() {
        held.clear();
        unread.clear();
        unanswered.clear();
    }

    /**
     * Sends the held commands, in the order they were held, except those depending on a command sent and not
     * answered yet, or on one still held: those stay held for {@link #awaitAnswers}.
     */
    List<Sent> send(ImapConnection c) throws IOException {
        if (held.isEmpty()) {
            return List.of();
        }
        List<Sent> sent = new ArrayList<>(held.size());
        List<Held> waiting = new ArrayList<>();
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held command = it.next();
            if (dependsOnAny(command, waiting) || unread.stream().anyMatch(s -> command.effect().dependsOn(
                    s.held().effect()))) {
                waiting.add(command);
                continue;
            }
            it.remove();
            Sent s = new Sent(command, c.send(command.command()));
            unread.add(s);
            sent.add(s);
        }
        return sent;
    }

    private static boolean dependsOnAny(Held command, List<Held> earlier) {
        for (Held e : earlier) {
            if (command.effect().dependsOn(e.effect())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the answers of the commands left unanswered by an earlier fetch, then those of {@code sent}, except
     * the ones that may be answered later ({@code all} false): those are read by the next call. A held command goes
     * out as soon as the answers it waits for are read, and is awaited here too; once nothing is held, {@code
     * allSent} runs (null: nothing). Bodies of a round fetched ahead that arrive meanwhile go to {@code delivery}.
     * The first refusal is thrown once all are read; from it on, nothing held is sent.
     */
    void awaitAnswers(ImapConnection c, List<Sent> sent, MessageDelivery delivery, boolean all, AllSent allSent)
            throws IOException {
        Deque<Sent> now = new ArrayDeque<>(unanswered);
        unanswered.clear();
        sort(sent, now, all);
        ImapCommandException refusal = null;
        AllSent pending = allSent;
        while (true) {
            if (pending != null && held.isEmpty()) {
                pending.run();
                pending = null;
            }
            if (now.isEmpty() && !held.isEmpty()) {
                // held behind a command whose answer was left for later: that answer is needed now
                now.addAll(unanswered);
                unanswered.clear();
            }
            Sent s = now.poll();
            if (s == null) {
                break;
            }
            ImapResponse done = c.await(s.tag(), delivery, delivery);
            unread.remove(s);
            if (!done.isOk()) {
                refusal = refusal != null ? refusal
                        : ImapCommandException.answered(c, s.held().command().name(), done);
                held.clear();
            } else if (s.held().onOk() != null) {
                s.held().onOk().run();
            }
            if (!held.isEmpty()) {
                sort(send(c), now, all);
            }
        }
        if (refusal != null) {
            throw refusal;
        }
    }

    /** Puts each of {@code sent} into {@code now}, or into the unanswered ones when its answer may come later. */
    private void sort(List<Sent> sent, Deque<Sent> now, boolean all) {
        for (Sent s : sent) {
            if (s.held().answerLater() && !all) {
                unanswered.add(s);
            } else {
                now.add(s);
            }
        }
    }
}
