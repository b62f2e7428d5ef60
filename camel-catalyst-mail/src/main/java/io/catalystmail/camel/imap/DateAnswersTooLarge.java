package io.catalystmail.camel.imap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

import io.catalystmail.camel.mailbox.HeaderAnswerTooLargeException;

/**
 * Listed messages whose Date answer cost a connection ({@link HeaderAnswerTooLargeException}): a sender can write
 * megabytes of {@code Date:} lines, and without this every listing by sent date would ask for them again and fail,
 * every poll, routing nothing. Such a message is ordered by its INTERNALDATE from then on (as one whose answer is
 * merely over {@link HeaderFieldAnswers#MAX_OCTETS}), so it costs one failed poll. Kept by the consumer across
 * sessions and reconnects; bounded: the oldest is forgotten first, and a forgotten one costs one more poll. An answer
 * that came before its UID names no message: then no Date is asked for in the next {@link #LISTINGS_WITHOUT_DATES}
 * listings. Used on the consumer's thread only.
 */
public final class DateAnswersTooLarge {

    /** Most messages remembered. */
    static final int MAX_REMEMBERED = 10_000;
    /** Listings ordered by INTERNALDATE alone after an answer that named no message. */
    static final int LISTINGS_WITHOUT_DATES = 10;

    private final Set<String> identities = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    });
    private int listingsWithoutDates;

    /** Remembers the message {@code e} names, or, when it names none, leaves Dates out of the next listings. */
    void remember(HeaderAnswerTooLargeException e) {
        if (e.identity() != null) {
            identities.add(e.identity());
        } else {
            listingsWithoutDates = LISTINGS_WITHOUT_DATES;
        }
    }

    /** Whether the Date answer of the message with this UID ({@code identity} names it) cost a connection before. */
    boolean knows(long uid, LongFunction<String> identity) {
        return !identities.isEmpty() && identities.contains(identity.apply(uid));
    }

    /** Whether this listing may ask for Dates; counts one listing of those without them. */
    boolean datesAskedInThisListing() {
        if (listingsWithoutDates > 0) {
            listingsWithoutDates--;
            return false;
        }
        return true;
    }
}
