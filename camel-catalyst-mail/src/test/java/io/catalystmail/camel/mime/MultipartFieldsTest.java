package io.catalystmail.camel.mime;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A multipart's Content-Type line made from its subtype's template is the line formatted and folded from scratch. */
class MultipartFieldsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = { "mixed|-", "alternative|-", "related|type=\"text/html\"" })
    void theLineFromTheTemplateIsTheLineFormattedForTheSameBoundary(String subtype, String parameter) {
        for (int i = 0; i < 200; i++) {
            String boundary = MultipartBoundaries.next();
            assertEquals(text(MultipartFields.format(subtype, parameter, boundary)),
                    text(MultipartFields.contentType(subtype, parameter, boundary)));
        }
        // a boundary of another length is not what the template was made for: formatted from scratch
        String other = "short=boundary";
        assertEquals(text(MultipartFields.format(subtype, parameter, other)),
                text(MultipartFields.contentType(subtype, parameter, other)));
    }

    private static String text(HeaderLine line) {
        return line.name() + "|" + new String(line.octets(), StandardCharsets.UTF_8);
    }
}
