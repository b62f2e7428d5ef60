package io.catalystmail.camel.mime;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An entity of an outgoing mail (RFC 2045 §2.4): its header lines and its body, which is either one source of octets
 * with the transfer encoding it is written in, or a multipart of further parts (RFC 2046 §5.1). The message itself is
 * the outermost part. Built once per mail and only written after that; sources are read while the mail is written.
 */
final class OutgoingPart {

    // arrays rather than lists: the writer's loops over them then meet one class of element holder only
    private final HeaderLine[] fields;
    private final BodySource source;
    private final String encoding;
    private final boolean binary;
    /** The boundary's octets, made once with the part rather than in the writer's layout loop. */
    private final byte[] boundary;
    private final OutgoingPart[] parts;

    private OutgoingPart(HeaderLine[] fields, BodySource source, String encoding, boolean binary, byte[] boundary,
            OutgoingPart[] parts) {
        this.fields = fields;
        this.source = source;
        this.encoding = encoding;
        this.binary = binary;
        this.boundary = boundary;
        this.parts = parts;
    }

    /**
     * A part of one body.
     *
     * @param encoding its Content-Transfer-Encoding (also among {@code fields})
     * @param binary   whether the octets are binary rather than text, which quoted-printable encodes differently
     *                 (a line break is then no line break)
     */
    static OutgoingPart single(List<HeaderLine> fields, BodySource source, String encoding, boolean binary) {
        return new OutgoingPart(fieldArray(fields, 0), source, encoding, binary, null, null);
    }

    /** A multipart whose Content-Type (among {@code fields}) names {@code boundary}. */
    static OutgoingPart multipart(List<HeaderLine> fields, String boundary, List<OutgoingPart> parts) {
        OutgoingPart[] children = new OutgoingPart[parts.size()];
        for (int i = 0; i < children.length; i++) {
            children[i] = parts.get(i);
        }
        return new OutgoingPart(fieldArray(fields, 0), null, null, false, boundary.getBytes(StandardCharsets.UTF_8),
                children);
    }

    /** The same body under {@code leading} followed by this part's own fields: the message around its root part. */
    OutgoingPart under(List<HeaderLine> leading) {
        HeaderLine[] all = fieldArray(leading, fields.length);
        System.arraycopy(fields, 0, all, leading.size(), fields.length);
        return new OutgoingPart(all, source, encoding, binary, boundary, parts);
    }

    /**
     * The fields in a new array with {@code room} more slots at its end. Copied here rather than by the list's
     * toArray: the JDK's toArray is shared with every other caller and element type, and the JIT compiler threw its
     * compiled code away for a new element type (a deoptimisation and a recompilation) while a sender was measured.
     */
    private static HeaderLine[] fieldArray(List<HeaderLine> fields, int room) {
        HeaderLine[] array = new HeaderLine[fields.size() + room];
        for (int i = 0, n = fields.size(); i < n; i++) {
            array[i] = fields.get(i);
        }
        return array;
    }

    HeaderLine[] fields() {
        return fields;
    }

    /** Null for a multipart. */
    BodySource source() {
        return source;
    }

    String encoding() {
        return encoding;
    }

    boolean binary() {
        return binary;
    }

    /** The boundary as written after the dashes of a delimiter line; null for a part of one body. */
    byte[] boundary() {
        return boundary;
    }

    OutgoingPart[] parts() {
        return parts;
    }

    boolean isMultipart() {
        return boundary != null;
    }
}
