package io.catalystmail.camel.mime;

/**
 * One header field as received: its name, and its bytes from the name to the end of its last line, folding line
 * breaks included (RFC 5322 section 2.2).
 */
record RawHeaderField(String name, byte[] raw, int colon) {

    boolean isNamed(String lowerCaseName) {
        return name.equalsIgnoreCase(lowerCaseName);
    }

    /** The value unfolded and trimmed, encoded-words still encoded: UTF-8 when valid (RFC 6532), else ISO-8859-1. */
    String unfoldedValue() {
        return HeaderDecoder.unfoldedValue(raw, colon + 1, raw.length);
    }

    /** The value as the route sees it: unfolded, encoded-words decoded, on one line. */
    String decodedValue() {
        return HeaderDecoder.singleLine(HeaderDecoder.decodeEncodedWords(unfoldedValue()));
    }

    /** The value unfolded and trimmed, one character per byte: MIME parameters whose bytes must stay exact. */
    String byteValue() {
        return HeaderDecoder.unfoldedLatin1(raw, colon + 1, raw.length);
    }
}
