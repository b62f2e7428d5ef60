package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.activation.DataHandler;

import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.apache.camel.WrappedFile;
import org.apache.camel.attachment.Attachment;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.DefaultAttachmentMessage;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.field.Fields;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * The MIME tree of an outgoing mail (RFC 2046): the body alone, or wrapped in multipart/alternative when an
 * alternative body is given (plain text first, HTML last, section 5.1.4), multipart/related when attachments
 * with a Content-ID belong to the HTML (RFC 2387), and multipart/mixed when there are other attachments.
 * Stream and file sources stay unread until the message is written.
 */
final class BodyStructure {

    private static final String HTML = "text/html";
    private static final String PLAIN = "text/plain";
    /** multipart/related's start type when the HTML part leads it (RFC 2387 §3.1). */
    private static final String RELATED_TO_HTML = "type=" + HeaderCodec.quoted(HTML);

    private final OutgoingPart root;
    private final boolean inMemory;
    private final boolean repeatable;

    private BodyStructure(OutgoingPart root, boolean inMemory, boolean repeatable) {
        this.root = root;
        this.inMemory = inMemory;
        this.repeatable = repeatable;
    }

    /**
     * The root part: its fields (Content-Type, and Content-Transfer-Encoding of a single part) belong at the end of
     * the message's header.
     */
    OutgoingPart root() {
        return root;
    }

    /** True when every part is held in memory, so counting the message's size is cheap. */
    boolean inMemory() {
        return inMemory;
    }

    /**
     * False when the exchange body is a stream, which the message reads once; attachments are read through their
     * data sources, which give a new stream on each read (jakarta.activation.DataSource#getInputStream).
     */
    boolean repeatable() {
        return repeatable;
    }

    static BodyStructure of(Message message, String contentType, String alternativeBody)
            throws IOException, InvalidPayloadException {
        ContentType type = contentType(contentType, "content type");
        if (type.parsed().isMultipart()) {
            throw new MailCompositionException(
                    "The content type is multipart; send a prepared multipart message with raw=true");
        }
        Object content = message.getBody();
        boolean inMemory = content == null || content instanceof String || content instanceof byte[];
        OutgoingPart main = textOrBinaryPart(message, content, type);

        OutgoingPart plain = null;
        OutgoingPart html = null;
        if (alternativeBody != null) {
            boolean mainIsHtml = HTML.equalsIgnoreCase(type.parsed().getMimeType());
            OutgoingPart alternative = stringPart(alternativeBody, mainIsHtml ? PLAIN : HTML);
            plain = mainIsHtml ? alternative : main;
            html = mainIsHtml ? main : alternative;
        } else if (HTML.equalsIgnoreCase(type.parsed().getMimeType())) {
            html = main;
        }

        List<OutgoingPart> inline = new ArrayList<>();
        List<OutgoingPart> attached = new ArrayList<>();
        // attachments live in an exchange property; a wrapper reads them whichever message class the route has
        AttachmentMessage am = message instanceof AttachmentMessage a ? a : new DefaultAttachmentMessage(message);
        if (am.hasAttachments()) {
            inMemory = false;
            for (Map.Entry<String, Attachment> entry : am.getAttachmentObjects().entrySet()) {
                // encoding would carry a line break safely, but the receiver would decode it into a file name
                MailFieldValues.requireSingleLine(entry.getKey(), "name of an attachment");
                String partType = entry.getValue().getDataHandler().getContentType();
                if (partType != null) {
                    MailFieldValues.requireSingleLine(partType, "content type of an attachment");
                }
                String contentId = contentId(entry.getValue());
                // inline parts only make sense next to an HTML part that refers to them by cid:
                boolean related = contentId != null && html != null;
                OutgoingPart part = attachmentPart(entry.getKey(), entry.getValue(), contentId, related);
                (related ? inline : attached).add(part);
            }
        }

        OutgoingPart root = main;
        if (!inline.isEmpty()) {
            List<OutgoingPart> parts = new ArrayList<>(inline.size() + 1);
            parts.add(html);
            parts.addAll(inline);
            html = multipart("related", RELATED_TO_HTML, parts);
            root = html;
        }
        if (plain != null) {
            root = multipart("alternative", null, List.of(plain, html));
        }
        if (!attached.isEmpty()) {
            List<OutgoingPart> parts = new ArrayList<>(attached.size() + 1);
            parts.add(root);
            parts.addAll(attached);
            root = multipart("mixed", null, parts);
        }
        return new BodyStructure(root, inMemory, !isStream(content));
    }

