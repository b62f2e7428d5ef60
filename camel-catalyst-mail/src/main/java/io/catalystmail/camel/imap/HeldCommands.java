package io.catalystmail.camel.imap;

import java.io.IOException;
import java.util.ArrayList;
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
 * round's fetch, not to the one waiting, and the rounds stay in step with the route. Not thread-safe.
 */
final class HeldCommands {

    /** A command to send later, what its OK confirms (null: nothing to record), and who reads its answer. */
    private record Held(ImapCommand command, Runnable onOk, boolean answerLater) {
    }

    /** A held command once sent. */
    record Sent(Held held, String tag) {
    }

    private final List<Held> held = new ArrayList<>();
    /** Sent with an earlier round, answer not read yet: read by the next {@link #awaitAnswers}. */
    private final List<Sent> unanswered = new ArrayList<>();

    /**
     * Holds a command for the next fetch.
     *
     * @param answerLater its answer may be read by a later fetch than the one that sends it
     */
    void hold(ImapCommand command, Runnable onOk, boolean answerLater) {
        held.add(new Held(command, onOk, answerLater));
    }

    /** True when nothing is held and every command sent has been answered. */
    boolean isEmpty() {
        return held.isEmpty() && unanswered.isEmpty();
    }

    /** Forgets everything (a new or closed connection: no answer will be read on it). */
    void clear() {
        held.clear();
        unanswered.clear();
    }

    /** Sends the held commands, in the order they were held. */
    List<Sent> send(ImapConnection c) throws IOException {
        if (held.isEmpty()) {
            return List.of();
        }
        List<Sent> sent = new ArrayList<>(held.size());
        for (Held command : held) {
            sent.add(new Sent(command, c.send(command.command())));
        }
        held.clear();
        return sent;
    }

    /**
     * Reads the answers of the commands left unanswered by an earlier fetch, then those of {@code sent}, except
     * the ones that may be answered later ({@code all} false): those are read by the next call. Bodies of a round
     * fetched ahead that arrive meanwhile go to {@code delivery}. The first refusal is thrown once all are read.
     */
    void awaitAnswers(ImapConnection c, List<Sent> sent, MessageDelivery delivery, boolean all) throws IOException {
        List<Sent> now = new ArrayList<>(unanswered);
        unanswered.clear();
        for (Sent s : sent) {
            if (s.held().answerLater() && !all) {
                unanswered.add(s);
            } else {
                now.add(s);
            }
        }
        ImapCommandException refusal = null;
        for (Sent s : now) {
            ImapResponse done = c.await(s.tag(), delivery, delivery);
            if (!done.isOk()) {
                refusal = refusal != null ? refusal
                        : ImapCommandException.answered(c, s.held().command().name(), done);
            } else if (s.held().onOk() != null) {
                s.held().onOk().run();
            }
        }
        if (refusal != null) {
            throw refusal;
        }
    }
}
