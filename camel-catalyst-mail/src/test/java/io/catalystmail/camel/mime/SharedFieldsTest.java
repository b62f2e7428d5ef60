package io.catalystmail.camel.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TimeZone;
import java.util.stream.Stream;

import org.apache.james.mime4j.dom.field.ContentTransferEncodingField;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.field.Fields;
import org.apache.james.mime4j.stream.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fields shared between outgoing messages: the same octets and parsed values as the fields Mime4j makes per message
 * (which the composer used before), lent again instead of made again, and never more than a bounded number kept.
 */
class SharedFieldsTest {

    /** The field as Mime4j's writer puts it into a message. */
    private static byte[] raw(Field field) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            new org.apache.james.mime4j.message.DefaultMessageWriter().writeField(field, out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The line as the outgoing writer puts it into a message. */
    private static byte[] raw(HeaderLine line) {
        byte[] octets = java.util.Arrays.copyOf(line.octets(), line.octets().length + 2);
        octets[octets.length - 2] = '\r';
        octets[octets.length - 1] = '\n';
        return octets;
    }

    @Test
    void theDateFieldIsMime4jsForAnyInstantAndIsSharedWithinItsSecondOnly() {
        SplittableRandom random = new SplittableRandom(5322);
        List<Long> instants = new ArrayList<>(List.of(0L, 999L, 1000L, -1L, -1000L, -1001L, 951_782_400_000L,
                4_102_444_799_999L, System.currentTimeMillis()));
        for (int i = 0; i < 2000; i++) {
            instants.add(random.nextLong(-2_000_000_000_000L, 5_000_000_000_000L));
        }
        for (long millis : instants) {
            assertArrayEquals(raw(Fields.date(new Date(millis))), raw(SharedFields.date(millis)), "at " + millis);
        }
        long second = 1_700_000_000_000L;
        assertSame(SharedFields.date(second), SharedFields.date(second + 999));
        assertNotSame(SharedFields.date(second + 999), SharedFields.date(second + 1000));
    }

    @Test
    void theDateFieldFollowsTheDefaultTimeZoneAsMime4jDoes() {
        TimeZone before = TimeZone.getDefault();
        try {
            for (String zone : List.of("UTC", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham")) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                long millis = 1_800_000_000_000L + zone.length() * 1000L; // a second not used before in this test
                assertArrayEquals(raw(Fields.date(new Date(millis))), raw(SharedFields.date(millis)), zone);
            }
        } finally {
            TimeZone.setDefault(before);
        }
    }

    static Stream<String> contentTypes() {
        return Stream.of("text/plain", "text/html", "application/octet-stream", "TEXT/Plain",
                "image/png; x-extra=\"q v\"",
                "text/plain; charset=ISO-8859-1", "text/csv; charset=UTF-8; header=present",
                "application/pdf; name=\"r\u00e9sum\u00e9.pdf\"", "text/plain;charset=\"utf-8\"; format=flowed",
                "multipart/mixed; boundary=\"abc\"", "nonsense", "text/");
    }

    @ParameterizedTest
    @MethodSource("contentTypes")
    void aSharedContentTypeIsMime4jsFieldAndTheSameObjectNextTime(String value) {
        ContentTypeField fresh = Fields.contentType(value);
        ContentType shared = SharedFields.contentType(value);
        assertArrayEquals(raw(fresh), raw(shared.line()));
        assertEquals(fresh.getMimeType(), shared.parsed().getMimeType());
        assertEquals(fresh.getParameters(), shared.parsed().getParameters());
        assertEquals(fresh.getCharset(), shared.parsed().getCharset());
        assertSame(shared, SharedFields.contentType(value), "parsed once, lent again");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "text/html", "application/json", "text/x-very-long-subtype-name"})
    void aContentTypeWithACharsetIsTheOneMime4jBuildsFromAMap(String mimeType) {
        for (String charset : List.of("UTF-8", "ISO-8859-1", "windows-1252")) {
            ContentTypeField fresh = Fields.contentType(mimeType, Map.of("charset", charset));
            ContentType shared = SharedFields.contentType(mimeType, "charset", charset);
            assertArrayEquals(raw(fresh), raw(shared.line()));
            assertEquals(fresh.getCharset(), shared.parsed().getCharset());
            assertSame(shared, SharedFields.contentType(mimeType, "charset", charset));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"7bit", "quoted-printable", "base64", "8bit"})
    void aSharedTransferEncodingIsMime4jsField(String encoding) {
        ContentTransferEncodingField fresh = Fields.contentTransferEncoding(encoding);
        HeaderLine shared = SharedFields.transferEncoding(encoding);
        assertArrayEquals(raw(fresh), raw(shared));
        assertEquals(fresh.getName(), shared.name());
        assertSame(shared, SharedFields.transferEncoding(encoding));
    }

    @Test
    void everNewContentTypesNeverKeepMoreThanTheLimit() {
        for (int i = 0; i < SharedFields.MAX_ENTRIES * 3; i++) {
            String value = "application/x-generated-" + i;
            assertEquals(value, SharedFields.contentType(value).parsed().getMimeType());
            assertTrue(SharedFields.sharedContentTypes() <= SharedFields.MAX_ENTRIES,
                    "kept: " + SharedFields.sharedContentTypes());
        }
        String common = "text/plain; charset=UTF-8";
        assertSame(SharedFields.contentType(common), SharedFields.contentType(common), "kept again after the limit");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = { "mixed|-", "alternative|-", "related|type=\"text/html\"" })
    void aMultipartLineFromItsTemplateIsTheLineFormattedForTheSameBoundary(String subtype, String parameter) {
        for (int i = 0; i < 200; i++) {
            String boundary = MultipartBoundaries.next();
            assertEquals(text(MimeFields.multipartContentType(subtype, parameter, boundary)),
                    text(SharedFields.multipartContentType(subtype, parameter, boundary)));
        }
        // a boundary of another length is not what the template was made for: formatted from scratch
        String other = "short=boundary";
        assertEquals(text(MimeFields.multipartContentType(subtype, parameter, other)),
                text(SharedFields.multipartContentType(subtype, parameter, other)));
    }

    private static String text(HeaderLine line) {
        return line.name() + "|" + new String(line.octets(), StandardCharsets.UTF_8);
    }
}
