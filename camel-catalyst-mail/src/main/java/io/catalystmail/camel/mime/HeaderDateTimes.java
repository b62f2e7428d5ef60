package io.catalystmail.camel.mime;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.util.Calendar;
import java.util.Date;
import java.util.Locale;

/**
 * Date and time values a route puts into a header, written as RFC 5322 section 3.3 date-time
 * ({@code Wed, 2 Dec 2026 17:05:09 +0200}) rather than as {@code Date.toString()} or ISO 8601, which mail readers
 * do not take for a date. Values without a zone (LocalDateTime) are not instants and are left to Camel's converter,
 * and so is a {@link java.sql.Time}: a JDBC TIME column's time of day, which as a Date would read as 1 Jan 1970.
 */
final class HeaderDateTimes {

    /**
     * day-of-week "," day month year time zone, the zone as +hhmm (section 3.3 zone; "GMT" is obsolete syntax). The
     * year is 4*DIGIT: digits only, without the '+' a "yyyy" pattern puts before a year beyond 9999 (a JDBC
     * timestamp 'infinity' is in the year 292278994).
     */
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("EEE, d MMM ")
            .appendValue(ChronoField.YEAR, 4, 10, SignStyle.NORMAL)
            .appendPattern(" HH:mm:ss xx")
            .toFormatter(Locale.ENGLISH);

    /** RFC 5322 section 3.3: "The year is any numeric year 1900 or later." */
    private static final int FIRST_YEAR = 1900;

    private HeaderDateTimes() {
    }

    /**
     * The value as an RFC 5322 date-time, or null when it is no point in time with a zone.
     *
     * @throws MailCompositionException for a year before 1900, which section 3.3 cannot write (a negative year came
     *                                  out as '-0005', no date to any reader)
     */
    static String format(Object value, String headerName) {
        ZonedDateTime when;
        if (value instanceof java.sql.Time) {
            return null; // its toString() is the time of day, as camel-mail writes it
        } else if (value instanceof Date date) {
            // as camel-mail and Mime4j write a Date; from its millis, as java.sql.Date's toInstant() throws
            when = Instant.ofEpochMilli(date.getTime()).atZone(ZoneId.systemDefault());
        } else if (value instanceof Calendar calendar) {
            // its zone's offset at that instant, not toZoneId(): that throws for an ID java.time does not know (a
            // TimeZone made by code, new SimpleTimeZone(3600000, "Europe/Works"))
            long millis = calendar.getTimeInMillis();
            when = Instant.ofEpochMilli(millis)
                    .atZone(ZoneOffset.ofTotalSeconds(calendar.getTimeZone().getOffset(millis) / 1000));
        } else if (value instanceof Instant instant) {
            when = instant.atZone(ZoneOffset.UTC);
        } else if (value instanceof OffsetDateTime offset) {
            when = offset.toZonedDateTime();
        } else if (value instanceof ZonedDateTime zoned) {
            when = zoned;
        } else {
            return null;
        }
        if (when.getYear() < FIRST_YEAR) {
            throw new MailCompositionException("The header " + headerName + " holds a date-time in the year "
                    + when.getYear() + ", before the year " + FIRST_YEAR + " that RFC 5322 section 3.3 can write;"
                    + " refusing to send (a String value is written as it is)");
        }
        return DATE_TIME.format(when);
    }
}
