package io.catalystmail.camel.mailbox;

import java.time.OffsetDateTime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Odd Date headers from real mail, each with the moment Python 3.11's email.utils.parsedate_to_datetime (a
 * mature, lenient reader) gives; where it gives a time without zone (an unknown zone, "-0000"), RFC 5322 §4.3 has
 * us take UTC. Deliberate differences are marked: a three-digit year is 1900 + it (§4.3, Python keeps it), a leap
 * second is the second before it (Python rejects the date), "+01:00" is read as the offset it means (Python drops it).
 */
class DateHeaderLenientParsingTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Tue, 4 Nov 2025 09:12:44 +0100        | 2025-11-04T09:12:44+01:00",
        "Tue, 4 Nov 2025 09:12 +0100           | 2025-11-04T09:12:00+01:00",
        "4 Nov 25 09:12:44 GMT                 | 2025-11-04T09:12:44Z",
        "Tue, 04 Nov 99 09:12:44 EST           | 1999-11-04T09:12:44-05:00",
        "Tue, 4 Nov 2025 09:12:44 PDT          | 2025-11-04T09:12:44-07:00",
        "Tue, 4 Nov 2025 09:12:44 UT           | 2025-11-04T09:12:44Z",
        "Tue, 4 Nov 2025 09:12:44 UTC          | 2025-11-04T09:12:44Z",
        "Tue, 4 Nov 2025 09:12:44 Z            | 2025-11-04T09:12:44Z",
        "Tue, 4 Nov 2025 09:12:44 CET          | 2025-11-04T09:12:44Z",
        "Tue, 4 Nov 2025 09:12:44 +0100 (CET)  | 2025-11-04T09:12:44+01:00",
        "Tue, 4 Nov 2025 09:12:44 -0000        | 2025-11-04T09:12:44Z",
        "'Tue,  4 Nov 2025 9:12:44 +0100'      | 2025-11-04T09:12:44+01:00",
        "'Tuesday, 04-Nov-25 09:12:44 GMT'     | 2025-11-04T09:12:44Z",
        "Tue Nov  4 09:12:44 2025              | 2025-11-04T09:12:44Z",
        "'Tue, Nov 4 2025 09:12:44 +0100'      | 2025-11-04T09:12:44+01:00",
        "4 Nov 2025 09:12:44 +0100             | 2025-11-04T09:12:44+01:00",
        "Tue, 4 November 2025 09:12:44 +0100   | 2025-11-04T09:12:44+01:00",
        "Tue, 4 Nov 2025 09:12:44              | 2025-11-04T09:12:44Z",
        "Tue, 4 Nov 2025 09.12.44 +0100        | 2025-11-04T09:12:44+01:00",
        "Tue, 4 Nov 2025 09:12:44 0100         | 2025-11-04T09:12:44+01:00",
        "Tue, 4 Nov 2025 09:12:44 +01:00       | 2025-11-04T09:12:44+01:00",
        "Tue, 4 Nov 105 09:12:44 +0000         | 2005-11-04T09:12:44Z",
        "Sun, 31 Dec 2023 23:59:60 +0000       | 2023-12-31T23:59:59Z",
    })
    void readsWhatAMatureReaderReads(String header, String expected) {
        assertEquals(OffsetDateTime.parse(expected).toInstant(), DateHeader.parse(header).toInstant(), header);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "", "yesterday", "Tue, 4 Nov 2025", "Tue, 32 Nov 2025 09:12:44 +0100",
        "Tue, 4 Foo 2025 09:12:44 +0100", "Tue, 4 Nov 2025 25:12:44 +0100", "Tue, 4 Nov 2025 09:12:44 +9900" })
    void unreadableDatesGiveNull(String header) {
        assertNull(DateHeader.parse(header), header);
    }
}
