package io.catalystmail.camel.imap;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import io.catalystmail.camel.mailbox.SearchKey;

/** Renders a {@link SearchKey} tree as IMAP SEARCH criteria (RFC 3501 §6.4.4), strings as quoted or literal. */
final class SearchCriteria {

    /** RFC 3501 date: day-month-year with English month abbreviations. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd-MMM-yyyy", Locale.ENGLISH);

    private static final Map<String, String> HEADER_KEYS = Map.of("FROM", "FROM", "TO", "TO", "CC", "CC", "BCC", "BCC",
            "SUBJECT", "SUBJECT");

    /** System flags and their set/unset search keys; other flags are keywords. */
    private static final Map<String, String[]> FLAG_KEYS = Map.of(
            "\\SEEN", new String[] {"SEEN", "UNSEEN"},
            "\\ANSWERED", new String[] {"ANSWERED", "UNANSWERED"},
            "\\FLAGGED", new String[] {"FLAGGED", "UNFLAGGED"},
            "\\DELETED", new String[] {"DELETED", "UNDELETED"},
            "\\DRAFT", new String[] {"DRAFT", "UNDRAFT"},
            "\\RECENT", new String[] {"RECENT", "OLD"});

    private SearchCriteria() {
    }

    /** True when a string in the tree is not ASCII, so the search must name CHARSET UTF-8. */
    static boolean needsUtf8(SearchKey key) {
        if (key instanceof SearchKey.And and) {
            return and.keys().stream().anyMatch(SearchCriteria::needsUtf8);
        }
        if (key instanceof SearchKey.Or or) {
            return needsUtf8(or.left()) || needsUtf8(or.right());
        }
        if (key instanceof SearchKey.Not not) {
            return needsUtf8(not.key());
        }
        if (key instanceof SearchKey.HeaderContains h) {
            return !isAscii(h.field()) || !isAscii(h.value());
        }
        if (key instanceof SearchKey.TextContains t) {
            return !isAscii(t.value());
        }
        return false;
    }

    /** Appends {@code key} as top-level criteria (an AND is written as the plain key sequence). */
    static void append(ImapCommand command, SearchKey key, Instant now) {
        if (key instanceof SearchKey.And and && !and.keys().isEmpty()) {
            for (SearchKey k : and.keys()) {
                appendOperand(command, k, now);
            }
        } else {
            appendOperand(command, key, now);
        }
    }

    /** One search-key; an AND of several keys becomes a parenthesised group so OR and NOT apply to all of it. */
    private static void appendOperand(ImapCommand command, SearchKey key, Instant now) {
        if (key instanceof SearchKey.All) {
            command.raw("ALL");
        } else if (key instanceof SearchKey.And and) {
            if (and.keys().isEmpty()) {
                command.raw("ALL");
            } else if (and.keys().size() == 1) {
                appendOperand(command, and.keys().get(0), now);
            } else {
                command.openGroup();
                for (SearchKey k : and.keys()) {
                    appendOperand(command, k, now);
                }
                command.closeGroup();
            }
        } else if (key instanceof SearchKey.Or or) {
            command.raw("OR");
            appendOperand(command, or.left(), now);
            appendOperand(command, or.right(), now);
        } else if (key instanceof SearchKey.Not not) {
            command.raw("NOT");
            appendOperand(command, not.key(), now);
        } else if (key instanceof SearchKey.HeaderContains h) {
            String fixed = HEADER_KEYS.get(h.field().toUpperCase(Locale.ROOT));
            if (fixed != null) {
                command.raw(fixed).string(h.value());
            } else {
                command.raw("HEADER").string(h.field()).string(h.value());
            }
        } else if (key instanceof SearchKey.TextContains t) {
            command.raw(t.includeHeaders() ? "TEXT" : "BODY").string(t.value());
        } else if (key instanceof SearchKey.DateKey d) {
            String prefix = d.field() == SearchKey.DateField.SENT ? "SENT" : "";
            command.raw(prefix + d.comparison().name()).raw(DATE.format(d.value().day(now)));
        } else if (key instanceof SearchKey.SizeKey s) {
            command.raw(s.larger() ? "LARGER" : "SMALLER").number(s.octets());
        } else if (key instanceof SearchKey.FlagKey f) {
            appendFlag(command, f);
        } else {
            throw new IllegalArgumentException("unsupported search key " + key);
        }
    }

    private static void appendFlag(ImapCommand command, SearchKey.FlagKey f) {
        String[] keys = FLAG_KEYS.get(f.flag().toUpperCase(Locale.ROOT));
        if (keys != null) {
            command.raw(f.set() ? keys[0] : keys[1]);
        } else if (f.flag().startsWith("\\")) {
            throw new IllegalArgumentException("no IMAP search key for the system flag " + f.flag());
        } else {
            command.raw(f.set() ? "KEYWORD" : "UNKEYWORD").atom(f.flag());
        }
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }
}