    /** A multipart of {@code parts} under a new boundary (RFC 2046 §5.1.1). */
    private static OutgoingPart multipart(String subtype, String parameter, List<OutgoingPart> parts) {
        String boundary = MultipartBoundaries.next();
        return OutgoingPart.multipart(List.of(SharedFields.multipartContentType(subtype, parameter, boundary)),
                boundary, parts);
    }

    /** The exchange body as a part: text in its charset (quoted-printable or 7bit), anything else base64. */
    private static OutgoingPart textOrBinaryPart(Message message, Object content, ContentType type)
            throws InvalidPayloadException {
        boolean text = type.parsed().getMimeType().toLowerCase(Locale.ROOT).startsWith("text/");
        if (content == null) {
            content = "";
        }
        if (!(content instanceof String || content instanceof byte[] || isStream(content))) {
            content = text ? message.getMandatoryBody(String.class) : message.getMandatoryBody(byte[].class);
        }
        if (content instanceof String s) {
            Charset charset = charsetOf(type);
            return text ? textPart(s, charset, withCharset(type, charset))
                    : binaryPart(() -> new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), type);
        }
        if (content instanceof byte[] bytes) {
            if (text) {
                charsetOf(type); // refused here when this JVM does not know it, as for a String body
                return inMemoryText(bytes, type);
            }
            return binaryPart(() -> new ByteArrayInputStream(bytes), type);
        }
        BodySource once = oneShot(message.getMandatoryBody(InputStream.class));
        if (text) {
            charsetOf(type);
            String encoding = TransferEncoding.forStreamedText();
            return OutgoingPart.single(List.of(type.line(), SharedFields.transferEncoding(encoding)), once, encoding,
                    false);
        }
        return binaryPart(once, type);
    }

    private static OutgoingPart stringPart(String text, String mimeType) {
        return textPart(text, StandardCharsets.UTF_8, SharedFields.contentType(mimeType, "charset", "UTF-8"));
    }

    /** A String text body: written as it is when it can go 7bit, else first encoded in its charset. */
    private static OutgoingPart textPart(String text, Charset charset, ContentType type) {
        SevenBitText sevenBit = SevenBitText.of(text, charset);
        if (sevenBit == null) {
            return inMemoryText(text.getBytes(charset), type);
        }
        String encoding = MimeUtil.ENC_7BIT;
        return OutgoingPart.single(List.of(type.line(), SharedFields.transferEncoding(encoding)), sevenBit, encoding,
                false);
    }

    /** Text already encoded in its charset: quoted-printable treats its line breaks as line breaks. */
    private static OutgoingPart inMemoryText(byte[] bytes, ContentType type) {
        String encoding = TransferEncoding.forText(bytes);
        return OutgoingPart.single(List.of(type.line(), SharedFields.transferEncoding(encoding)),
                () -> new ByteArrayInputStream(bytes), encoding, false);
    }

    private static OutgoingPart binaryPart(BodySource source, ContentType type) {
        String encoding = TransferEncoding.forBinary();
        return OutgoingPart.single(List.of(type.line(), SharedFields.transferEncoding(encoding)), source, encoding,
                true);
    }

    /**
     * An attachment: Content-Type with the legacy name parameter, Content-Disposition with an RFC 2231 file name,
     * base64 encoded while written, then the attachment's own other headers.
     */
    private static OutgoingPart attachmentPart(String name, Attachment attachment, String contentId, boolean inline) {
        DataHandler handler = attachment.getDataHandler();
        ContentTypeField declared = contentType(handler.getContentType(), "content type of an attachment").parsed();
        StringBuilder type = new StringBuilder(declared.getMimeType());
        declared.getParameters().forEach((key, value) -> {
            if (!key.equals("name") && HeaderCodec.isPlainAscii(value)) {
                type.append("; ").append(key).append('=').append(HeaderCodec.quoted(value));
            }
        });
        StringBuilder disposition = new StringBuilder(inline ? "inline" : "attachment");
        if (name != null && !name.isEmpty()) {
            type.append("; ").append(HeaderCodec.legacyNameParameter(name));
            disposition.append("; ").append(HeaderCodec.fileNameParameter("filename", name));
        }
        String encoding = TransferEncoding.forBinary();
        List<HeaderLine> fields = new ArrayList<>(5);
        fields.add(MimeFields.field("Content-Type", type.toString()));
        fields.add(SharedFields.transferEncoding(encoding));
        fields.add(MimeFields.field("Content-Disposition", disposition.toString()));
        if (contentId != null) {
            fields.add(MimeFields.field("Content-ID", contentId));
        }
        addAttachmentHeaders(fields, attachment);
        return OutgoingPart.single(fields, AttachmentSource.of(handler), encoding, true);
    }

    /** Fields composed for every attachment part; the attachment's own headers of these names are not used. */
    private static final java.util.Set<String> COMPOSED_PART_FIELDS = java.util.Set.of("content-type",
            "content-transfer-encoding", "content-disposition", "content-id");

    /**
     * The attachment's other headers (Content-Description, say, set through Camel's {@link Attachment#setHeader}),
     * each checked for CR, LF and NUL like every written header.
     */
    private static void addAttachmentHeaders(List<HeaderLine> fields, Attachment attachment) {
        for (String name : attachment.getHeaderNames()) {
            if (COMPOSED_PART_FIELDS.contains(name.toLowerCase(Locale.ROOT)) || !OutgoingHeaders.isFieldName(name)) {
                continue;
            }
            for (String value : attachment.getHeaderAsList(name)) {
                if (value != null && !value.isBlank()) {
                    MailFieldValues.requireSingleLine(value, "header " + name + " of an attachment");
                    fields.add(MimeFields.unstructured(name, value.strip()));
                }
            }
        }
    }

    /** The attachment's Content-ID in angle brackets (RFC 2392), or null. */
    private static String contentId(Attachment attachment) {
        String id = attachment.getHeader("Content-ID");
        if (id == null) {
            id = attachment.getHeader("Content-Id");
        }
        if (id == null || id.isBlank()) {
            return null;
        }
        MailFieldValues.requireSingleLine(id, "Content-ID of an attachment");
        id = id.trim();
        return id.startsWith("<") ? id : "<" + id + ">";
    }

    static ContentType contentType(String value, String what) {
        if (value == null || value.isBlank()) {
            return SharedFields.contentType("application/octet-stream");
        }
        ContentType type = SharedFields.contentType(value);
        ContentTypeField field = type.parsed();
        if (field.getParseException() != null || field.getMimeType() == null || !field.getMimeType().contains("/")) {
            throw new MailCompositionException("The " + what + " is not a valid MIME type");
        }
        return type;
    }

    private static Charset charsetOf(ContentType type) {
        String name = type.parsed().getCharset();
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            throw new MailCompositionException("The charset of the content type is not supported by this JVM");
        }
    }

    private static ContentType withCharset(ContentType type, Charset charset) {
        ContentTypeField parsed = type.parsed();
        if (parsed.getCharset() != null) {
            return type;
        }
        if (parsed.getParameters().isEmpty()) {
            return SharedFields.contentType(parsed.getMimeType(), "charset", charset.name());
        }
        Map<String, String> parameters = new LinkedHashMap<>(parsed.getParameters());
        parameters.put("charset", charset.name());
        return ContentType.of(Fields.contentType(parsed.getMimeType(), parameters));
    }

    private static boolean isStream(Object content) {
        return content instanceof InputStream || content instanceof StreamCache || content instanceof File
                || content instanceof Path || content instanceof WrappedFile<?>;
    }

    /** A stream body can be read once; a second write (which the producer never attempts) fails clearly. */
    private static BodySource oneShot(InputStream stream) {
        boolean[] opened = new boolean[1];
        return () -> {
            synchronized (opened) {
                if (opened[0]) {
                    throw new IOException("The stream body was already sent and cannot be read again");
                }
                opened[0] = true;
            }
            return stream;
        };
    }
}
