package io.catalystmail.camel.imap;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads an INTERNALDATE (RFC 3501 §9 date-time: {@code dd-Mon-yyyy HH:mm:ss +zzzz}, the day possibly space-padded)
 * by its fixed positions. Every fetched message carries one, and java.time's pattern parser spent more CPU on it
 * than the rest of the FETCH response's items together; a value of any other shape answers null, for the caller's
 * lenient parser to judge.
 */
final class InternalDate {

    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

    private InternalDate() {
    }

    /**
     * The instant the first {@code length} octets of {@code text} spell, or null when they are not in the fixed form
     * or name no real time. A one-digit day may come with its padding space or without it.
     * <p>
     * Split in two so that each stays under HotSpot's 325-byte limit for inlining a hot method (FreqInlineSize): run
     * once per fetched message, one method of 388 bytes was compiled on its own only after some 5,000 messages,
     * running profiled until then, instead of inside the compiled FETCH parsing that calls it.
     */
    static Instant parse(byte[] text, int length) {
        int from = length == 26 && text[0] == ' ' ? 1 : 0;
        // one-digit days: " 7-Jul-1996 02:44:25 -0700" as sent, or "7-Jul-1996 ..." stripped
        int d = length - from == 26 ? from : length - from == 25 ? from - 1 : Integer.MIN_VALUE;
        if (d == Integer.MIN_VALUE || text[d + 2] != '-' || text[d + 6] != '-' || text[d + 11] != ' '
                || text[d + 14] != ':' || text[d + 17] != ':' || text[d + 20] != ' ') {
            return null;
        }
        int day = d < from ? digits(text, from, 1) : digits(text, d, 2);
        return instant(day, month(text, d + 3), digits(text, d + 7, 4), text, d + 12);
    }

    /** The instant of the date and the time and zone at {@code time} ({@code HH:mm:ss +zzzz}), or null. */
    private static Instant instant(int day, int month, int year, byte[] text, int time) {
        int hour = digits(text, time, 2);
        int minute = digits(text, time + 3, 2);
        int second = digits(text, time + 6, 2);
        byte sign = text[time + 9];
        int zoneHours = digits(text, time + 10, 2);
        int zoneMinutes = digits(text, time + 12, 2);
        if ((day | month | year | hour | minute | second | zoneHours | zoneMinutes) < 0 || (sign != '+' && sign != '-')
                || hour > 23 || minute > 59 || second > 59 || zoneHours > 18 || zoneMinutes > 59) {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException noSuchDay) {
            return null;
        }
        long offset = (zoneHours * 3600L + zoneMinutes * 60L) * (sign == '-' ? -1 : 1);
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offset);
    }

    /** The decimal number in {@code count} octets from {@code from}, or -1. */
    private static int digits(byte[] text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int c = text[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** 1 to 12 for the three-letter English month at {@code from}, any case; -1 for anything else. */
    private static int month(byte[] text, int from) {
        int a = lowerCase(text[from]);
        int b = lowerCase(text[from + 1]);
        int c = lowerCase(text[from + 2]);
        for (int m = 0; m < 12; m++) {
            if (MONTHS.charAt(m * 3) == a && MONTHS.charAt(m * 3 + 1) == b && MONTHS.charAt(m * 3 + 2) == c) {
                return m + 1;
            }
        }
        return -1;
    }

    private static int lowerCase(byte c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
}
