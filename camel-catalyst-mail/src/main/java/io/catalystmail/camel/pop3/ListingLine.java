package io.catalystmail.camel.pop3;

import io.catalystmail.camel.net.ServerText;

/**
 * One line of a UIDL or LIST answer, "msg-number SP value" (RFC 1939 §5, §7), read where it lies in the connection's
 * line buffer. A maildrop of 10,000 messages answers with 20,000 such lines per poll, so nothing is made per line:
 * the number and a LIST size are parsed from the bytes, and only a value that is kept (a UIDL) becomes a String.
 * Fields are separated by any run of white space, as in the RFC's examples and in servers' practice; what follows
 * the value is ignored. Valid only until the next line is read into the same buffer.
 */
final class ListingLine {

    /** Ten digits reach past {@link Integer#MAX_VALUE}, the highest message number taken (checked by the caller). */
    private static final int MAX_NUMBER_DIGITS = 10;
    /** Eighteen digits never overflow a long. */
    private static final int MAX_SIZE_DIGITS = 18;

    private byte[] bytes;
    private int length;
    /** False until a field is asked for: a CAPA line, read through here as text only, is never split. */
    private boolean split;
    private long number;
    private int valueStart;
    private int valueEnd;

    /**
     * Takes {@code length} bytes of {@code bytes} (the line, with or without its CRLF) as the current line; its fields
     * are found when first asked for. A capability line parsed as "number value" took branches that listings never
     * take (a letter where the number goes, an LF tested as white space), so every new session's CAPA deoptimised the
     * parser that the session before had compiled for its listings (JFR: unstable_if in isSpace and digits).
     */
    ListingLine parse(byte[] bytes, int length) {
        this.bytes = bytes;
        this.length = length;
        split = false;
        return this;
    }

    private void split() {
        if (split) {
            return;
        }
        int start = skipSpace(0);
        int end = skipField(start);
        valueStart = skipSpace(end);
        valueEnd = skipField(valueStart);
        number = valueEnd == valueStart ? -1 : digits(start, end, MAX_NUMBER_DIGITS);
        split = true;
    }

    /** The message number, -1 when the line is not a message number followed by a value. */
    long number() {
        split();
        return number;
    }

    /** The value as a number (a LIST size in octets), -1 when it is not digits. */
    long valueAsNumber() {
        split();
        return digits(valueStart, valueEnd, MAX_SIZE_DIGITS);
    }

    /** The value as text (a UIDL), decoded as status lines are. */
    String value() {
        split();
        return ServerText.decoded(bytes, valueStart, valueEnd - valueStart);
    }

    /** The whole line as text, for naming it in a WARN. */
    String text() {
        return ServerText.decoded(bytes, 0, length).strip();
    }

    private long digits(int from, int to, int maxDigits) {
        if (from == to || to - from > maxDigits) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private int skipSpace(int from) {
        int i = from;
        while (i < length && isSpace(bytes[i])) {
            i++;
        }
        return i;
    }

    private int skipField(int from) {
        int i = from;
        while (i < length && !isSpace(bytes[i])) {
            i++;
        }
        return i;
    }

    /** The white space of the regular expression {@code \s}: what separated the fields before. */
    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0x0B || b == '\f';
    }
}
