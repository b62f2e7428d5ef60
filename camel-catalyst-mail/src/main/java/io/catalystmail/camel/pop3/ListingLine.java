package io.catalystmail.camel.pop3;

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
    private long number;
    private int valueStart;
    private int valueEnd;

    /** Reads {@code length} bytes of {@code bytes} (the line without its CRLF) as the current line. */
    ListingLine parse(byte[] bytes, int length) {
        this.bytes = bytes;
        this.length = length;
        int start = skipSpace(0);
        int end = skipField(start);
        valueStart = skipSpace(end);
        valueEnd = skipField(valueStart);
        number = valueEnd == valueStart ? -1 : digits(start, end, MAX_NUMBER_DIGITS);
        return this;
    }

    /** The message number, -1 when the line is not a message number followed by a value. */
    long number() {
        return number;
    }

    /** The value as a number (a LIST size in octets), -1 when it is not digits. */
    long valueAsNumber() {
        return digits(valueStart, valueEnd, MAX_SIZE_DIGITS);
    }

    /** The value as text (a UIDL), decoded as status lines are. */
    String value() {
        return Pop3Connection.text(bytes, valueStart, valueEnd - valueStart);
    }

    /** The whole line as text, for naming it in a WARN. */
    String text() {
        return Pop3Connection.text(bytes, 0, length).strip();
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
