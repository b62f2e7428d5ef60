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
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.field.Fields;
import org.apache.james.mime4j.message.BodyPart;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.MultipartBuilder;
import org.apache.james.mime4j.stream.NameValuePair;

/**
 * The MIME tree of an outgoing mail (RFC 2046): the body alone, or wrapped in multipart/alternative when an
 * alternative body is given (plain text first, HTML last, section 5.1.4), multipart/related when attachments
 * with a Content-ID belong to the HTML (RFC 2387), and multipart/mixed when there are other attachments.
 * Stream and file sources stay unread until the message is written.
 */
final class BodyStructure {

    private static final String HTML = "text/html";
    private static final String PLAIN = "text/plain";

    private final Body body;
    private final List<org.apache.james.mime4j.stream.Field> fields;
    private final boolean inMemory;
    private final boolean repeatable;

    private BodyStructure(Body body, List<org.apache.james.mime4j.stream.Field> fields, boolean inMemory,
            boolean repeatable) {
        this.body = body;
        this.fields = fields;
        this.inMemory = inMemory;
        this.repeatable = repeatable;
    }

    /** The root body to put into the message. */
    Body body() {
        return body;
    }

    /** Content fields the root entity needs (Content-Type and Content-Transfer-Encoding of a single part). */
    List<org.apache.james.mime4j.stream.Field> fields() {
        return fields;
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
        ContentTypeField type = contentType(contentType, "content type");
        if (type.isMultipart()) {
            throw new MailCompositionException("The content type is multipart; send a prepared multipart message with raw=true");
        }
        Object content = message.getBody();
        boolean inMemory = content == null || content instanceof String || content instanceof byte[];
        BodyPart main = textOrBinaryPart(message, content, type);

        BodyPart plain = null;
        BodyPart html = null;
        if (alternativeBody != null) {
            boolean mainIsHtml = HTML.equalsIgnoreCase(type.getMimeType());
            BodyPart alternative = stringPart(alternativeBody, mainIsHtml ? PLAIN : HTML);
            plain = mainIsHtml ? alternative : main;
            html = mainIsHtml ? main : alternative;
        } else if (HTML.equalsIgnoreCase(type.getMimeType())) {
            html = main;
        }

        List<BodyPart> inline = new ArrayList<>();
        List<BodyPart> attached = new ArrayList<>();
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
                BodyPart part = attachmentPart(entry.getKey(), entry.getValue().getDataHandler(), contentId, related);
                addAttachmentHeaders(part, entry.getValue());
                (related ? inline : attached).add(part);
            }
        }

        BodyPart root = main;
        if (!inline.isEmpty()) {
            MultipartBuilder related = MultipartBuilder.create("related").addBodyPart(html)
                    .addContentTypeParameter(new NameValuePair("type", HTML));
            inline.forEach(related::addBodyPart);
            html = BodyPartBuilder.create().setBody(related.build()).build();
            root = html;
        }
        if (plain != null) {
            root = BodyPartBuilder.create()
                    .setBody(MultipartBuilder.create("alternative").addBodyPart(plain).addBodyPart(html).build()).build();
        }
        if (!attached.isEmpty()) {
            MultipartBuilder mixed = MultipartBuilder.create("mixed").addBodyPart(root);
            attached.forEach(mixed::addBodyPart);
            root = BodyPartBuilder.create().setBody(mixed.build()).build();
        }
        Body rootBody = root.removeBody();
        List<org.apache.james.mime4j.stream.Field> rootFields = new ArrayList<>(root.getHeader().getFields());
        return new BodyStructure(rootBody, rootFields, inMemory, !isStream(content));
    }

    /** The exchange body as a part: text in its charset (quoted-printable or 7bit), anything else base64. */
    private static BodyPart textOrBinaryPart(Message message, Object content, ContentTypeField type)
            throws InvalidPayloadException {
        boolean text = type.getMimeType().toLowerCase(Locale.ROOT).startsWith("text/");
        if (content == null) {
            content = "";
        }
        if (!(content instanceof String || content instanceof byte[] || isStream(content))) {
            content = text ? message.getMandatoryBody(String.class) : message.getMandatoryBody(byte[].class);
        }
        if (content instanceof String s) {
            Charset charset = charsetOf(type);
            ContentTypeField withCharset = text ? withCharset(type, charset) : type;
            return text ? inMemoryText(s.getBytes(charset), withCharset, charset)
                    : binaryPart(() -> new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), type);
        }
        if (content instanceof byte[] bytes) {
            return text ? inMemoryText(bytes, type, charsetOf(type)) : binaryPart(() -> new ByteArrayInputStream(bytes), type);
        }
        BodySource once = oneShot(message.getMandatoryBody(InputStream.class));
        if (text) {
            return BodyPartBuilder.create().setBody(new StreamedTextBody(once, charsetOf(type)))
                    .setField(type).setField(SharedFields.transferEncoding(TransferEncoding.forStreamedText())).build();
        }
        return binaryPart(once, type);
    }

    private static BodyPart stringPart(String text, String mimeType) {
        ContentTypeField type = SharedFields.contentType(mimeType, "charset", "UTF-8");
        return inMemoryText(text.getBytes(StandardCharsets.UTF_8), type, StandardCharsets.UTF_8);
    }

    private static BodyPart inMemoryText(byte[] bytes, ContentTypeField type, Charset charset) {
        return BodyPartBuilder.create().setBody(new StreamedTextBody(() -> new ByteArrayInputStream(bytes), charset))
                .setField(type).setField(SharedFields.transferEncoding(TransferEncoding.forText(bytes))).build();
    }

    private static BodyPart binaryPart(BodySource source, ContentTypeField type) {
        return BodyPartBuilder.create().setBody(new StreamedBinaryBody(source))
                .setField(type).setField(SharedFields.transferEncoding(TransferEncoding.forBinary())).build();
    }

    /**
     * An attachment: Content-Type with the legacy name parameter, Content-Disposition with an RFC 2231 file name,
     * base64 encoded while written.
     */
    private static BodyPart attachmentPart(String name, DataHandler handler, String contentId, boolean inline) {
        ContentTypeField declared = contentType(handler.getContentType(), "content type of an attachment");
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
        BodyPartBuilder part = BodyPartBuilder.create().setBody(new StreamedBinaryBody(handler::getInputStream));
        part.setField(MimeFields.field("Content-Type", type.toString()));
        part.setField(SharedFields.transferEncoding(TransferEncoding.forBinary()));
        part.setField(MimeFields.field("Content-Disposition", disposition.toString()));
        if (contentId != null) {
            part.setField(MimeFields.field("Content-ID", contentId));
        }
        return part.build();
    }

    /** Fields composed for every attachment part; the attachment's own headers of these names are not used. */
    private static final java.util.Set<String> COMPOSED_PART_FIELDS = java.util.Set.of("content-type",
            "content-transfer-encoding", "content-disposition", "content-id");

    /**
     * The attachment's other headers (Content-Description, say, set through Camel's {@link Attachment#setHeader}),
     * each checked for CR, LF and NUL like every written header.
     */
    private static void addAttachmentHeaders(BodyPart part, Attachment attachment) {
        for (String name : attachment.getHeaderNames()) {
            if (COMPOSED_PART_FIELDS.contains(name.toLowerCase(Locale.ROOT)) || !OutgoingHeaders.isFieldName(name)) {
                continue;
            }
            for (String value : attachment.getHeaderAsList(name)) {
                if (value != null && !value.isBlank()) {
                    MailFieldValues.requireSingleLine(value, "header " + name + " of an attachment");
                    part.getHeader().addField(MimeFields.unstructured(name, value.strip()));
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

    static ContentTypeField contentType(String value, String what) {
        if (value == null || value.isBlank()) {
            return SharedFields.contentType("application/octet-stream");
        }
        ContentTypeField field = SharedFields.contentType(value);
        if (field.getParseException() != null || field.getMimeType() == null || !field.getMimeType().contains("/")) {
            throw new MailCompositionException("The " + what + " is not a valid MIME type");
        }
        return field;
    }

    private static Charset charsetOf(ContentTypeField type) {
        String name = type.getCharset();
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            throw new MailCompositionException("The charset of the content type is not supported by this JVM");
        }
    }

    private static ContentTypeField withCharset(ContentTypeField type, Charset charset) {
        if (type.getCharset() != null) {
            return type;
        }
        if (type.getParameters().isEmpty()) {
            return SharedFields.contentType(type.getMimeType(), "charset", charset.name());
        }
        Map<String, String> parameters = new LinkedHashMap<>(type.getParameters());
        parameters.put("charset", charset.name());
        return Fields.contentType(type.getMimeType(), parameters);
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
