package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * Reads a message once, front to back, with Mime4j's pull parser: the top-level header fields, decoded, and every
 * leaf part's decoded content into storage. The pull parser keeps its own stack of open entities, so deep
 * nesting costs no Java stack; multiparts nested deeper than the limit are read flat, as one opaque part. A
 * multipart in which no delimiter matches its boundary yields its content (all preamble then) as a text part.
 * Content-Type parameters are read with RFC 2231 ({@link PartDescriptorBuilder}); a header section missing its
 * empty line ends at the first line that cannot be a field ({@link HeaderSeparatorRepair}).
 * message/rfc822 parts are not descended into: they are attachments, kept with their original bytes.
 */
final class PartReader {

    /** More leaf parts than any real message has; beyond it a message is treated as hostile. */
    static final int MAX_PARTS = 10_000;

    /** Longest Content-Type, -Disposition or -ID kept per part: long enough for RFC 2231 continued names. */
    private static final int MAX_KEPT_FIELD = 64 * 1024;

    /** One field of the top-level header, value decoded for the route. */
    record HeaderField(String name, String value) {
    }

    /** A leaf part: its MIME description, its content-related fields as sent (unfolded), its decoded content. */
    record Part(int number, String mimeType, String charset, String contentType, String contentDisposition,
            String contentId, StoredBody body, boolean opaque) {
    }

    record ParsedMessage(List<HeaderField> headers, List<Part> parts) {
    }

    private final MimeConfig config;
    private final int maxNestingDepth;

    PartReader(MimeLimits limits) {
        this.config = MimeConfig.custom()
                .setStrictParsing(false)
                .setMaxLineLen(limits.maxHeaderLineLength())
                .setMaxHeaderLen(limits.maxHeaderLineLength())
                .setMaxHeaderCount(limits.maxHeaderCount())
                .setMaxContentLen(-1)
                // HeaderSeparatorRepair already ended each header at a line that cannot be a field; what is left
                // (an mbox "From " line at the top) is skipped. Mime4j's own rule loses the line after the bad one
                .setMalformedHeaderStartsBody(false)
                .build();
        this.maxNestingDepth = limits.maxNestingDepth();
    }

    /** The whole message: header fields and stored leaf parts. */
    ParsedMessage read(InputStream in, MessageBodies bodies) throws IOException, MimeException, MessageParseException {
        HeaderSeparatorRepair repaired = new HeaderSeparatorRepair(in);
        try {
            return read(newStream(repaired), bodies);
        } finally {
            repaired.release();
        }
    }

