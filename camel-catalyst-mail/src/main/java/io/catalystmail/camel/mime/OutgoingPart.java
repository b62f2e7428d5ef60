package io.catalystmail.camel.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * An entity of an outgoing mail (RFC 2045 §2.4): its header lines and its body, which is either one source of octets
 * with the transfer encoding it is written in, or a multipart of further parts (RFC 2046 §5.1). The message itself is
 * the outermost part. Built once per mail and only written after that; sources are read while the mail is written.
 */
final class OutgoingPart {

    private final List<HeaderLine> fields;
    private final BodySource source;
    private final String encoding;
    private final boolean binary;
    private final String boundary;
    private final List<OutgoingPart> parts;

    private OutgoingPart(List<HeaderLine> fields, BodySource source, String encoding, boolean binary, String boundary,
            List<OutgoingPart> parts) {
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
        return new OutgoingPart(fields, source, encoding, binary, null, null);
    }

    /** A multipart whose Content-Type (among {@code fields}) names {@code boundary}. */
    static OutgoingPart multipart(List<HeaderLine> fields, String boundary, List<OutgoingPart> parts) {
        return new OutgoingPart(fields, null, null, false, boundary, parts);
    }

    /** The same body under {@code leading} followed by this part's own fields: the message around its root part. */
    OutgoingPart under(List<HeaderLine> leading) {
        List<HeaderLine> all = new ArrayList<>(leading.size() + fields.size());
        all.addAll(leading);
        all.addAll(fields);
        return new OutgoingPart(all, source, encoding, binary, boundary, parts);
    }

    List<HeaderLine> fields() {
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

    /** Null for a part of one body. */
    String boundary() {
        return boundary;
    }

    List<OutgoingPart> parts() {
        return parts;
    }

    boolean isMultipart() {
        return boundary != null;
    }
}
