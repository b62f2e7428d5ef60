package io.catalystmail.camel.mime;

/**
 * Takes the RFC 5322 comments out of a Content-Type or Content-Disposition value before {@link MimeParameters}
 * reads it. RFC 2045 section 5.1 lets comments stand wherever white space may ({@code text/plain (sent as text);
 * charset=utf-8 (x)}); left in, they became part of the media type, made a parameter value unknown and a ';' inside
 * one split the value. Python's email package (policy.default) reads all of these without the comment.
 *
 * <p>One case is read differently on purpose: a comment glued to an unquoted parameter value, or with text after
 * it, stays text. An unquoted value may not hold a parenthesis (RFC 2045 tspecials) but mailers send file names such
 * as {@code filename=report(1).pdf} or {@code filename=report (1).pdf} unquoted, and the name the sender wrote is
 * worth more than the letter of the grammar; Python's policy.default makes both "report", its compat32 keeps them.
 */
final class ParameterComments {

    private ParameterComments() {
    }

    /**
     * {@code value} without its comments: those of the media or disposition type and of parameter names become a
     * space (a comment separates tokens), those before a parameter value or after it, apart from it by white space,
     * are dropped; quoted-strings are copied as they are. Bounded by the value's length: each character is looked at
     * a fixed number of times.
     */
    static String removed(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int length = value.length();
        int segmentStart = 0;
        boolean type = true; // the first segment is the type; the others are parameters
        while (segmentStart <= length) {
            int segmentEnd = segmentEnd(value, segmentStart);
            int equals = type ? -1 : indexOutsideTokens(value, segmentStart, segmentEnd, '=');
            if (equals < 0) {
                appendSpaced(out, value, segmentStart, segmentEnd);
            } else {
                appendSpaced(out, value, segmentStart, equals);
                out.append('=');
                appendParameterValue(out, value, equals + 1, segmentEnd);
            }
            if (segmentEnd < length) {
                out.append(';');
            }
            segmentStart = segmentEnd + 1;
            type = false;
        }
        return out.toString();
    }

    /** The index of the ';' that ends the segment starting at {@code from}, or the length. */
    private static int segmentEnd(String value, int from) {
        int semicolon = indexOutsideTokens(value, from, value.length(), ';');
        return semicolon < 0 ? value.length() : semicolon;
    }

    /** The first {@code wanted} in {@code value[from, to)} outside quoted-strings and comments, or -1. */
    private static int indexOutsideTokens(String value, int from, int to, char wanted) {
        int i = from;
        while (i < to) {
            char c = value.charAt(i);
            if (c == wanted) {
                return i;
            }
            i = c == '"' || c == '(' ? tokenEnd(value, i, to) : i + 1;
        }
        return -1;
    }

    /** The index after the quoted-string or comment opening at {@code open}. */
    private static int tokenEnd(String value, int open, int to) {
        return value.charAt(open) == '"' ? LexicalTokens.quotedStringEnd(value, open, to)
                : LexicalTokens.commentEnd(value, open, to);
    }

    /** {@code value[from, to)} with each comment outside quoted-strings replaced by a space. */
    private static void appendSpaced(StringBuilder out, String value, int from, int to) {
        int i = from;
        while (i < to) {
            char c = value.charAt(i);
            if (c == '"' || c == '(') {
                int end = tokenEnd(value, i, to);
                if (c == '"') {
                    out.append(value, i, end);
                } else {
                    out.append(' ');
                }
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
    }

    /**
     * A parameter value {@code value[from, to)}: comments before it dropped; a quoted one copied with what follows
     * it but comments (the reader ignores what follows a closing quote anyway); an unquoted one kept up to its last
     * character outside comments, the comments after that dropped when white space sets them apart.
     */
    private static void appendParameterValue(StringBuilder out, String value, int from, int to) {
        int start = from;
        while (start < to && (isBlank(value.charAt(start)) || value.charAt(start) == '(')) {
            start = value.charAt(start) == '(' ? LexicalTokens.commentEnd(value, start, to) : start + 1;
        }
        if (start < to && value.charAt(start) == '"') {
            int end = LexicalTokens.quotedStringEnd(value, start, to);
            out.append(value, start, end);
            appendSpaced(out, value, end, to);
            return;
        }
        int textEnd = start; // after the last character that is neither blank nor in a comment
        int i = start;
        while (i < to) {
            char c = value.charAt(i);
            if (c == '(') {
                i = LexicalTokens.commentEnd(value, i, to);
            } else {
                i++;
                textEnd = isBlank(c) ? textEnd : i;
            }
        }
        boolean apart = textEnd == to || isBlank(value.charAt(textEnd));
        out.append(value, start, apart ? textEnd : to);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
