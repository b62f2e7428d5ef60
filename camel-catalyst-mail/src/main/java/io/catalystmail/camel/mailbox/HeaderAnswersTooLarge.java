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
    private int pollsWithoutHeaders;

    /** Remembers the message {@code e} names, or, when it names none, leaves the next polls' header fetches out. */
    public void remember(HeaderAnswerTooLargeException e) {
        if (e.identity() != null) {
            identities.add(e.identity());
        } else {
            pollsWithoutHeaders = POLLS_WITHOUT_HEADERS;
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

    /** Whether this poll may ask for header answers; counts one of the polls without them. */
    public boolean headersAskedInThisPoll() {
        if (pollsWithoutHeaders > 0) {
            pollsWithoutHeaders--;
            return false;
        }
        return true;
    }
}
