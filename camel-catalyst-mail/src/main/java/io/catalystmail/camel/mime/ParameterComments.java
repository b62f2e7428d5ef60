package io.catalystmail.camel.mime;

import java.util.Locale;

/**
 * Takes the RFC 5322 comments out of a Content-Type or Content-Disposition value before {@link MimeParameters}
 * reads it. RFC 2045 section 5.1 lets comments stand wherever white space may ({@code text/plain (sent as text);
 * charset=utf-8 (x)}); left in, they became part of the media type, made a parameter value unknown and a ';' inside
 * one split the value. Python's email package (policy.default) reads all of these without the comment.
 *
 * <p>Two cases are read differently on purpose. A comment glued to an unquoted file name ({@code name},
 * {@code filename}), or with text after it, stays text: an unquoted value may not hold a parenthesis (RFC 2045
 * tspecials) but mailers send file names such as {@code filename=report(1).pdf} or {@code filename=report (1).pdf}
 * unquoted, and the name the sender wrote is worth more than the letter of the grammar; Python's policy.default makes
 * both "report", its compat32 keeps them; a boundary such as {@code abc(1)} likewise (only charset, whose value
 * decides how text is read, loses a glued comment). And a '(' that is never closed does not run to the value's
 * end: it comments out the rest of its own parameter only (of a name, nothing: it is text), so
 * {@code name=Re foo (draft; boundary="abc"} keeps its boundary (a typed file name must not cost the parameters after
 * it). A '(' closed by a later ')' is a comment however far that is (RFC 5322 section 3.2.2), ';' and all.
 */
final class ParameterComments {

    private final String value;
    /**
     * For each '(' that opens a comment closed later, the index after its ')'; 0 for every other index. Found in one
     * pass with a stack, so a value of many unclosed '(' costs its length, not its length squared, as asking
     * {@link LexicalTokens#commentEnd} at each '(' would.
     */
    private final int[] commentEnds;

    private ParameterComments(String value) {
        this.value = value;
        this.commentEnds = commentEnds(value);
    }

    /**
     * {@code value} without its comments: those of the media or disposition type and of parameter names become a
     * space (a comment separates tokens), those before a parameter value or after it, apart from it by white space,
     * are dropped; quoted-strings are copied as they are. Bounded by the value's length: each character is looked at
     * a fixed number of times.
     */
    static String removed(String value) {
        return new ParameterComments(value).removed();
    }

    private String removed() {
        StringBuilder out = new StringBuilder(value.length());
        int length = value.length();
        int segmentStart = 0;
        boolean type = true; // the first segment is the type; the others are parameters
        while (segmentStart <= length) {
            int segmentEnd = indexOutsideTokens(segmentStart, length, ';');
            int equals = type ? -1 : indexOutsideTokens(segmentStart, segmentEnd, '=');
            if (equals < 0) {
                appendSpaced(out, segmentStart, segmentEnd);
            } else {
                appendSpaced(out, segmentStart, equals);
                out.append('=');
                appendParameterValue(out, equals + 1, segmentEnd, !namesTheCharset(segmentStart, equals));
            }
            if (segmentEnd < length) {
                out.append(';');
            }
            segmentStart = segmentEnd + 1;
            type = false;
        }
        return out.toString();
    }

