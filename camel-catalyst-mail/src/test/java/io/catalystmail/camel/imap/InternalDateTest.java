package io.catalystmail.camel.imap;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The fixed-position INTERNALDATE reader agrees with java.time's pattern parser and declines what it cannot read. */
class InternalDateTest {

    private static final DateTimeFormatter PATTERN = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("d-MMM-yyyy HH:mm:ss Z").toFormatter(Locale.ENGLISH);
    private static final DateTimeFormatter WRITER = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);

    @Test
    void agreesWithThePatternParserOnManyDates() {
        Random random = new Random(3501);
        for (int i = 0; i < 5_000; i++) {
            OffsetDateTime time = OffsetDateTime.ofInstant(Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE)),
                    ZoneOffset.ofTotalSeconds((random.nextInt(37) - 18) * 1800));
            String text = WRITER.format(time);
            if (random.nextBoolean() && text.startsWith("0")) {
                text = text.substring(1); // one-digit day, its padding space stripped by the caller
            }
            assertEquals(OffsetDateTime.parse(text, PATTERN).toInstant(), parse(text), text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "17-Jul-1996 02:44:25 -0700", "7-Jul-1996 02:44:25 -0700", " 7-Jul-1996 02:44:25 -0700", "01-JAN-2024 00:00:00 +0000",
            "29-feb-2024 23:59:59 +1400" })
    void readsTheRfc3501Examples(String text) {
        assertEquals(OffsetDateTime.parse(text.strip(), PATTERN).toInstant(), parse(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "17-Jul-1996", "17-Jly-1996 02:44:25 -0700", "30-Feb-2024 10:00:00 +0000",
            "17-Jul-1996 24:00:00 +0000", "17-Jul-1996 02:60:25 +0000", "17-Jul-1996 02:44:25 +2500",
            "17-Jul-1996 02:44:25 0700", "17/Jul/1996 02:44:25 -0700", "x7-Jul-1996 02:44:25 -0700",
            "17-Jul-1996T02:44:25 -0700", "17-Jul-1996 02:44:25 -07:00", " 17-Jul-1996 02:44:25 -070" })
    void declinesWhatIsNotAFixedRfc3501DateTime(String text) {
        assertNull(parse(text), text);
    }

    /** As the reader hands it over: the octets of the quoted string, in a token buffer longer than the value. */
    private static Instant parse(String text) {
        byte[] octets = text.getBytes(StandardCharsets.UTF_8);
        return InternalDate.parse(Arrays.copyOf(octets, octets.length + 10), octets.length);
    }
}
