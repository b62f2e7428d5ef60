package io.catalystmail.camel.mailbox;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes a {@link SearchKey} back in the filter language, so that parsing the text gives the same key. */
final class SearchText {

    private static final Map<String, String> SET_FLAGS = Map.of("\\seen", "SEEN", "\\answered", "ANSWERED",
            "\\flagged", "FLAGGED", "\\deleted", "DELETED", "\\draft", "DRAFT", "\\recent", "RECENT");
    private static final Map<String, String> CLEAR_FLAGS = Map.of("\\seen", "UNSEEN", "\\answered", "UNANSWERED",
            "\\flagged", "UNFLAGGED", "\\deleted", "UNDELETED", "\\draft", "UNDRAFT", "\\recent", "OLD");

    private SearchText() {
    }

    static String of(SearchKey key) {
        if (key instanceof SearchKey.All) {
            return "ALL";
        } else if (key instanceof SearchKey.And and) {
            return and.keys().stream().map(SearchText::operand).collect(Collectors.joining(" "));
        } else if (key instanceof SearchKey.Or or) {
            return "OR " + operand(or.left()) + " " + operand(or.right());
        } else if (key instanceof SearchKey.Not not) {
            return "NOT " + operand(not.key());
        } else if (key instanceof SearchKey.HeaderContains h) {
            String upper = h.field().toUpperCase(Locale.ROOT);
            boolean named = upper.equals("FROM") || upper.equals("TO") || upper.equals("CC") || upper.equals("BCC")
                    || upper.equals("SUBJECT");
            return (named ? upper : "HEADER " + quoted(h.field())) + " " + quoted(h.value());
        } else if (key instanceof SearchKey.TextContains t) {
            return (t.includeHeaders() ? "TEXT " : "BODY ") + quoted(t.value());
        } else if (key instanceof SearchKey.DateKey d) {
            return (d.field() == SearchKey.DateField.SENT ? "SENT" : "") + d.comparison() + " " + date(d.value());
        } else if (key instanceof SearchKey.SizeKey s) {
            return (s.larger() ? "LARGER " : "SMALLER ") + s.octets();
        }
        SearchKey.FlagKey f = (SearchKey.FlagKey) key;
        String name = (f.set() ? SET_FLAGS : CLEAR_FLAGS).get(f.flag().toLowerCase(Locale.ROOT));
        return name != null ? name : (f.set() ? "KEYWORD " : "UNKEYWORD ") + f.flag();
    }

    /** A key as the argument of OR/NOT or inside a list: a multi-key AND needs parentheses there. */
    private static String operand(SearchKey key) {
        return key instanceof SearchKey.And ? "(" + of(key) + ")" : of(key);
    }

    private static String date(SearchKey.DateValue value) {
        if (value instanceof SearchKey.AbsoluteDay day) {
            String month = day.date().getMonth().name();
            return day.date().getDayOfMonth() + "-" + month.charAt(0) + month.substring(1, 3).toLowerCase(Locale.ROOT)
                    + "-" + day.date().getYear();
        }
        Duration back = ((SearchKey.RelativeToNow) value).offset().negated();
        long minutes = back.toMinutes();
        if (minutes == 0) {
            return "now";
        }
        if (minutes % (7 * 24 * 60) == 0) {
            return "now-" + minutes / (7 * 24 * 60) + "w";
        }
        if (minutes % (24 * 60) == 0) {
            return "now-" + minutes / (24 * 60) + "d";
        }
        return minutes % 60 == 0 ? "now-" + minutes / 60 + "h" : "now-" + minutes + "m";
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
