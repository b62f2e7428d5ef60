package io.catalystmail.camel.mailbox;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the Date header field (RFC 5322 §3.3) leniently, as real mail needs: optional day name, two-digit
 * and three-digit years (§4.3), obsolete zone names, missing seconds or zone, comments such as "(CET)".
 */
final class DateHeader {

    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    /** RFC 5322 §4.3 obsolete zones; military letters are "-0000" there, i.e. unknown, taken as UTC. */
    private static final Map<String, Integer> ZONES = Map.of("UT", 0, "GMT", 0, "EST", -5, "EDT", -4, "CST",
            -6, "CDT", -5, "MST", -7, "MDT", -6, "PST", -8, "PDT", -7);

    private DateHeader() {
    }

    /** The moment the header names, or null when it cannot be read. */
    static OffsetDateTime parse(String value) {
        if (value == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String p : withoutComments(value).replace(',', ' ').trim().split("\\s+")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        if (!parts.isEmpty() && !parts.get(0).isEmpty() && Character.isLetter(parts.get(0).charAt(0))) {
            parts.remove(0); // day of week, not needed
        }
        if (parts.size() < 4) {
            return null;
        }
        try {
            int day = Integer.parseInt(parts.get(0));
            int month = MONTHS.indexOf(parts.get(1).substring(0, Math.min(3, parts.get(1).length()))
                    .toLowerCase(Locale.ROOT)) + 1;
            int year = Integer.parseInt(parts.get(2));
            if (month == 0) {
                return null;
            }
            if (parts.get(2).length() == 2) {
                year += year < 50 ? 2000 : 1900;
            } else if (parts.get(2).length() == 3) {
                year += 1900;
            }
            String[] time = parts.get(3).split(":");
            if (time.length < 2 || time.length > 3) {
                return null;
            }
            int hour = Integer.parseInt(time[0]);
            int minute = Integer.parseInt(time[1]);
            int second = time.length == 3 ? Integer.parseInt(time[2]) : 0;
            ZoneOffset zone = parts.size() > 4 ? zone(parts.get(4)) : ZoneOffset.UTC;
            if (zone == null) {
                return null;
            }
            return OffsetDateTime.of(year, month, day, hour, minute, Math.min(second, 59), 0, zone);
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    private static ZoneOffset zone(String z) {
        boolean numeric = z.length() == 5 && z.substring(1).chars().allMatch(Character::isDigit);
        if ((z.startsWith("+") || z.startsWith("-")) && numeric) {
            int hours = Integer.parseInt(z.substring(1, 3));
            int minutes = Integer.parseInt(z.substring(3));
            int sign = z.charAt(0) == '-' ? -1 : 1;
            return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        }
        String upper = z.toUpperCase(Locale.ROOT);
        if (ZONES.containsKey(upper)) {
            return ZoneOffset.ofHours(ZONES.get(upper));
        }
        return upper.length() == 1 && Character.isLetter(upper.charAt(0)) ? ZoneOffset.UTC : null;
    }

    private static String withoutComments(String value) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
