package io.catalystmail.camel.mime;

/**
 * One header field as received: its name, and its bytes from the name to the end of its last line, folding line
 * breaks included (RFC 5322 section 2.2).
 */
record RawHeaderField(String name, byte[] raw, int colon) {

    /**
     * True when the name is {@code lowerCaseName} in any case. A field name is printable US-ASCII (RFC 5322 section
     * 3.6.8, checked when the field was read), so folding A-Z is all there is to it; String.equalsIgnoreCase would
     * bring its Unicode case tables into every caller the JIT compiler inlines this into, once per field asked.
     */
    boolean isNamed(String lowerCaseName) {
        return AsciiNames.equalsLowerCase(name, lowerCaseName);
    }

    /** The value unfolded and trimmed, encoded-words still encoded: UTF-8 when valid (RFC 6532), else ISO-8859-1. */
    String unfoldedValue() {
        return HeaderDecoder.unfoldedValue(raw, colon + 1, raw.length);
    }

    /**
     * The value as the route sees it: unfolded, encoded-words decoded, on one line. In an address field a decoded
     * display name that holds a special is quoted, so the value still parses as the mailboxes that were sent.
     */
    String decodedValue() {
        String value = unfoldedValue();
        if (value.indexOf("=?") >= 0) { // the field name is looked at only when there is something to decode
            value = AddressFieldDecoder.isAddressField(name)
                    ? AddressFieldDecoder.decode(value) : HeaderDecoder.decodeEncodedWords(value);
        }
        return HeaderDecoder.singleLine(value);
    }

    /** The value unfolded and trimmed, one character per byte: MIME parameters whose bytes must stay exact. */
    String byteValue() {
        return HeaderDecoder.unfoldedLatin1(raw, colon + 1, raw.length);
    }
}
