package io.catalystmail.camel.mime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The name of a received header field as a String: one of the names nearly every message carries, spelled as the
 * sender spelled it, is given as a constant, so reading a message's fields makes no String for their names (about
 * 60 bytes a field; a multipart message has a dozen or more). Any other name, or a known one in another case, gets
 * a String of its own: the name is kept exactly as sent.
 */
final class FieldNames {

    /** The names looked up, as mail programs spell them; at most {@value #LONGEST} characters. */
    private static final String[] KNOWN = {
        "To", "Cc", "Date", "From", "Sender", "Subject", "Reply-To", "Received", "References", "Message-ID",
        "Message-Id", "In-Reply-To", "Return-Path", "Delivered-To", "MIME-Version", "Mime-Version", "Content-Type",
        "Content-ID", "Content-Id", "Content-Disposition", "Content-Transfer-Encoding", "Content-Language",
        "Content-Description", "DKIM-Signature", "Received-SPF", "Authentication-Results", "X-Mailer", "User-Agent",
        "List-Unsubscribe", "List-Id", "Precedence", "Auto-Submitted", "X-Original-To", "Thread-Topic",
        "Thread-Index"};

    private static final int LONGEST = 25;

    /** The known names by length, so a name is compared with a few of the same length only. */
    private static final String[][] BY_LENGTH = byLength();

    private FieldNames() {
    }

    /** The name in {@code raw[from, to)}, which is printable US-ASCII (checked by the caller). */
    static String name(byte[] raw, int from, int to) {
        int length = to - from;
        if (length <= LONGEST) {
            for (String known : BY_LENGTH[length]) {
                if (matches(known, raw, from)) {
                    return known;
                }
            }
        }
        return new String(raw, from, length, StandardCharsets.US_ASCII);
    }

    private static boolean matches(String known, byte[] raw, int from) {
        for (int i = 0; i < known.length(); i++) {
            if (raw[from + i] != known.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String[][] byLength() {
        String[][] table = new String[LONGEST + 1][0];
        for (String name : KNOWN) {
            String[] same = table[name.length()];
            String[] grown = Arrays.copyOf(same, same.length + 1);
            grown[same.length] = name;
            table[name.length()] = grown;
        }
        return table;
    }
}
