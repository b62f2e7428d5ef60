package io.catalystmail.camel.mailbox;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the Date header field (RFC 5322 §3.3) leniently, as real mail needs and as mature readers (Python's
 * email.utils, Thunderbird) do: optional day name, two-digit and three-digit years (§4.3), obsolete and unknown
 * zone names (§4.3: an unknown zone is "-0000", taken as UTC), missing seconds or zone, comments such as "(CET)",
 * and the shapes broken mailers write: "04-Nov-25", the month before the day, the asctime order
 * ("Tue Nov  4 09:12:44 2025"), dots in the time, a zone without its sign ("0100") or with a colon ("+01:00").
 */
final class DateHeader {

    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    /** RFC 5322 §4.3 obsolete zones, and UTC, which mailers write although no RFC defines it. */
    private static final Map<String, Integer> ZONES = Map.ofEntries(Map.entry("UT", 0), Map.entry("UTC", 0),
            Map.entry("GMT", 0), Map.entry("Z", 0), Map.entry("EST", -5), Map.entry("EDT", -4), Map.entry("CST", -6),
            Map.entry("CDT", -5), Map.entry("MST", -7), Map.entry("MDT", -6), Map.entry("PST", -8), Map.entry("PDT", -7));
    /** Longer than any date; beyond it the value is garbage, not worth splitting. */
    private static final int MAX_LENGTH = 256;

    private DateHeader() {
    }

    /** The moment the header names, or null when it cannot be read. */
    static OffsetDateTime parse(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return null;
        }
        List<String> tokens = tokens(withoutComments(value));
        int month = 0;
        List<String> numbers = new ArrayList<>();
        String time = null;
        String zone = null;
        for (String token : tokens) {
            char first = token.charAt(0);
            if (time == null && (token.indexOf(':') > 0 || isDottedTime(token))) {
                time = token;
            } else if (Character.isLetter(first)) {
                int m = month == 0 ? monthOf(token) : 0;
                if (m > 0) {
                    month = m;
                } else if (time != null && zone == null) {
                    zone = token;
                }
                // else a day name, or words after the zone
            } else if ((first == '+' || first == '-') && time != null && zone == null) {
                zone = token;
            } else if (isDigits(token)) {
                if (numbers.size() < 2) {
                    numbers.add(token);
                } else if (time != null && zone == null && token.length() == 4) {
                    zone = "+" + token; // the sign left out
                }
            }
        }
        if (month == 0 || numbers.size() < 2 || time == null) {
            return null;
        }
        try {
            int day = Integer.parseInt(numbers.get(0));
            String yearText = numbers.get(1);
            if (yearText.length() > 4 || numbers.get(0).length() > 2) {
                return null;
            }
            int year = Integer.parseInt(yearText);
            if (yearText.length() == 2) {
                year += year < 50 ? 2000 : 1900;
            } else if (yearText.length() == 3) {
                year += 1900;
            }
            String[] fields = time.split("[:.]");
            if (fields.length < 2 || fields.length > 3) {
                return null;
            }
            int hour = Integer.parseInt(fields[0]);
            int minute = Integer.parseInt(fields[1]);
            int second = fields.length == 3 ? Integer.parseInt(fields[2]) : 0;
            ZoneOffset offset = zone == null ? ZoneOffset.UTC : zone(zone);
            if (offset == null) {
                return null;
            }
            // a leap second (RFC 5322 §3.3 allows 60) is read as the second before it
            return OffsetDateTime.of(year, month, day, hour, minute, Math.min(second, 59), 0, offset);
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    /** Words of the value; "04-Nov-25" (RFC 850 dates) becomes three. */
    private static List<String> tokens(String value) {
        List<String> tokens = new ArrayList<>();
        for (String word : value.replace(',', ' ').trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            String[] dashed = word.split("-");
            if (dashed.length == 3 && !dashed[0].isEmpty() && Character.isDigit(dashed[0].charAt(0))
                    && monthOf(dashed[1]) > 0) {
                tokens.addAll(List.of(dashed));
            } else {
                tokens.add(word);
            }
        }
        return tokens;
    }

    private static int monthOf(String token) {
        if (token.length() < 3 || !token.chars().allMatch(Character::isLetter)) {
            return 0;
        }
        return MONTHS.indexOf(token.substring(0, 3).toLowerCase(Locale.ROOT)) + 1;
    }

    private static boolean isDigits(String token) {
        return !token.isEmpty() && token.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isDottedTime(String token) {
        String[] fields = token.split("\\.");
        return fields.length >= 2 && fields.length <= 3 && List.of(fields).stream().allMatch(f -> isDigits(f) && f.length() <= 2);
    }

    private static ZoneOffset zone(String z) {
        String digits = z.length() == 6 && z.charAt(3) == ':' ? z.substring(0, 3) + z.substring(4) : z;
        if ((digits.startsWith("+") || digits.startsWith("-")) && digits.length() == 5 && isDigits(digits.substring(1))) {
            int hours = Integer.parseInt(digits.substring(1, 3));
            int minutes = Integer.parseInt(digits.substring(3));
            int sign = digits.charAt(0) == '-' ? -1 : 1;
            return hours > 18 || minutes > 59 ? null : ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        }
        String upper = z.toUpperCase(Locale.ROOT);
        if (ZONES.containsKey(upper)) {
            return ZoneOffset.ofHours(ZONES.get(upper));
        }
        // military letters and other names (CET, BST, ...) mean nothing certain: "-0000", unknown, taken as UTC
        return upper.chars().allMatch(Character::isLetter) ? ZoneOffset.UTC : null;
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
