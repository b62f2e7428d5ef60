package io.catalystmail.camel.mailbox;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.catalystmail.camel.mailbox.SearchKey.DateComparison;
import io.catalystmail.camel.mailbox.SearchKey.DateField;

/**
 * Parses the filter language: the subset of IMAP SEARCH criteria (RFC 3501 §6.4.4) listed in
 * {@link SearchFilter#parse(String)}. Juxtaposed keys are ANDed; nested groups are flattened into one
 * {@link SearchKey.And}, which means the same thing.
 */
final class SearchParser {

    private static final Pattern DAY = Pattern.compile("(\\d{1,2})-([A-Za-z]{3})-(\\d{4})");
    private static final Pattern RELATIVE = Pattern.compile("(?i)now(?:-(\\d{1,9})([mhdw]))?");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    /** RFC 3501 atom-specials and the backslash, which a keyword may not contain. */
    private static final String KEYWORD_SPECIALS = "(){ %*\"\\]";

    private enum Kind { ATOM, QUOTED, OPEN, CLOSE, END }

    private record Token(Kind kind, String text, int start) {
        String found() {
            return kind == Kind.END ? "end of input" : "\"" + text + "\"";
        }
    }

    private final String source;
    private final String text;
    private int pos;
    private Token peeked;

    private SearchParser(String source, String text) {
        this.source = source;
        this.text = text;
    }

    /** Parses a whole filter; blank text is ALL. */
    static SearchKey parseFilter(String source, String text) {
        SearchParser p = new SearchParser(source, text);
        p.rejectControls();
        List<SearchKey> keys = new ArrayList<>();
        while (p.peek().kind != Kind.END) {
            keys.add(p.key());
        }
        return conjunction(keys);
    }

    /** Parses a single date value (dd-MMM-yyyy or now[-N(m|h|d|w)]) given alone, as the since/before options. */
    static SearchKey.DateValue parseDate(String source, String text) {
        SearchParser p = new SearchParser(source, text);
        p.rejectControls();
        SearchKey.DateValue value = p.date("a date");
        p.expectEnd();
        return value;
    }

    /** Rejects CR, LF and NUL in a value that is not parsed (searchFrom and friends). */
    static String plainValue(String source, String value) {
        new SearchParser(source, value).rejectControls();
        return value;
    }

