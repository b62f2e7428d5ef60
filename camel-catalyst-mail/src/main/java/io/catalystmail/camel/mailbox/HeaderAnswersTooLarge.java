package io.catalystmail.camel.mailbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Listed messages whose header-field answer (a Message-ID or Date, asked for before any body) cost a connection
 * ({@link HeaderAnswerTooLargeException}): a sender can write megabytes of such lines, and a poll that asked for the
 * answer again would fail again, every poll. The caller leaves such a message out of its later header fetches and does
 * without the answer (the Message-ID read after the full fetch, the INTERNALDATE for the Date), so it costs one failed
 * poll. Kept by the consumer across sessions and reconnects; bounded: the oldest is forgotten first, and a forgotten
 * one costs one more poll. An answer that came before its UID names no message: then the next
 * {@link #POLLS_WITHOUT_HEADERS} polls ask for no such answer, and the one after tries again. Used on the consumer's
 * thread only.
 */
public final class HeaderAnswersTooLarge {

    /** Most messages remembered. */
    static final int MAX_REMEMBERED = 10_000;
    /** Polls without the header fetch after an answer that named no message. */
    public static final int POLLS_WITHOUT_HEADERS = 10;

    private final Set<String> identities = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    });
    /** Polls still to go without header answers, this one not included once it has begun. */
    private int pollsWithoutHeaders;
    /** Whether the poll under way asks for header answers ({@link #pollBegins}). */
    private boolean headersAsked = true;

    /** Remembers the message {@code e} names, or, when it names none, leaves the next polls' header fetches out. */
    public void remember(HeaderAnswerTooLargeException e) {
        if (e.identity() != null) {
            identities.add(e.identity());
        } else {
            pollsWithoutHeaders = POLLS_WITHOUT_HEADERS;
            headersAsked = false;
        }
    }

    /** Whether no message is remembered (then {@link #knows} is false for all, without building identities). */
    public boolean isEmpty() {
        return identities.isEmpty();
    }

    /** Whether the message's header answer cost a connection before. */
    public boolean knows(String identity) {
        return identities.contains(identity);
    }

    /**
     * A poll begins: it asks for header answers unless it is one of the polls without them, which this counts. Call
     * once per poll, before {@link #headersAsked}; the count is kept apart from the question, so asking it again
     * (another listing step, a retry within the poll) never uses up one of those polls.
     */
    public void pollBegins() {
        headersAsked = pollsWithoutHeaders == 0;
        if (!headersAsked) {
            pollsWithoutHeaders--;
        }
    }

    /** Whether the poll under way may ask for header answers; changes nothing. */
    public boolean headersAsked() {
        return headersAsked;
    }
}
