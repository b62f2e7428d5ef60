package io.catalystmail.camel.mime;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.field.Fields;

/**
 * Header fields that most outgoing mails share (the body's {@code text/plain; charset=UTF-8}, an attachment's
 * {@code application/octet-stream}, the transfer encodings), parsed and formatted into their octets once and lent to
 * every message that needs them instead of being formatted and parsed again per message: in a profile of one-thread
 * sending that parsing was about a tenth of the sender's samples, and its methods among the last the JIT compiler
 * worked on. A multipart's Content-Type line differs from message to message only in its boundary, so it is kept as a
 * template the boundary is written into.
 *
 * <p>Mime4j parses a field lazily and marks it parsed before it is, so a field is only shared once it is fully parsed
 * (by this class, before it is published through the map); after that it is only read. At most {@value #MAX_ENTRIES}
 * distinct values are kept, so routes that send ever new content types cannot grow it: when that many are kept, they
 * are dropped and the map fills again with what is sent from then on.
 */
final class SharedFields {

    static final int MAX_ENTRIES = 256;
    /** Longest value kept: the usual content types are short; a long one is unlikely to come again. */
    private static final int MAX_VALUE_LENGTH = 200;

    private static final Map<String, ContentType> CONTENT_TYPES = new ConcurrentHashMap<>();
    private static final Map<String, HeaderLine> ENCODINGS = new ConcurrentHashMap<>();
    /** One per multipart subtype and parameter: the composer's own few, never a value from an exchange. */
    private static final Map<String, MultipartTemplate> MULTIPART_TYPES = new ConcurrentHashMap<>();

    /** The Date field of the current second; formatting it (java.time, per message) was 7 % of the samples. */
    private static volatile DatedField lastDate;

    private record DatedField(long second, HeaderLine field) {
    }

    private SharedFields() {
    }

    /**
     * The Date field (RFC 5322 §3.6.1) for {@code millis}, as {@link Fields#date(java.util.Date)} formats it: the
     * field has a resolution of seconds, so messages composed within the same second share one.
     */
    static HeaderLine date(long millis) {
        long second = Math.floorDiv(millis, 1000L);
        DatedField last = lastDate;
        if (last != null && last.second() == second) {
            return last.field();
        }
        HeaderLine field = HeaderLine.of(Fields.date(new java.util.Date(second * 1000L)));
        lastDate = new DatedField(second, field);
        return field;
    }

    /** {@link Fields#contentType(String)}, parsed (a value Mime4j cannot parse is not kept). */
    static ContentType contentType(String value) {
        return contentType(value, () -> Fields.contentType(value));
    }

    /**
     * A Content-Type of a MIME type and one parameter, as {@code Fields.contentType(mimeType, Map.of(name, value))}
     * builds it.
     */
    static ContentType contentType(String mimeType, String parameter, String value) {
        return contentType(mimeType + '\0' + parameter + '\0' + value,
                () -> Fields.contentType(mimeType, Map.of(parameter, value)));
    }

    private static ContentType contentType(String key, Supplier<ContentTypeField> parse) {
        ContentType shared = CONTENT_TYPES.get(key);
        if (shared != null) {
            return shared;
        }
        ContentTypeField field = parse.get();
        // every lazily parsed value is computed here, on this thread, before any other thread can see the field
        field.getMimeType();
        ContentType type = ContentType.of(field);
        if (field.getParseException() == null && key.length() <= MAX_VALUE_LENGTH) {
            if (CONTENT_TYPES.size() >= MAX_ENTRIES) {
                CONTENT_TYPES.clear(); // a route sending ever new types: start over, so the common ones come back
            }
            CONTENT_TYPES.putIfAbsent(key, type);
        }
        return type;
    }

    /** How many content types are kept, for tests. */
    static int sharedContentTypes() {
        return CONTENT_TYPES.size();
    }

    /** The line of {@link Fields#contentTransferEncoding(String)} for the encodings the composer chooses. */
    static HeaderLine transferEncoding(String encoding) {
        HeaderLine shared = ENCODINGS.get(encoding);
        if (shared != null) {
            return shared;
        }
        HeaderLine field = HeaderLine.of(Fields.contentTransferEncoding(encoding));
        if (ENCODINGS.size() < MAX_ENTRIES) {
            ENCODINGS.putIfAbsent(encoding, field);
        }
        return field;
    }

    /**
     * The Content-Type line of a composed multipart, {@link MimeFields#multipartContentType}'s octets for
     * {@code boundary}: a copy of the subtype's template with the boundary written in when it has the template's
     * length (every boundary of {@link MultipartBoundaries} has), else formatted from scratch.
     *
     * @param subtype   the multipart subtype, one of the composer's own
     * @param parameter the parameter written before the boundary (the composer's own), or null
     */
    static HeaderLine multipartContentType(String subtype, String parameter, String boundary) {
        String key = parameter == null ? subtype : subtype + "; " + parameter;
        MultipartTemplate template = MULTIPART_TYPES.get(key);
        if (template == null) {
            template = MultipartTemplate.of(subtype, parameter);
            if (template != null && MULTIPART_TYPES.size() < MAX_ENTRIES) {
                MULTIPART_TYPES.putIfAbsent(key, template);
            }
        }
        return template == null || template.boundaryLength() != boundary.length()
                ? MimeFields.multipartContentType(subtype, parameter, boundary) : template.with(boundary);
    }

    /**
     * A subtype's line formatted with a sample boundary, and where the boundary's octets are. Folding breaks a line
     * only at white space, and a boundary of {@link MultipartBoundaries} has a fixed length and none, so the line has
     * the same octets for every such boundary but the boundary's own. Built and folded per message, it was the
     * largest method the JIT compiler still compiled while a one-thread sender was measured (22 KB of code).
     */
    private record MultipartTemplate(byte[] octets, int offset, int boundaryLength) {

        /** Null when the line is not ASCII (its octets would not line up with its characters). */
        static MultipartTemplate of(String subtype, String parameter) {
            String sample = MultipartBoundaries.next();
            byte[] octets = MimeFields.multipartContentType(subtype, parameter, sample).octets();
            String line = new String(octets, StandardCharsets.ISO_8859_1);
            int offset = line.indexOf(sample);
            if (offset < 0 || !MailAddresses.isAscii(line)) {
                return null;
            }
            return new MultipartTemplate(octets, offset, sample.length());
        }

        HeaderLine with(String boundary) {
            byte[] line = octets.clone();
            for (int i = 0; i < boundaryLength; i++) {
                line[offset + i] = (byte) boundary.charAt(i);
            }
            return new HeaderLine("Content-Type", line);
        }
    }
}
