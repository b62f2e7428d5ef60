package io.catalystmail.camel.imap;

import java.util.Collection;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Flags and keywords as STORE and APPEND send them (RFC 3501 §2.3.2, flag syntax in §9): system flags such as
 * {@code \Seen} and {@code \Flagged}, or keywords such as {@code $Forwarded} or {@code Project-X}. Each is checked
 * to be one atom, optionally after one backslash: a space, CR, LF or parenthesis could end the list early and add
 * syntax of its own.
 */
public final class MessageFlags {

    private MessageFlags() {
    }

    /** The flag as it may be sent; refuses anything that is not a flag. */
    public static String check(String flag) {
        if (flag == null || flag.isEmpty()) {
            throw new IllegalArgumentException("an empty IMAP flag");
        }
        int start = flag.charAt(0) == '\\' ? 1 : 0;
        if (start == flag.length()) {
            throw new IllegalArgumentException("'\\' alone is not an IMAP flag");
        }
        for (int i = start; i < flag.length(); i++) {
            char c = flag.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                throw new IllegalArgumentException("not a valid IMAP flag or keyword: '" + printable(flag)
                        + "' (one atom, optionally after a backslash: no spaces, CR, LF, parentheses or quotes)");
            }
        }
        if (flag.equalsIgnoreCase("\\Recent")) {
            // RFC 3501 §2.3.2: \Recent is the server's to set, never a client's
            throw new IllegalArgumentException("\\Recent is set by the server only and cannot be stored or appended");
        }
        return flag;
    }

    /** {@code (\Seen $Label)}: the flags checked and in a parenthesised list. */
    public static String list(Collection<String> flags) {
        StringJoiner joined = new StringJoiner(" ", "(", ")");
        for (String flag : flags) {
            joined.add(check(flag));
        }
        return joined.toString();
    }

    /**
     * Splits "\Seen \Flagged, $Label" into flags: spaces and commas separate them. A control character (CR, LF,
     * TAB...) anywhere is refused rather than taken as a separator: it never belongs in a list of flags.
     */
    public static java.util.List<String> parse(String text) {
        if (text == null || text.isBlank()) {
            return java.util.List.of();
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("IMAP flags '" + printable(text) + "' contain a control character");
        }
        return java.util.Arrays.stream(text.strip().split("[ ,]+")).map(MessageFlags::check).toList();
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? String.format(Locale.ROOT, "\\x%02x", (int) c) : c);
        }
        return sb.length() > 80 ? sb.substring(0, 80) + "..." : sb.toString();
    }
}
