package io.catalystmail.camel.mime;

import java.nio.charset.StandardCharsets;

import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.util.ByteSequence;

/**
 * One header field of an outgoing mail as it goes on the wire, without its closing CRLF: {@code Name: body} folded at
 * white space (RFC 5322 §2.2.3) and encoded in UTF-8, the octets Mime4j's writer gave for the same name and body. A
 * field is formatted once and only written after that; nothing parses it again.
 */
record HeaderLine(String name, byte[] octets) {

    /** Written first in every composed message (RFC 2045 §4). */
    static final HeaderLine MIME_VERSION = folded("MIME-Version", "MIME-Version: 1.0");

    /** A field already folded by the caller ({@link MimeFields}, which checked its line lengths). */
    static HeaderLine folded(String name, String folded) {
        return new HeaderLine(name, folded.getBytes(StandardCharsets.UTF_8));
    }

    /** The octets Mime4j would write for a field it built (such as a parsed Content-Type). */
    static HeaderLine of(Field field) {
        ByteSequence raw = field.getSafeRaw();
        return new HeaderLine(field.getName(), raw.toByteArray());
    }
}
