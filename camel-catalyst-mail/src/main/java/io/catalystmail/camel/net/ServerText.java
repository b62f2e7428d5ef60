package io.catalystmail.camel.net;

/**
 * A server's text as it may appear in an error or a log line: a hostile or broken server can put control characters
 * (ESC sequences that repaint a terminal, a lone CR that starts a forged line), Unicode line separators and bidi
 * overrides (which reorder what a reader sees) and any length into a status line, and exceptions end up in logs.
 * Those characters are shown as {@code \xNN}, or as a backslash, u and four hex digits; a text over the limit is
 * cut, marked with "...".
 */
public final class ServerText {

    private ServerText() {
    }

    /**
     * At most {@code limit} characters of {@code text} (a surrogate pair is not cut), C0/C1 control characters and
     * DEL shown as {@code \xNN}, line and paragraph separators and format characters (bidi controls) as
     * a backslash, u and four hex digits; the output is at most six times as long as the limit. Null is "null".
     */
    public static String shown(String text, int limit) {
        if (text == null) {
            return "null";
        }
        int end = Math.min(text.length(), limit);
        if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder b = null;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            String escaped = escaped(c);
            if (escaped != null && b == null) {
                b = new StringBuilder(end + 16).append(text, 0, i);
            }
            if (escaped != null) {
                b.append(escaped);
            } else if (b != null) {
                b.append(c);
            }
        }
        String shown = b == null ? text.substring(0, end) : b.toString();
        return end < text.length() ? shown + "..." : shown;
    }

    private static String escaped(char c) {
        if (c < 0x20 || c >= 0x7f && c < 0xa0) {
            return String.format("\\x%02X", (int) c);
        }
        int type = Character.getType(c);
        if (type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT) {
            return String.format("\\u%04X", (int) c);
        }
        return null;
    }
}
