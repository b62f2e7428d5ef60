package io.catalystmail.camel.mime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Content-Type line of a composed multipart (RFC 2046 §5.1.1), written as Mime4j's builder wrote it: the
 * subtype's parameter, if any, then the boundary as a quoted string (Mime4j's boundaries hold '=', no token
 * character, RFC 2045 §5.1). Folding breaks a line only at white space and a boundary of {@link MultipartBoundaries}
 * has a fixed length and none, so the line of a subtype has the same octets for every boundary but the boundary's
 * own: it is formatted and folded once per subtype, and a message's line is a copy with its boundary written in. Built
 * and folded per message, it was the largest method the JIT compiler still compiled while a one-thread sender was
 * measured (22 KB of code).
 */
final class MultipartFields {

    /**
     * One per subtype and parameter; the composer's own few (mixed, alternative, related with its type), never a value
     * from an exchange, so the map stays that small.
     */
    private static final Map<String, Template> TEMPLATES = new ConcurrentHashMap<>();

    private MultipartFields() {
    }

    /**
     * @param subtype   the multipart subtype, one of the composer's own
     * @param parameter the parameter written before the boundary (the composer's own), or null
     */
    static HeaderLine contentType(String subtype, String parameter, String boundary) {
        String key = parameter == null ? subtype : subtype + "; " + parameter;
        Template template = TEMPLATES.get(key);
        if (template == null) {
            template = TEMPLATES.computeIfAbsent(key, k -> Template.of(subtype, parameter));
        }
        return template == null || template.boundaryLength != boundary.length()
                ? format(subtype, parameter, boundary) : template.with(boundary);
    }

    /** The line formatted and folded from scratch. */
    static HeaderLine format(String subtype, String parameter, String boundary) {
        StringBuilder type = new StringBuilder("multipart/").append(subtype);
        if (parameter != null) {
            type.append("; ").append(parameter);
        }
        type.append("; boundary=").append(HeaderCodec.quoted(boundary));
        return MimeFields.field("Content-Type", type.toString());
    }

    /** A subtype's line with a sample boundary, and where the boundary's octets are. */
    private record Template(byte[] octets, int offset, int boundaryLength) {

        /** Null when the line is not ASCII (its octets would not line up with its characters). */
        static Template of(String subtype, String parameter) {
            String sample = MultipartBoundaries.next();
            byte[] octets = format(subtype, parameter, sample).octets();
            String line = new String(octets, java.nio.charset.StandardCharsets.ISO_8859_1);
            int offset = line.indexOf(sample);
            if (offset < 0 || !MailAddresses.isAscii(line)) {
                return null;
            }
            return new Template(octets, offset, sample.length());
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
