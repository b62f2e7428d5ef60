package io.catalystmail.camel.mime;

import java.util.Locale;

import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.BodyDescriptorBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.RawField;

/**
 * Tells Mime4j's pull parser what each entity is: media type, boundary, charset, transfer encoding. Mime4j's own
 * builder does not read RFC 2231 parameters, so a multipart whose boundary is sent as {@code boundary*=} or in
 * continued sections ({@code boundary*0*=}, {@code boundary*1*=}) was taken for one text part holding the whole
 * multipart source, and a {@code charset*=} was ignored. Here the Content-Type is read by {@link MimeParameters},
 * which puts RFC 2231 sections together and decodes them. Defaults follow RFC 2045 section 5.2 (text/plain,
 * us-ascii) and RFC 2046 section 5.1.5 (message/rfc822 inside multipart/digest).
 */
final class PartDescriptorBuilder implements BodyDescriptorBuilder {

    private static final String DIGEST = "multipart/digest";

    private final String parentMimeType;

    private String mimeType;
    private String boundary;
    private String charset;
    private String transferEncoding;
    private long contentLength;

    PartDescriptorBuilder() {
        this(null);
    }

    private PartDescriptorBuilder(String parentMimeType) {
        this.parentMimeType = parentMimeType;
        reset();
    }

    @Override
    public void reset() {
        mimeType = null;
        boundary = null;
        charset = null;
        transferEncoding = null;
        contentLength = -1;
    }

    @Override
    public BodyDescriptorBuilder newChild() {
        return new PartDescriptorBuilder(mimeType);
    }

    @Override
    public Field addField(RawField field) {
        String name = field.getNameLowerCase();
        if (name.equals("content-type") && mimeType == null) {
            contentType(field.getBody());
        } else if (name.equals("content-transfer-encoding") && transferEncoding == null) {
            String value = field.getBody() == null ? "" : field.getBody().trim().toLowerCase(Locale.ROOT);
            transferEncoding = value.isEmpty() ? null : value;
        } else if (name.equals("content-length") && contentLength == -1) {
            contentLength = length(field.getBody());
        }
        return null; // the raw field serves the caller
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
            if (declaredBoundary == null || declaredBoundary.isEmpty()) {
                return; // a multipart without a boundary cannot be split: read as the default text
            }
            boundary = declaredBoundary;
        }
        mimeType = type;
        String declaredCharset = parameters.get("charset");
        charset = declaredCharset == null || declaredCharset.isBlank() ? null : declaredCharset.trim();
    }

    private static long length(String value) {
        try {
            return value == null ? -1 : Math.max(-1, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public BodyDescriptor build() {
        String type = mimeType;
        if (type == null) {
            type = DIGEST.equals(parentMimeType) ? "message/rfc822" : "text/plain";
        }
        int slash = type.indexOf('/');
        String actualCharset = charset == null && type.startsWith("text/") ? "us-ascii" : charset;
        return new Descriptor(type, type.substring(0, slash), type.substring(slash + 1), boundary, actualCharset,
                transferEncoding == null ? "7bit" : transferEncoding, contentLength);
    }

    private record Descriptor(String mimeType, String mediaType, String subType, String boundary, String charset,
            String transferEncoding, long contentLength) implements BodyDescriptor {

        @Override
        public String getBoundary() {
            return boundary;
        }

        @Override
        public String getMimeType() {
            return mimeType;
        }

        @Override
        public String getMediaType() {
            return mediaType;
        }

        @Override
        public String getSubType() {
            return subType;
        }

        @Override
        public String getCharset() {
            return charset;
        }

        @Override
        public String getTransferEncoding() {
            return transferEncoding;
        }

        @Override
        public long getContentLength() {
            return contentLength;
        }
    }
}
