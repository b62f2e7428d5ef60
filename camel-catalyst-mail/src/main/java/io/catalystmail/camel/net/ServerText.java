package io.catalystmail.camel.net;

/**
 * A server's text as it may appear in an error or a log line: a hostile or broken server can put control characters
 * (ESC sequences that repaint a terminal, a lone CR that starts a forged line) and any length into a status line,
 * and exceptions end up in logs. Control characters are shown as {@code \xNN}; a text over the limit is cut, marked
 * with "...".
 */
public final class ServerText {

    private ServerText() {
    }

    /** At most {@code limit} characters of {@code text}, C0/C1 control characters and DEL shown as {@code \xNN}. */
    public static String shown(String text, int limit) {
        int end = Math.min(text.length(), limit);
        StringBuilder b = null;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7f && c < 0xa0) {
                if (b == null) {
                    b = new StringBuilder(end + 16).append(text, 0, i);
                }
                b.append("\\x").append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else if (b != null) {
                b.append(c);
            }
        }
        String shown = b == null ? text.substring(0, end) : b.toString();
        return text.length() > limit ? shown + "..." : shown;
    }
}
