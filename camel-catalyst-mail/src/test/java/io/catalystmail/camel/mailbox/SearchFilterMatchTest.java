package io.catalystmail.camel.mailbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SearchFilterMatchTest {

    /** A fixed "now" for relative dates: Sunday 22 Nov 2026, 12:00 UTC. */
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    record Facts(List<String[]> headers, long size, String bodyText, Instant arrivalDate, Set<String> flags)
            implements MessageFacts {

        static Facts of(String... nameValue) {
            List<String[]> headers = new ArrayList<>();
            for (int i = 0; i < nameValue.length; i += 2) {
                headers.add(new String[] { nameValue[i], nameValue[i + 1] });
            }
            return new Facts(headers, 1000, null, null, Set.of());
        }

        Facts withSize(long s) {
            return new Facts(headers, s, bodyText, arrivalDate, flags);
        }

        Facts withBody(String b) {
            return new Facts(headers, size, b, arrivalDate, flags);
        }

        Facts withArrival(Instant a) {
            return new Facts(headers, size, bodyText, a, flags);
        }

        Facts withFlags(String... f) {
            return new Facts(headers, size, bodyText, arrivalDate, Set.of(f));
        }

        @Override
        public List<String> headerValues(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
        }

        @Override
        public List<String> headerLines() {
            return headers.stream().map(h -> h[0] + ": " + h[1]).toList();
        }
    }

    private static final Facts MAIL = Facts.of("From", "Anna Boss <anna@example.org>", "To", "team@example.org",
            "To", "ops@example.net", "Subject", "Quarterly REPORT für Q3", "X-Priority", "1",
            "Date", "Fri, 20 Nov 2026 23:30:00 -0500 (EST)");

    private static boolean matches(String filter, MessageFacts facts) {
        return SearchFilter.parse(filter).matches(facts, NOW);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ALL|true",
            "FROM boss|true", "FROM ANNA@EXAMPLE.ORG|true", "FROM carl|false",
            "TO ops@|true", "TO team|true", "TO nobody|false", "CC x|false", "CC \"\"|false", "TO \"\"|true",
            "SUBJECT \"report für\"|true", "SUBJECT \"FÜR Q3\"|true", "SUBJECT invoice|false",
            "HEADER x-priority 1|true", "HEADER X-Priority 2|false", "HEADER X-Priority \"\"|true", "HEADER X-Spam \"\"|false",
            "FROM boss SUBJECT report|true", "FROM boss SUBJECT invoice|false",
            "OR FROM carl SUBJECT report|true", "OR FROM carl SUBJECT invoice|false", "OR FROM boss SUBJECT invoice|true",
            "NOT FROM carl|true", "NOT FROM boss|false", "NOT (FROM boss SUBJECT invoice)|true",
            "NOT OR FROM carl TO team|false",
            "LARGER 999|true", "LARGER 1000|false", "SMALLER 1001|true", "SMALLER 1000|false" })
    void headerSizeAndLogic(String filter, boolean expected) {
        assertEquals(expected, matches(filter, MAIL), filter);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // the Date header's own day is 20 Nov (-0500), though it is 21 Nov in UTC
            "SENTON 20-Nov-2026|true", "SENTON 21-Nov-2026|false", "SENTBEFORE 21-Nov-2026|true",
            "SENTBEFORE 20-Nov-2026|false", "SENTSINCE 20-Nov-2026|true", "SENTSINCE 21-Nov-2026|false",
            // POP3 has no arrival date: BEFORE/ON/SINCE fall back to the Date header
            "ON 20-Nov-2026|true", "SINCE 21-Nov-2026|false",
            // relative moments compare instants: the mail was sent 2026-11-21T04:30Z, 31.5 hours before NOW
            "SENTSINCE now-32h|true", "SENTSINCE now-31h|false", "SENTBEFORE now-31h|true", "SENTBEFORE now-32h|false",
            "SINCE now-2d|true", "SINCE now-1d|false", "SINCE now-1w|true", "SINCE now-1890m|true", "SINCE now-1889m|false",
            "SENTON now-1d|true", "SENTON now|false", "BEFORE now|true" })
    void datesFromTheDateHeader(String filter, boolean expected) {
        assertEquals(expected, matches(filter, MAIL), filter);
    }

    @Test
    void arrivalDateWinsOverTheDateHeaderForBeforeOnSince() {
        Facts arrived = MAIL.withArrival(Instant.parse("2026-11-22T11:00:00Z"));
        assertEquals(true, matches("ON 22-Nov-2026", arrived));
        assertEquals(false, matches("ON 20-Nov-2026", arrived));
        assertEquals(true, matches("SINCE now-1h", arrived));
        assertEquals(true, matches("SENTON 20-Nov-2026", arrived));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Tue, 1 Nov 2022 10:00:00 +0000|true", "1 Nov 2022 10:00 GMT|true", "01 nov 22 10:00:00 PDT|true",
            "Tue,  1 Nov 2022 23:59:59 +0100 (CET)|true", "1 November 2022 09:00:00 Z|true",
            "2 Nov 2022 00:00:00 -0000|false", "yesterday|false", "1 Nov 2022|false", "32 Nov 2022 10:00:00 +0000|false",
            "1 Nov 2022 10:00:00 +2500|false", "1 Nov 2022 10:00:00 CEST|true" })
    // an unknown zone name (CEST) is "-0000" by RFC 5322 section 4.3: the date is read, taken as UTC
    void dateHeadersAreReadLeniently(String date, boolean onNov1) {
        assertEquals(onNov1, matches("SENTON 1-Nov-2022", Facts.of("Date", date)), date);
    }

    @Test
    void missingDateNeverMatches() {
        Facts noDate = Facts.of("From", "x");
        assertEquals(false, matches("SENTBEFORE 1-Jan-2100", noDate));
        assertEquals(false, matches("SINCE 1-Jan-1970", noDate));
        assertEquals(true, matches("NOT SINCE 1-Jan-1970", noDate));
    }

    @Test
    void bodyAndText() {
        Facts withBody = MAIL.withBody("Please find the Invoice attached.");
        assertEquals(true, matches("BODY invoice", withBody));
        assertEquals(false, matches("BODY boss", withBody));
        assertEquals(true, matches("TEXT boss", withBody));
        assertEquals(true, matches("TEXT \"x-priority: 1\"", withBody));
        assertEquals(false, matches("TEXT nowhere", withBody));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> matches("BODY x", MAIL));
        assertEquals("BODY/TEXT needs the message body, which was not read", e.getMessage());
    }

    @Test
    void flags() {
        Facts flagged = MAIL.withFlags("\\Seen", "\\Flagged", "$Junk");
        assertEquals(true, matches("SEEN FLAGGED", flagged));
        assertEquals(false, matches("UNSEEN", flagged));
        assertEquals(true, matches("KEYWORD $junk", flagged));
        assertEquals(true, matches("UNKEYWORD done UNANSWERED", flagged));
        assertEquals(false, matches("NEW", flagged));
        assertEquals(true, matches("NEW", MAIL.withFlags("\\Recent")));
        assertEquals(false, matches("SEEN", MAIL));
    }

    @Test
    void unknownSizeMatchesNoSizeKey() {
        assertEquals(false, matches("LARGER 0", MAIL.withSize(-1)));
        assertEquals(false, matches("SMALLER 999999", MAIL.withSize(-1)));
    }

    @Test
    void substringMatchIgnoresCaseWithoutLocaleSurprises() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr"));
        try {
            assertEquals(true, matches("SUBJECT INVOICE", Facts.of("Subject", "your invoice")));
        } finally {
            Locale.setDefault(before);
        }
    }
}
