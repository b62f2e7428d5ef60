package io.catalystmail.camel.pop3;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fields of a UIDL or LIST line (RFC 1939 §5, §7) as read from the bytes: what a message number and a size
 * are, and what makes a line unusable (-1), which the listing then names and skips.
 */
class ListingLineTest {

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {
            "1 abc                   | 1          | abc        | -1",
            "2 1234                  | 2          | 1234       | 1234",
            "'  7 \t x9 more words'  | 7          | x9         | -1",
            "0042 10                 | 42         | 10         | 10",
            "2147483648 u            | 2147483648 | u          | -1",
            "99999999999 u           | -1         | u          | -1",
            "+5 u                    | -1         | u          | -1",
            "-5 u                    | -1         | u          | -1",
            "x u                     | -1         | u          | -1",
            "'3'                     | -1         | ''         | -1",
            "'3 '                    | -1         | ''         | -1",
            "''                      | -1         | ''         | -1",
            "4 999999999999999999    | 4          | 999999999999999999 | 999999999999999999",
            "4 9999999999999999999   | 4          | 9999999999999999999 | -1",
            "5 12a                   | 5          | 12a        | -1",
    })
    void fieldsAreTheFirstTwoRunsOfNonSpace(String line, long number, String value, long valueAsNumber) {
        byte[] wire = (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ListingLine parsed = new ListingLine().parse(wire, wire.length);

        assertEquals(number, parsed.number());
        assertEquals(value, parsed.value());
        assertEquals(valueAsNumber, parsed.valueAsNumber());
        assertEquals(line.strip(), parsed.text());
    }

    /** RFC 1939 §7 allows 0x21-0x7E in a UIDL; bytes beyond are decoded as status lines are, UTF-8 where valid. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"caf\u00e9, UTF-8", "caf\u00e9, ISO-8859-1"})
    void aUidlBeyondAsciiIsDecodedAsStatusLinesAre(String uidl, String charset) {
        byte[] wire = ("1 " + uidl + "\r\n").getBytes(Charset.forName(charset));
        ListingLine parsed = new ListingLine().parse(wire, wire.length);

        assertEquals(uidl, parsed.value());
    }
}