    private ParsedMessage read(MimeTokenStream stream, MessageBodies bodies)
            throws IOException, MimeException, MessageParseException {
        List<HeaderField> headers = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        PartFields fields = new PartFields();
        boolean inTopHeader = true;
        Deque<OpenMultipart> open = new ArrayDeque<>();
        for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
            switch (state) {
                case T_START_HEADER -> fields = new PartFields();
                case T_FIELD -> {
                    Field field = stream.getField();
                    if (inTopHeader) {
                        headers.add(new HeaderField(field.getName(), HeaderDecoder.decodedValue(field)));
                    }
                    fields.accept(field);
                }
                case T_END_HEADER -> {
                    inTopHeader = false;
                    // read before the parser decides whether to descend: too deep, and the part stays flat
                    stream.setRecursionMode(open.size() >= maxNestingDepth ? RecursionMode.M_FLAT : RecursionMode.M_NO_RECURSE);
                }
                case T_START_MULTIPART -> open.push(new OpenMultipart(parts.size()));
                case T_PREAMBLE -> open.peek().preamble = store(stream.getInputStream(), bodies);
                case T_END_MULTIPART -> {
                    OpenMultipart ended = open.pop();
                    if (ended.preamble != null && parts.size() == ended.firstPart && !isBlank(ended.preamble)) {
                        // no delimiter matched the boundary: everything sits in the preamble, keep it as text. A
                        // multipart reusing its parent's boundary ends at once with nothing in it (its parts are
                        // read as its parent's, as tolerant readers do): it adds no empty text part to be the body
                        parts.add(new Part(parts.size() + 1, "text/plain", null, null, null, null, ended.preamble, false));
                    } else if (ended.preamble != null) {
                        bodies.discard(ended.preamble);
                    }
                }
                case T_BODY -> {
                    if (parts.size() >= MAX_PARTS) {
                        throw new MessageParseException("The message has more than " + MAX_PARTS + " parts", true, null);
                    }
                    BodyDescriptor descriptor = stream.getBodyDescriptor();
                    String mimeType = descriptor.getMimeType() == null ? "application/octet-stream"
                            : descriptor.getMimeType().toLowerCase(Locale.ROOT);
                    StoredBody body = storeDecoded(stream, descriptor, bodies);
                    parts.add(new Part(parts.size() + 1, mimeType, descriptor.getCharset(), fields.contentType,
                            fields.contentDisposition, fields.contentId, body, mimeType.startsWith("multipart/")));
                }
                default -> {
                    // the epilogue carries nothing for the route; the parser skips it
                }
            }
        }
        return new ParsedMessage(headers, parts);
    }

    /** Only the top-level header fields; stops at the end of the header block, leaving the body unread. */
    List<HeaderField> readHeader(InputStream in) throws IOException, MimeException {
        HeaderSeparatorRepair repaired = new HeaderSeparatorRepair(in);
        try {
            return readHeader(newStream(repaired));
        } finally {
            repaired.release();
        }
    }

    private static List<HeaderField> readHeader(MimeTokenStream stream) throws IOException, MimeException {
        List<HeaderField> headers = new ArrayList<>();
        for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM
                && state != EntityState.T_END_HEADER; state = stream.next()) {
            if (state == EntityState.T_FIELD) {
                Field field = stream.getField();
                headers.add(new HeaderField(field.getName(), HeaderDecoder.decodedValue(field)));
            }
        }
        return headers;
    }

    /** The decoded Subject of an attached message, or null when it has none or its header cannot be read. */
    String subjectOf(StoredBody message) {
        try (InputStream in = message.open()) {
            for (HeaderField field : readHeader(in)) {
                if (field.name().equalsIgnoreCase("Subject")) {
                    return field.value();
                }
            }
        } catch (IOException | MimeException | RuntimeException unreadable) {
            // the attachment keeps a generated name
        }
        return null;
    }

    private MimeTokenStream newStream(InputStream in) {
        MimeTokenStream stream = new MimeTokenStream(config, DecodeMonitor.SILENT, new PartDescriptorBuilder());
        stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
        stream.parse(in);
        return stream;
    }

    /**
     * The part's content with its transfer encoding undone. Base64, the encoding of nearly every attachment, is
     * decoded by our chunked decoder; quoted-printable and the identity encodings by Mime4j.
     */
    private static InputStream decoded(MimeTokenStream stream, BodyDescriptor descriptor) {
        return "base64".equalsIgnoreCase(descriptor.getTransferEncoding())
                ? new Base64DecodingInputStream(stream.getInputStream()) : stream.getDecodedInputStream();
    }

    private static StoredBody storeDecoded(MimeTokenStream stream, BodyDescriptor descriptor, MessageBodies bodies)
            throws IOException {
        InputStream content = decoded(stream, descriptor);
        try {
            return store(content, bodies);
        } finally {
            if (content instanceof Base64DecodingInputStream base64) {
                base64.release();
            }
        }
    }

    private static StoredBody store(InputStream content, MessageBodies bodies) throws IOException {
        try (BodySink sink = bodies.newSink()) {
            sink.readFrom(content);
            return sink.finish();
        }
    }

    /** True when the stored content is only white space: a preamble of nothing but line breaks. */
    private static boolean isBlank(StoredBody content) throws IOException {
        if (content.size() > 1024) {
            return false;
        }
        for (byte b : content.toBytes()) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** A multipart being read: where its parts start in the part list, and its preamble until it has parts. */
    private static final class OpenMultipart {
        private final int firstPart;
        private StoredBody preamble;

        OpenMultipart(int firstPart) {
            this.firstPart = firstPart;
        }
    }

    /** The fields of one entity that its attachment keeps: the first of each, unfolded, bounded in length. */
    private static final class PartFields {
        private String contentType;
        private String contentDisposition;
        private String contentId;

        void accept(Field field) {
            String name = field.getName();
            if (name.equalsIgnoreCase("Content-Type") && contentType == null) {
                contentType = kept(field);
            } else if (name.equalsIgnoreCase("Content-Disposition") && contentDisposition == null) {
                contentDisposition = kept(field);
            } else if (name.equalsIgnoreCase("Content-ID") && contentId == null) {
                contentId = kept(field);
            }
        }

        private static String kept(Field field) {
            String value = HeaderDecoder.singleLine(HeaderDecoder.unfoldedValue(field));
            return value.length() > MAX_KEPT_FIELD ? value.substring(0, MAX_KEPT_FIELD) : value;
        }
    }
}