    private void rejectControls() {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw error("no line breaks or NUL characters", i + 1, c == '\0' ? "NUL" : c == '\r' ? "CR" : "LF");
            }
        }
    }

    private SearchKey key() {
        Token t = next();
        switch (t.kind) {
            case OPEN -> {
                List<SearchKey> keys = new ArrayList<>();
                while (peek().kind != Kind.CLOSE) {
                    if (peek().kind == Kind.END) {
                        throw expected("\")\" to close the group opened at position " + t.start, peek());
                    }
                    keys.add(key());
                }
                if (keys.isEmpty()) {
                    throw expected("a search key", peek());
                }
                next();
                return conjunction(keys);
            }
            case ATOM -> {
                return keyword(t);
            }
            default -> throw expected("a search key", t);
        }
    }

    private SearchKey keyword(Token t) {
        String name = t.text.toUpperCase(Locale.ROOT);
        return switch (name) {
            case "ALL" -> new SearchKey.All();
            case "OR" -> new SearchKey.Or(operand(name), operand(name));
            case "NOT" -> new SearchKey.Not(operand(name));
            case "FROM", "TO", "CC", "BCC" -> new SearchKey.HeaderContains(capitalized(name), string(name));
            case "SUBJECT" -> new SearchKey.HeaderContains("Subject", string(name));
            case "HEADER" -> {
                String field = fieldName();
                yield new SearchKey.HeaderContains(field, string("HEADER " + field));
            }
            case "BODY" -> new SearchKey.TextContains(false, string(name));
            case "TEXT" -> new SearchKey.TextContains(true, string(name));
            case "BEFORE" -> dateKey(DateField.INTERNAL, DateComparison.BEFORE, name);
            case "ON" -> dateKey(DateField.INTERNAL, DateComparison.ON, name);
            case "SINCE" -> dateKey(DateField.INTERNAL, DateComparison.SINCE, name);
            case "SENTBEFORE" -> dateKey(DateField.SENT, DateComparison.BEFORE, name);
            case "SENTON" -> dateKey(DateField.SENT, DateComparison.ON, name);
            case "SENTSINCE" -> dateKey(DateField.SENT, DateComparison.SINCE, name);
            case "LARGER" -> new SearchKey.SizeKey(true, number(name));
            case "SMALLER" -> new SearchKey.SizeKey(false, number(name));
            case "SEEN", "ANSWERED", "FLAGGED", "DELETED", "DRAFT" -> new SearchKey.FlagKey(systemFlag(name), true);
            case "UNSEEN", "UNANSWERED", "UNFLAGGED", "UNDELETED", "UNDRAFT" ->
                new SearchKey.FlagKey(systemFlag(name.substring(2)), false);
            case "RECENT" -> new SearchKey.FlagKey("\\Recent", true);
            case "OLD" -> new SearchKey.FlagKey("\\Recent", false);
            // RFC 3501: NEW is "equivalent to (RECENT UNSEEN)"
            case "NEW" -> new SearchKey.And(List.of(new SearchKey.FlagKey("\\Recent", true),
                    new SearchKey.FlagKey("\\Seen", false)));
            case "KEYWORD" -> new SearchKey.FlagKey(keywordAtom(name), true);
            case "UNKEYWORD" -> new SearchKey.FlagKey(keywordAtom(name), false);
            default -> throw error("a search key such as FROM, SUBJECT, SINCE, SEEN, OR, NOT", t.start, t.found());
        };
    }

    private SearchKey operand(String after) {
        Token t = peek();
        if (t.kind != Kind.ATOM && t.kind != Kind.OPEN) {
            throw expected("a search key after " + after, t);
        }
        return key();
    }

    private String string(String after) {
        Token t = next();
        if (t.kind != Kind.ATOM && t.kind != Kind.QUOTED) {
            throw expected("a string after " + after, t);
        }
        return t.text;
    }

    private String fieldName() {
        Token t = next();
        boolean valid = (t.kind == Kind.ATOM || t.kind == Kind.QUOTED) && !t.text.isEmpty()
                && t.text.chars().allMatch(c -> c > 32 && c < 127 && c != ':');
        if (!valid) {
            throw expected("a header field name after HEADER", t);
        }
        return t.text;
    }

    private String keywordAtom(String after) {
        Token t = next();
        boolean valid = t.kind == Kind.ATOM
                && t.text.chars().allMatch(c -> c > 32 && c < 127 && KEYWORD_SPECIALS.indexOf(c) < 0);
        if (!valid) {
            throw expected("a keyword (an atom without \\) after " + after, t);
        }
        return t.text;
    }

    private long number(String after) {
        Token t = next();
        if (t.kind == Kind.ATOM && t.text.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(t.text);
            } catch (NumberFormatException tooLarge) {
                // falls through to the error below
            }
        }
        throw expected("a number of octets after " + after, t);
    }

    private SearchKey dateKey(DateField field, DateComparison comparison, String after) {
        return new SearchKey.DateKey(field, comparison, date("a date after " + after));
    }

    private SearchKey.DateValue date(String what) {
        Token t = next();
        if (t.kind == Kind.ATOM || t.kind == Kind.QUOTED) {
            Matcher relative = RELATIVE.matcher(t.text);
            if (relative.matches()) {
                if (relative.group(1) == null) {
                    return new SearchKey.RelativeToNow(Duration.ZERO);
                }
                long amount = Long.parseLong(relative.group(1));
                Duration unit = switch (Character.toLowerCase(relative.group(2).charAt(0))) {
                    case 'm' -> Duration.ofMinutes(1);
                    case 'h' -> Duration.ofHours(1);
                    case 'd' -> Duration.ofDays(1);
                    default -> Duration.ofDays(7);
                };
                return new SearchKey.RelativeToNow(unit.multipliedBy(-amount));
            }
            Matcher day = DAY.matcher(t.text);
            if (day.matches()) {
                int month = MONTHS.indexOf(day.group(2).toLowerCase(Locale.ROOT)) + 1;
                if (month > 0) {
                    try {
                        return new SearchKey.AbsoluteDay(LocalDate.of(Integer.parseInt(day.group(3)), month,
                                Integer.parseInt(day.group(1))));
                    } catch (DateTimeException noSuchDay) {
                        // falls through to the error below
                    }
                }
            }
        }
        throw expected(what + " (like 1-Nov-2026 or now-24h)", t);
    }

    private void expectEnd() {
        Token t = next();
        if (t.kind != Kind.END) {
            throw expected("end of input", t);
        }
    }

    private static SearchKey conjunction(List<SearchKey> keys) {
        List<SearchKey> flat = new ArrayList<>();
        for (SearchKey k : keys) {
            if (k instanceof SearchKey.And and) {
                flat.addAll(and.keys());
            } else if (!(k instanceof SearchKey.All)) {
                flat.add(k);
            }
        }
        if (flat.isEmpty()) {
            return new SearchKey.All();
        }
        return flat.size() == 1 ? flat.get(0) : new SearchKey.And(flat);
    }

    private static String capitalized(String name) {
        return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String systemFlag(String name) {
        return "\\" + capitalized(name);
    }

    private Token peek() {
        if (peeked == null) {
            peeked = scan();
        }
        return peeked;
    }

    private Token next() {
        Token t = peek();
        peeked = null;
        return t;
    }

    private Token scan() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
        int start = pos + 1;
        if (pos >= text.length()) {
            return new Token(Kind.END, "", start);
        }
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            return new Token(Kind.OPEN, "(", start);
        }
        if (c == ')') {
            pos++;
            return new Token(Kind.CLOSE, ")", start);
        }
        if (c == '"') {
            return quoted(start);
        }
        if (c == '{') {
            throw error("a string or atom (IMAP literals {n} are not supported)", start, "\"{\"");
        }
        int begin = pos;
        while (pos < text.length() && " \t()\"".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        return new Token(Kind.ATOM, text.substring(begin, pos), start);
    }

    private Token quoted(int start) {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return new Token(Kind.QUOTED, sb.toString(), start);
            }
            if (c == '\\') {
                if (pos >= text.length() || (text.charAt(pos) != '"' && text.charAt(pos) != '\\')) {
                    throw error("\\\" or \\\\ after a backslash in a quoted string", pos + 1,
                            pos >= text.length() ? "end of input" : "\"" + text.charAt(pos) + "\"");
                }
                c = text.charAt(pos++);
            }
            sb.append(c);
        }
        throw error("a closing quote for the string opened at position " + start, text.length() + 1, "end of input");
    }

    private SearchSyntaxException expected(String what, Token found) {
        return error(what, found.start, found.found());
    }

    private SearchSyntaxException error(String what, int position, String found) {
        return new SearchSyntaxException(
                source + ": expected " + what + " at position " + position + ", found " + found, position);
    }
}
