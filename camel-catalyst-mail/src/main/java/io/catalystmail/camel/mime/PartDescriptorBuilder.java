package io.catalystmail.camel.mime;

import java.util.Locale;

/**
 * Tells the parser what an entity is, from its header fields: media type, boundary, charset, transfer encoding.
 * The Content-Type is read by {@link MimeParameters}, which puts RFC 2231 sections together and decodes them, so a
 * boundary sent as {@code boundary*=} or in continued sections ({@code boundary*0*=}, {@code boundary*1*=}) and a
 * {@code charset*=} are understood. Defaults follow RFC 2045 section 5.2 (text/plain, us-ascii) and RFC 2046
 * section 5.1.5 (message/rfc822 inside multipart/digest). The first usable field of each name counts.
 */
final class PartDescriptorBuilder {

    private static final String DIGEST = "multipart/digest";

    /** What an entity is; {@code boundary} is set for a multipart only, which is always one that can be split. */
    record Descriptor(String mimeType, String boundary, String charset, String transferEncoding) {

        boolean isMultipart() {
            return boundary != null;
        }
    }

    private final String parentMimeType;

    private String mimeType;
    private String boundary;
    private String charset;
    private String transferEncoding;

    /** @param parentMimeType the enclosing multipart's type, or null for the message itself */
    PartDescriptorBuilder(String parentMimeType) {
        this.parentMimeType = parentMimeType;
    }

    void accept(RawHeaderField field) {
        if (field.isNamed("content-type") && mimeType == null) {
            contentType(field.byteValue());
        } else if (field.isNamed("content-transfer-encoding") && transferEncoding == null) {
            String value = field.byteValue().trim().toLowerCase(Locale.ROOT);
            transferEncoding = value.isEmpty() ? null : value;
        }
    }

    private void contentType(String value) {
        MimeParameters parameters = MimeParameters.parse(value);
        String declared = parameters.value();
        int slash = declared.indexOf('/');
        String media = slash < 0 ? "" : declared.substring(0, slash).trim();
        String sub = slash < 0 ? "" : declared.substring(slash + 1).trim();
        if (media.isEmpty() || sub.isEmpty() || sub.indexOf('/') >= 0) {
            return; // not a media type: the default applies, as if there were no Content-Type
        }
        String type = media + "/" + sub;
        String declaredBoundary = parameters.get("boundary");
        if (type.startsWith("multipart/")) {
            if (declaredBoundary == null || declaredBoundary.isEmpty()
                    || declaredBoundary.length() > DelimitedInput.MAX_BOUNDARY) {
                return; // a multipart without a usable boundary cannot be split: read as the default text
            }
            boundary = declaredBoundary;
        }
        mimeType = type;
        String declaredCharset = parameters.get("charset");
        charset = declaredCharset == null || declaredCharset.isBlank() ? null : declaredCharset.trim();
    }

    Descriptor build() {
        String type = mimeType;
        if (type == null) {
            type = DIGEST.equals(parentMimeType) ? "message/rfc822" : "text/plain";
        }
        String actualCharset = charset == null && type.startsWith("text/") ? "us-ascii" : charset;
        return new Descriptor(type, boundary, actualCharset, transferEncoding == null ? "7bit" : transferEncoding);
    }
}
