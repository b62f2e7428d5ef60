package io.catalystmail.camel.net;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * A server's text as it may appear in an error or a log line: a hostile or broken server can put control characters
 * (ESC sequences that repaint a terminal, a lone CR that starts a forged line), Unicode line separators and bidi
 * overrides (which reorder what a reader sees) and any length into a status line, and exceptions end up in logs.
 * Those characters are shown as {@code \xNN}, or as a backslash, u and four hex digits; a text over the limit is
 * cut, marked with "...". A status line's bytes become text through {@link #decoded} first, the same for every
 * protocol.
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

    /**
     * The text of a server's status line or reply, {@code length} bytes of {@code raw} from {@code offset}: ASCII as it
     * is, UTF-8 where valid (RFC 6531/6856 servers may send it), Latin-1 otherwise (older servers' texts in a national
     * charset read as their letters; every byte shows as one character instead of a U+FFFD that hides it). Never a
     * decoding failure.
     */
    public static String decoded(byte[] raw, int offset, int length) {
        if (ascii(raw, offset, length)) {
            // the usual case, decoded without a decoder and char buffer per line (two status lines per message)
            return new String(raw, offset, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw, offset, length)).toString();
        } catch (CharacterCodingException e) {
            return new String(raw, offset, length, StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean ascii(byte[] raw, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (raw[i] < 0) {
                return false;
            }
        }
        return true;
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
