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
 * its messages out of every listing. Such a command is held apart ({@link #sendLater}): it goes out behind the next
 * FETCH put on the wire, never beside a command whose answer is awaited. Dovecot runs pipelined UID commands side by
 * side and writes each one's tagged answer only once those beside it are done: a flag sent with an expunge was
 * answered only once the files were removed (protocol log of the benchmark at load 10: "UID STORE ... OK Store
 * completed (0.359 + 0.000 + 0.358 secs)", the same moment as the expunge sent behind it), and the route waited that
 * long. Behind a FETCH it runs while the client reads and parses the bodies already written. Its answer is read by
 * the next fetch, or by the next {@link FetchPipeline#settle}, so the fetch that sent it never waits while the server
 * removes the files. Dovecot answers a UID FETCH queued beside a UID EXPUNGE while the expunge runs; its bodies belong
 * to the round they were asked for, whoever reads them.
 * <p>
 * A command whose result depends on an earlier one's ({@link UidEffect}: \Seen before a move, a copy before \Seen
 * or \Deleted) is not pipelined behind it, as §5.5 asks: it stays held until the earlier one is answered, and goes
 * out while the answers are read ({@link #awaitAnswers}); the caller announces its next round only once it is
 * answered ({@link #hasHeld}), so its answer never waits for that round's bodies. After a refusal, what is still held
 * is not sent: a move must not follow a copy or a \Seen that failed, nor \Deleted a copy that failed. Not
 * thread-safe.
 */
final class HeldCommands {

    /** A command to send later, what it does, what its OK confirms (null: nothing to record), who reads its answer. */
    private record Held(ImapCommand command, UidEffect effect, Runnable onOk, boolean answerLater) {
    }

    /** A held command once sent. */
    record Sent(Held held, String tag) {

        /** Whether its answer may be read by a later fetch: nobody waits for it. */
        boolean answerLater() {
            return held.answerLater();
        }
    }

    private final List<Held> held = new ArrayList<>();
    /** Held for the next FETCH on the wire: commands whose answer may be read later. */
    private final List<Held> later = new ArrayList<>();
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
        Held h = new Held(command, effect, onOk, answerLater);
        if (answerLater) {
            later.add(h);
            return;
        }
        // one that depends on a command held for later keeps the order they were issued in: both go with the round
        for (Iterator<Held> it = later.iterator(); it.hasNext(); ) {
            Held earlier = it.next();
            if (effect.dependsOn(earlier.effect())) {
                it.remove();
                held.add(earlier);
            }
        }
        held.add(h);
    }

    /** True when nothing is held and every command sent has been answered. */
    boolean isEmpty() {
        return held.isEmpty() && later.isEmpty() && unanswered.isEmpty();
    }

    /** True while a command is held: not sent yet, or waiting for the answer of an earlier one it depends on. */
    boolean hasHeld() {
        return !held.isEmpty();
    }

    /** Forgets everything (a new or closed connection: no answer will be read on it). */
    void clear() {
        held.clear();
        later.clear();
        unread.clear();
        unanswered.clear();
    }

    /**
     * Sends the held commands, in the order they were held, except those depending on a command sent and not
     * answered yet, or on one still held: those stay held for {@link #awaitAnswers}. Those held for later stay held
     * for {@link #sendLater}.
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

    /**
     * Sends the commands held for later (an expunge), each of whose answers is read by the next
     * {@link #awaitAnswers}; the caller has just put a FETCH on the wire in front of them.
     */
    void sendLater(ImapConnection c) throws IOException {
        for (Iterator<Held> it = later.iterator(); it.hasNext(); ) {
            Held command = it.next();
            if (unread.stream().anyMatch(s -> command.effect().dependsOn(s.held().effect()))) {
                continue; // goes out once that answer is read (with the next round or at settle)
            }
            it.remove();
            Sent s = new Sent(command, c.send(command.command()));
            unread.add(s);
            unanswered.add(s);
        }
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
     * out as soon as the answers it waits for are read, and is awaited here too. Bodies of a round fetched ahead that
     * arrive meanwhile go to {@code delivery}.
     * The first refusal is thrown once all are read; from it on, nothing held is sent.
     */
    void awaitAnswers(ImapConnection c, List<Sent> sent, MessageDelivery delivery, boolean all) throws IOException {
        Deque<Sent> now = new ArrayDeque<>(unanswered);
        unanswered.clear();
        sort(sent, now, all);
        ImapCommandException refusal = null;
        while (true) {
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
