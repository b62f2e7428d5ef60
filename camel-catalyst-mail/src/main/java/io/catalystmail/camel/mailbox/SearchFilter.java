package io.catalystmail.camel.mailbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which messages a poll takes: a validated {@link SearchKey} tree, parsed from a subset of the IMAP SEARCH
 * language (RFC 3501 §6.4.4). IMAP sends it to the server; POP3 evaluates it on the client with
 * {@link #matches(MessageFacts, Instant)}.
 */
public final class SearchFilter {

    public static final SearchFilter ALL = new SearchFilter(new SearchKey.All());

    private final SearchKey key;

    public SearchFilter(SearchKey key) {
        this.key = Objects.requireNonNull(key);
    }

    /**
     * Parses a filter. Keys are case-insensitive and ANDed when written side by side; parentheses group:
     * <ul>
     * <li>ALL; OR key1 key2; NOT key; ( key ... )</li>
     * <li>FROM/TO/CC/BCC/SUBJECT string; HEADER field-name string; BODY string; TEXT string</li>
     * <li>BEFORE/ON/SINCE date (arrival), SENTBEFORE/SENTON/SENTSINCE date (Date header), where a date is
     * {@code d-MMM-yyyy} such as {@code 1-Nov-2026}, or relative to each poll: {@code now}, {@code now-30m},
     * {@code now-24h}, {@code now-7d}, {@code now-2w}</li>
     * <li>LARGER n; SMALLER n (octets)</li>
     * <li>SEEN, UNSEEN, ANSWERED, UNANSWERED, FLAGGED, UNFLAGGED, DELETED, UNDELETED, DRAFT, UNDRAFT, RECENT,
     * OLD (not RECENT), NEW (RECENT UNSEEN); KEYWORD atom; UNKEYWORD atom</li>
     * </ul>
     * Strings are atoms or quoted with {@code \"} and {@code \\} escapes; CR, LF and NUL are refused anywhere.
     * Null or blank text is ALL.
     *
     * @throws SearchSyntaxException naming the position and what was expected there
     */
    public static SearchFilter parse(String text) {
        return text == null ? ALL : new SearchFilter(SearchParser.parseFilter("search", text));
    }

    /**
     * The filter from the consumer's options: {@code search} (parsed) ANDed with each of the other options that
     * is set: From, To, Subject and body contain the given text; arrival on or after {@code since}, before
     * {@code before} (both in the date syntax of {@link #parse}). Null or blank options are left out.
     */
    public static SearchFilter fromOptions(String search, String from, String to, String subject, String body,
            String since, String before) {
        List<SearchKey> keys = new ArrayList<>();
        keys.add(parse(search).key);
        addContains(keys, "searchFrom", "From", from);
        addContains(keys, "searchTo", "To", to);
        addContains(keys, "searchSubject", "Subject", subject);
        if (present(body)) {
            keys.add(new SearchKey.TextContains(false, SearchParser.plainValue("searchBody", body)));
        }
        if (present(since)) {
            keys.add(new SearchKey.DateKey(SearchKey.DateField.INTERNAL, SearchKey.DateComparison.SINCE,
                    SearchParser.parseDate("since", since.trim())));
        }
        if (present(before)) {
            keys.add(new SearchKey.DateKey(SearchKey.DateField.INTERNAL, SearchKey.DateComparison.BEFORE,
                    SearchParser.parseDate("before", before.trim())));
        }
        SearchFilter result = ALL;
        for (SearchKey k : keys) {
            result = result.and(new SearchFilter(k));
        }
        return result;
    }

    private static void addContains(List<SearchKey> keys, String option, String field, String value) {
        if (present(value)) {
            keys.add(new SearchKey.HeaderContains(field, SearchParser.plainValue(option, value)));
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    public SearchKey key() {
        return key;
    }

    public boolean isAll() {
        return key instanceof SearchKey.All;
    }

    /** This filter and {@code other} both match. */
    public SearchFilter and(SearchFilter other) {
        if (key instanceof SearchKey.All) {
            return other;
        }
        if (other.key instanceof SearchKey.All) {
            return this;
        }
        List<SearchKey> keys = new ArrayList<>();
        for (SearchKey k : List.of(key, other.key)) {
            if (k instanceof SearchKey.And and) {
                keys.addAll(and.keys());
            } else {
                keys.add(k);
            }
        }
        return new SearchFilter(new SearchKey.And(keys));
    }

    /**
     * Evaluates the filter on the client. Relative dates are taken from {@code now}; see {@link ClientSideSearch}
     * for how dates compare, and that BEFORE/ON/SINCE fall back to the Date header when {@code facts} has no
     * arrival date (POP3).
     *
     * @throws IllegalStateException when the filter {@link #needsBody() needs the body} and facts have none
     */
    public boolean matches(MessageFacts facts, Instant now) {
        return new ClientSideSearch(facts, now).matches(key);
    }

    /** True when BODY or TEXT occurs: evaluating needs the message body. */
    public boolean needsBody() {
        return occurs(key, SearchKey.TextContains.class);
    }

    /** True when a flag key (SEEN, KEYWORD, RECENT, ...) occurs: evaluating needs server-side flags. */
    public boolean usesFlags() {
        return occurs(key, SearchKey.FlagKey.class);
    }

    private static boolean occurs(SearchKey k, Class<? extends SearchKey> type) {
        if (type.isInstance(k)) {
            return true;
        }
        if (k instanceof SearchKey.And and) {
            return and.keys().stream().anyMatch(x -> occurs(x, type));
        }
        if (k instanceof SearchKey.Or or) {
            return occurs(or.left(), type) || occurs(or.right(), type);
        }
        return k instanceof SearchKey.Not not && occurs(not.key(), type);
    }

    /** The filter in the filter language, e.g. {@code FROM "boss" NOT SUBJECT "[spam]"}; parses back to it. */
    public String describe() {
        return SearchText.of(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchFilter f && f.key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
