package io.catalystmail.camel.mime;

import java.util.Locale;

/**
 * Tells the parser what an entity is, from its header fields: media type, boundary, charset, transfer encoding.
 * The Content-Type is read by {@link MimeParameters}, which puts RFC 2231 sections together and decodes them, so a
 * boundary sent as {@code boundary*=} or in continued sections ({@code boundary*0*=}, {@code boundary*1*=}) and a
 * {@code charset*=} are understood. Defaults follow RFC 2045 section 5.2 (text/plain, us-ascii) and RFC 2046
 * section 5.1.5 (message/rfc822 inside multipart/digest). The first usable field of each name counts. A leaf
 * entity whose Content-Transfer-Encoding is none of RFC 2045's is application/octet-stream (section 6.4): its
 * bytes cannot be read as what the Content-Type says, so they go to the route undecoded, as an attachment.
 */
final class PartDescriptorBuilder {

    private static final String DIGEST = "multipart/digest";
    private static final String UNREADABLE = "application/octet-stream";

    /**
     * What an entity is; {@code boundary} is set for a multipart only, which is always one that can be split.
     * {@code typeDeclared}: the entity's first Content-Type field names {@code mimeType}, so the field as sent (with
     * its parameters) describes the part; false when a default, a later field or RFC 2045 section 6.4 chose the type.
     */
    record Descriptor(String mimeType, String boundary, String charset, String transferEncoding,
            boolean typeDeclared) {

        boolean isMultipart() {
            return boundary != null;
        }
    }

    private final String parentMimeType;

    private String mimeType;
    private String boundary;
    private String charset;
    private String transferEncoding;
    /** The media type of the entity's first Content-Type field, null when it has none or it names none. */
    private String firstDeclaredType;
    private boolean contentTypeSeen;

    /** @param parentMimeType the enclosing multipart's type, or null for the message itself */
    PartDescriptorBuilder(String parentMimeType) {
        this.parentMimeType = parentMimeType;
    }

    /**
     * One field of the entity's header. The value is made into a String only for the two fields asked for, in one
     * place, so the JIT compiler inlines its making once.
     */
    void accept(RawHeaderField field) {
        boolean type = mimeType == null && field.isNamed("content-type");
        if (type || transferEncoding == null && field.isNamed("content-transfer-encoding")) {
            String value = field.byteValue();
            if (type) {
                contentType(value);
            } else {
                transferEncoding = mechanism(value);
            }
        }
    }

    /**
     * The mechanism of a Content-Transfer-Encoding value (RFC 2045 section 6.1: one token), in lower case; null when
     * there is none. What follows the token is left out: a comment (RFC 822 structured fields allow them, "7bit
     * (as sent)"), a stray ';' or anything after white space; read whole, it made a known encoding unknown and a
     * text body an attachment.
     */
    private static String mechanism(String value) {
        int start = 0;
        while (start < value.length() && (value.charAt(start) <= ' ' || value.charAt(start) == '(')) {
            start = value.charAt(start) == '(' ? LexicalTokens.commentEnd(value, start, value.length()) : start + 1;
        }
        int end = start;
        while (end < value.length() && isTokenChar(value.charAt(end))) {
            end++;
        }
        return end == start ? null : value.substring(start, end).toLowerCase(Locale.ROOT);
    }

    private static boolean isTokenChar(char c) {
        return c > ' ' && c != '(' && c != ';';
    }

    private void contentType(String value) {
        MimeParameters parameters = MimeParameters.parse(value);
        String type = mediaType(parameters.value());
        if (!contentTypeSeen) {
            contentTypeSeen = true;
            firstDeclaredType = type;
        }
        if (type == null) {
            return; // not a media type: the default applies, as if there were no Content-Type
        }
        String[] declared = parameters.values("boundary", "charset");
        String declaredBoundary = declared[0];
        if (type.startsWith("multipart/")) {
            if (declaredBoundary == null || declaredBoundary.isEmpty()
                    || declaredBoundary.length() > DelimitedInput.MAX_BOUNDARY) {
                return; // a multipart without a usable boundary cannot be split: read as the default text
            }
            boundary = declaredBoundary;
        }
        mimeType = type;
        String declaredCharset = declared[1];
        charset = declaredCharset == null || declaredCharset.isBlank() ? null : declaredCharset.trim();
    }

    /**
     * "type/subtype" from the declared value (trimmed, lower case), white space around the slash removed; null when
     * it is not a media type: one slash, something on either side.
     */
    private static String mediaType(String declared) {
        int slash = declared.indexOf('/');
        if (slash <= 0 || slash == declared.length() - 1 || declared.indexOf('/', slash + 1) >= 0) {
            return null; // the value is trimmed, so a side that is there is more than white space
        }
        if (declared.charAt(slash - 1) > ' ' && declared.charAt(slash + 1) > ' ') {
            return declared; // "text/plain": nearly every field
        }
        return declared.substring(0, slash).trim() + "/" + declared.substring(slash + 1).trim();
    }

    Descriptor build() {
        String type = mimeType;
        if (type == null) {
            type = DIGEST.equals(parentMimeType) ? "message/rfc822" : "text/plain";
        }
        String encoding = transferEncoding == null ? "7bit" : transferEncoding;
        if (boundary == null && !isKnown(encoding)) {
            // RFC 2045 section 6.4: "Any entity with an unrecognized Content-Transfer-Encoding must be treated as if
            // it has a Content-Type of application/octet-stream". A multipart keeps its type: it may only be 7bit,
            // 8bit or binary, which change no byte, so its parts (which carry their own encodings) still split
            return new Descriptor(UNREADABLE, null, null, encoding, UNREADABLE.equals(firstDeclaredType));
        }
        String actualCharset = charset == null && type.startsWith("text/") ? "us-ascii" : charset;
        return new Descriptor(type, boundary, actualCharset, encoding, type.equals(firstDeclaredType));
    }

    /** The five encodings of RFC 2045 section 6.1 (the value is lower case and trimmed already). */
    private static boolean isKnown(String encoding) {
        return switch (encoding) {
            case "7bit", "8bit", "binary", "base64", "quoted-printable" -> true;
            default -> false;
        };
    }
}
