package io.catalystmail.camel.mailbox;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * The parsed form of a search filter, a subset of the IMAP SEARCH language (RFC 3501 §6.4.4). IMAP renders
 * it back to SEARCH criteria; POP3 evaluates it on the client.
 */
public sealed interface SearchKey {

    /** Every message. */
    record All() implements SearchKey {
    }

    /** All of the keys (IMAP's implicit AND of a key list). */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }

    /** OR key1 key2. */
    record Or(SearchKey left, SearchKey right) implements SearchKey {
    }

    /** NOT key. */
    record Not(SearchKey key) implements SearchKey {
    }

    /**
     * A header field contains a substring, case-insensitively. FROM, TO, CC, BCC and SUBJECT are this with
     * the field name fixed; HEADER names the field itself. An empty value matches any message having the field.
     */
    record HeaderContains(String field, String value) implements SearchKey {
        public HeaderContains {
            Objects.requireNonNull(field);
            Objects.requireNonNull(value);
        }
    }

    /** BODY (the body only) or TEXT (headers and body) contains a substring. Needs the message body. */
    record TextContains(boolean includeHeaders, String value) implements SearchKey {
    }

    /** Which date a {@link DateKey} compares and how. */
    enum DateField { INTERNAL, SENT }

    enum DateComparison { BEFORE, ON, SINCE }

    /** BEFORE/ON/SINCE (arrival date) and SENTBEFORE/SENTON/SENTSINCE (Date header). */
    record DateKey(DateField field, DateComparison comparison, DateValue value) implements SearchKey {
    }

    /** LARGER n / SMALLER n (RFC 822 size in octets). */
    record SizeKey(boolean larger, long octets) implements SearchKey {
    }

    /**
     * A flag is set ({@code set}) or not: SEEN/UNSEEN, ANSWERED/UNANSWERED, FLAGGED/UNFLAGGED,
     * DELETED/UNDELETED, DRAFT/UNDRAFT (flag with its backslash, e.g. {@code \Seen}), KEYWORD/UNKEYWORD (the
     * keyword as is). POP3 has no flags: a filter with these keys is rejected for POP3.
     */
    record FlagKey(String flag, boolean set) implements SearchKey {
    }

    /**
     * A date in a filter: a calendar day, or a moment relative to the time of each poll such as
     * {@code now-24h}. IMAP compares days only, so a relative moment is sent as the day it falls on (UTC).
     */
    sealed interface DateValue {
        LocalDate day(Instant now);
    }

    record AbsoluteDay(LocalDate date) implements DateValue {
        @Override
        public LocalDate day(Instant now) {
            return date;
        }
    }

    record RelativeToNow(Duration offset) implements DateValue {
        @Override
        public LocalDate day(Instant now) {
            return LocalDate.ofInstant(now.plus(offset), ZoneOffset.UTC);
        }

        public Instant moment(Instant now) {
            return now.plus(offset);
        }
    }
}
