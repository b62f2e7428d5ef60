package io.catalystmail.camel.mime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Field names match case-insensitively in US-ASCII only, letter by letter; other characters exactly. */
class AsciiNamesTest {

    @ParameterizedTest(name = "''{0}'' is ''{1}'': {2}")
    @CsvSource({ "Content-Type, content-type, true", "CONTENT-TYPE, content-type, true",
            "content-type, content-type, true", "Content-Typ, content-type, false",
            "Content-Types, content-type, false", "Content_Type, content-type, false", "Content-Tzpe, content-type, false", "Message-ID, message-id, true", "@, `, false", "[, {, false",
            "Content\tType, content-type, false", "'', '', true" })
    void namesAreEqualIgnoringTheCaseOfAsciiLettersOnly(String name, String lowerCaseName, boolean equal) {
        assertEquals(equal, AsciiNames.equalsLowerCase(name, lowerCaseName));
        assertEquals(name.equalsIgnoreCase(lowerCaseName), AsciiNames.equalsLowerCase(name, lowerCaseName),
                "as String.equalsIgnoreCase for US-ASCII");
    }

    @ParameterizedTest(name = "''{0}'' starts with ''{1}'': {2}")
    @CsvSource({ "CamelFileName, camel, true", "CAMELX, camel, true", "camel, camel, true", "Came, camel, false",
            "XCamel, camel, false", "Cam3l, camel, false" })
    void prefixesMatchIgnoringTheCaseOfAsciiLettersOnly(String name, String lowerCasePrefix, boolean starts) {
        assertEquals(starts, AsciiNames.startsWithLowerCase(name, lowerCasePrefix));
    }
}
