package io.catalystmail.camel.mime;

/**
 * The three lexical tokens of RFC 5322 section 3.2 that every structured header value shares: the quoted-pair
 * (3.2.1), the comment with its nesting (3.2.2) and the quoted-string (3.2.4). Address lists, Content-Type and
 * Content-Disposition parameters all find where one ends and undo its quoted-pairs through here, so they agree on
 * what is quoted, commented or escaped. Bounded: every scan stays within the range it is given, walks it once
 * without recursion (nesting is a counter, so a hostile thousand-deep comment costs what its length costs) and an
 * unclosed token ends at the range's end, as lenient readers take it.
 */
final class LexicalTokens {

    private LexicalTokens() {
    }

    /**
     * The index after the quoted-string opening at {@code open} (a '"'), its quoted-pairs skipped; {@code end} when
     * it is not closed before it.
     */
    static int quotedStringEnd(String text, int open, int end) {
        for (int i = open + 1; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        return end;
    }

    /**
     * The index after the comment opening at {@code open} (a '('), nested comments and quoted-pairs included;
     * {@code end} when it is not closed before it.
     */
    static int commentEnd(String text, int open, int end) {
        int depth = 0;
        for (int i = open; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return end;
    }

    /**
     * Where the content of the quoted-string {@code text[open, end)} ({@code end} from {@link #quotedStringEnd})
     * ends: before its closing quote, or at {@code end} when it was never closed. A last quote that is the second
     * of a quoted-pair closes nothing (an odd run of backslashes before it).
     */
    static int quotedContentEnd(String text, int open, int end) {
        if (end <= open + 1 || text.charAt(end - 1) != '"') {
            return end;
        }
        int backslashes = 0;
        for (int i = end - 2; i > open && text.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 0 ? end - 1 : end;
    }

    /**
     * {@code text[from, to)} with its quoted-pairs undone (RFC 5322 section 3.2.1: the backslash goes, the character
     * after it stays); a backslash at {@code to - 1} has nothing to quote and stays. The substring itself when there
     * is no backslash, as in nearly every quoted value.
     */
    static String unescaped(String text, int from, int to) {
        int backslash = from;
        while (backslash < to && text.charAt(backslash) != '\\') {
            backslash++; // a loop of its own: String's searches would look past the range, quadratic for many tokens
        }
        if (backslash == to) {
            return text.substring(from, to);
        }
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < to) {
                c = text.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }
}