    private static int[] commentEnds(String value) {
        int length = value.length();
        int[] ends = new int[length];
        int[] open = new int[length];
        int depth = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == '\\' && depth > 0) {
                i++; // a quoted-pair (RFC 5322 section 3.2.1) in a comment; in a quoted-string quotedStringEnd skips it
            } else if (c == '"' && depth == 0) {
                i = LexicalTokens.quotedStringEnd(value, i, length) - 1;
            } else if (c == '(') {
                open[depth++] = i;
            } else if (c == ')' && depth > 0) {
                ends[open[--depth]] = i + 1;
            }
        }
        return ends;
    }

    /** The index after the comment opening at {@code i} if it is closed before {@code to}; -1 otherwise. */
    private int closedBefore(int i, int to) {
        int end = value.charAt(i) == '(' ? commentEnds[i] : 0;
        return end > 0 && end <= to ? end : -1;
    }

    /**
     * The first {@code wanted} in {@code value[from, to)} outside quoted-strings and closed comments, or {@code to}
     * ({@code -1} for '=') when there is none.
     */
    private int indexOutsideTokens(int from, int to, char wanted) {
        int i = from;
        while (i < to) {
            char c = value.charAt(i);
            if (c == wanted) {
                return i;
            }
            int closed = closedBefore(i, to);
            if (closed > 0) {
                i = closed;
            } else {
                i = c == '"' ? LexicalTokens.quotedStringEnd(value, i, to) : i + 1;
            }
        }
        return wanted == ';' ? to : -1;
    }

    /**
     * {@code value[from, to)} with each comment outside quoted-strings replaced by a space; a '(' never closed
     * comments out the rest of the range.
     */
    private void appendSpaced(StringBuilder out, int from, int to) {
        int i = from;
        while (i < to) {
            char c = value.charAt(i);
            if (c == '"') {
                int end = LexicalTokens.quotedStringEnd(value, i, to);
                out.append(value, i, end);
                i = end;
            } else if (c == '(') {
                int closed = closedBefore(i, to);
                out.append(' ');
                i = closed > 0 ? closed : to;
            } else {
                out.append(c);
                i++;
            }
        }
    }

    /**
     * True when the parameter name {@code value[from, to)} is charset: the one value a glued comment must not stay
     * in, as an unknown charset changes how the text is read. Any other may be a name the sender typed (a file
     * name, an unquoted boundary such as {@code abc(1)}, which RFC 2046 allows in quotes and senders send without).
     */
    private boolean namesTheCharset(int from, int to) {
        StringBuilder name = new StringBuilder(to - from);
        appendSpaced(name, from, to);
        String n = name.toString().trim();
        return n.equalsIgnoreCase("charset") || n.regionMatches(true, 0, "charset*", 0, 8);
    }

    /**
     * A parameter value {@code value[from, to)}: comments before it dropped; a quoted one copied with what follows
     * it but comments (the reader ignores what follows a closing quote anyway). An unquoted charset is a token (RFC
     * 2045 section 5.1) without its comments; any other unquoted value ({@code keepGlued}) is kept up to its last
     * character outside comments when white space sets the comments after it apart, and as sent, comments and all,
     * when a comment is glued to it or text follows one; a '(' never closed is text there.
     */
    private void appendParameterValue(StringBuilder out, int from, int to, boolean keepGlued) {
        int start = from;
        while (start < to) {
            int closed = closedBefore(start, to);
            if (closed > 0) {
                start = closed;
            } else if (isBlank(value.charAt(start))) {
                start++;
            } else {
                break;
            }
        }
        if (start < to && value.charAt(start) == '"') {
            int end = LexicalTokens.quotedStringEnd(value, start, to);
            out.append(value, start, end);
            appendSpaced(out, end, to);
            return;
        }
        if (!keepGlued) {
            int tokenStart = out.length();
            appendSpaced(out, start, to);
            while (out.length() > tokenStart && isBlank(out.charAt(out.length() - 1))) {
                out.setLength(out.length() - 1);
            }
            return;
        }
        int textEnd = start; // after the last character that is neither blank nor in a closed comment
        int i = start;
        while (i < to) {
            int closed = closedBefore(i, to);
            if (closed > 0) {
                i = closed;
            } else {
                textEnd = isBlank(value.charAt(i)) ? textEnd : i + 1;
                i++;
            }
        }
        boolean apart = textEnd == to || isBlank(value.charAt(textEnd));
        appendKept(out, start, apart ? textEnd : to);
    }

    /**
     * An unquoted value kept with its comments, {@code value[from, to)}: as a quoted-string when a ';' stands in it
     * (in a comment, as in {@code filename=a(b;c).pdf}), since {@link MimeParameters} reads an unquoted value up to the
     * first ';' and would cut the name there ("a(b"); as it is otherwise. Python's policy.default ("a") and Mime4j
     * ("a.pdf") do not split there either; Jakarta Mail and MimeKit refuse the whole field.
     */
    private void appendKept(StringBuilder out, int from, int to) {
        int semicolon = value.indexOf(';', from);
        if (semicolon < 0 || semicolon >= to) {
            out.append(value, from, to);
            return;
        }
        out.append('"');
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\'); // a quoted-pair (RFC 5322 section 3.2.1), undone by the reader
            }
            out.append(c);
        }
        out.append('"');
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
