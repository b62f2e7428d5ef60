package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;

/**
 * Reads a message once, front to back, with our own pull parser: the top-level header fields, decoded, and every
 * leaf part's decoded content into storage. The parser keeps its own stack of open multiparts, so deep nesting
 * costs no Java stack; multiparts nested deeper than the limit are read flat, as one opaque part. A multipart in
 * which no delimiter matches its boundary yields its content (all preamble then) as a text part. Content-Type
 * parameters are read with RFC 2231 ({@link PartDescriptorBuilder}); a header section missing its empty line ends
 * at the first line that cannot be a field ({@link EntityHeaderReader}). message/rfc822 parts are not descended
 * into: they are attachments, kept with their original bytes.
 *
 * <p>The work is split over small classes ({@link DelimitedInput} for regions and delimiters,
 * {@link EntityHeaderReader} for fields, {@link PartDescriptorBuilder} for what a part is) so that each method
 * stays small: a general MIME library's state machine is one method that the JIT compiler takes long to compile,
 * while a consumer maps its first thousands of messages.
 */
final class PartReader {

    /** More leaf parts than any real message has; beyond it a message is treated as hostile. */
    static final int MAX_PARTS = 10_000;

    /** Longest Content-Type, -Disposition or -ID kept per part: long enough for RFC 2231 continued names. */
    private static final int MAX_KEPT_FIELD = 64 * 1024;

    /** One field of the top-level header, value decoded for the route. */
    record HeaderField(String name, String value) {
    }

    /** Longest text part given to the route as a String; a longer one is an attachment. */
    static final int MAX_TEXT_BODY = 32 * 1024 * 1024;

    /**
     * A leaf part: its MIME description, its content-related fields as sent (unfolded), its decoded content: either
     * stored ({@code body}), or, for the text the route gets as its body or alternative, already decoded to
     * {@code text} when it was read and {@code body} null. {@code typeDeclared}: {@code contentType} names
     * {@code mimeType} ({@link PartDescriptorBuilder.Descriptor#typeDeclared}), so it can stand for the part.
     */
    record Part(int number, String mimeType, String charset, String contentType, String contentDisposition,
            String contentId, StoredBody body, TextCharsets.Decoded text, boolean opaque, boolean typeDeclared) {

        /**
         * True for text/plain or text/html not sent as an attachment, small enough to be a String: a candidate for
         * the message's body or its alternative, the first of each type being taken.
         *
         * @param inlineType whether the part is not opaque and {@link #isInlineTextType} holds for its type and
         *                   disposition: the caller has it already, so the disposition is not parsed twice
         */
        boolean isInlineText(boolean inlineType) {
            return inlineType && (text != null || body.size() <= MAX_TEXT_BODY);
        }
    }

    /** text/plain or text/html whose disposition is not attachment (RFC 2183 section 2.1: inline by default). */
    private static boolean isInlineTextType(String mimeType, String contentDisposition) {
        return (mimeType.equals("text/plain") || mimeType.equals("text/html"))
               && (contentDisposition == null // nearly every body part: no parameters to parse
                   || !MimeParameters.parse(contentDisposition).value().equals("attachment"));
    }

    /**
     * @param plain the first inline text/plain part ({@link Part#isInlineText}), null when there is none
     * @param html  the first inline text/html part, null when there is none
     */
    record ParsedMessage(List<HeaderField> headers, List<Part> parts, Part plain, Part html) {
    }

    private final MimeLimits limits;

    PartReader(MimeLimits limits) {
        this.limits = limits;
    }

    /** The whole message: header fields and stored leaf parts. */
    ParsedMessage read(InputStream in, MessageBodies bodies) throws IOException, MessageParseException {
        return read(in, bodies, false);
    }

    /**
     * The whole message, the first inline text/plain and text/html parts (see {@link Part#isInlineText}) decoded
     * to {@link Part#text} as they are read, when they stay in the heap: decoded from the reused read buffer, they
     * cost no copy of their bytes. The rest is stored.
     */
    ParsedMessage readDecodingText(InputStream in, MessageBodies bodies) throws IOException, MessageParseException {
        return read(in, bodies, true);
    }

    private ParsedMessage read(InputStream in, MessageBodies bodies, boolean decodeText)
            throws IOException, MessageParseException {
        DelimitedInput input = new DelimitedInput(in);
        EntityHeaderReader headerReader = new EntityHeaderReader(limits);
        try {
            return new MessageWalk(input, headerReader, bodies, decodeText).read();
        } finally {
            input.release();
            headerReader.release();
        }
    }

    /** Only the top-level header fields; stops at the end of the header block, leaving the body unread. */
    List<HeaderField> readHeader(InputStream in) throws IOException, MessageParseException {
        DelimitedInput input = new DelimitedInput(in);
        EntityHeaderReader headerReader = new EntityHeaderReader(limits);
        try {
            return decoded(headerReader.read(input, true));
        } finally {
            input.release();
            headerReader.release();
        }
    }

    private static List<HeaderField> decoded(List<RawHeaderField> fields) {
        List<HeaderField> headers = new ArrayList<>(fields.size());
        for (RawHeaderField field : fields) {
            headers.add(new HeaderField(field.name(), field.decodedValue()));
        }
        return headers;
    }

    /** The decoded Subject of an attached message, or null when it has none or its header cannot be read. */
    String subjectOf(StoredBody message) {
        try (InputStream in = message.open()) {
            for (HeaderField field : readHeader(in)) {
                if (AsciiNames.equalsLowerCase(field.name(), "subject")) {
                    return field.value();
                }
            }
        } catch (IOException | MessageParseException | RuntimeException unreadable) {
            // the attachment keeps a generated name
        }
        return null;
    }

    /**
     * One pass over one message: entity after entity, each a header and then a body, a nested multipart (its
     * preamble, then its parts) or a leaf; a delimiter or the end of the input ends each.
     */
    private final class MessageWalk {

        private final DelimitedInput input;
        private final MessageBodies bodies;
        private final EntityHeaderReader headerReader;
        /** The open multiparts, outermost first; as many as the input has delimiters. */
        private final List<OpenMultipart> open = new ArrayList<>();
        private final List<Part> parts = new ArrayList<>();
        /** Whether text parts are decoded as read. */
        private final boolean decodeText;
        /** The first inline text/plain and text/html parts so far. */
        private Part plain;
        private Part html;

        MessageWalk(DelimitedInput input, EntityHeaderReader headerReader, MessageBodies bodies,
                boolean decodeText) {
            this.input = input;
            this.headerReader = headerReader;
            this.bodies = bodies;
            this.decodeText = decodeText;
        }

        /**
         * One loop over the entities, in the order they come: the JIT compiler sees one call of each step, and
         * compiles each once, on its own (they are called several times a message, this loop once): a step that
         * called the next (the delimiter handling reading the following entity) made one compilation of the whole
         * walk, taking seconds, and a second of the entity when the message's own header called it.
         */
        ParsedMessage read() throws IOException, MessageParseException {
            List<HeaderField> headers = null;
            String parentType = null;
            boolean entityFollows = true;
            while (entityFollows) {
                // the one call of the header reader: the message's own header first, then each part's
                List<RawHeaderField> fields = headerReader.read(input, headers == null);
                if (headers == null) {
                    headers = decoded(fields);
                }
                PartDescriptorBuilder.Descriptor descriptor = describe(fields, parentType);
                if (!input.hasRegionEnded()) {
                    input.startRegion(); // the body, after the empty line; else the region ended within the header
                }
                if (descriptor.isMultipart() && open.size() < limits.maxNestingDepth()) {
                    openMultipart(descriptor);
                } else {
                    leaf(fields, descriptor);
                }
                entityFollows = false;
                while (!entityFollows && input.endingLevel() >= 0) {
                    int level = input.endingLevel();
                    entityFollows = afterDelimiter(level, input.endingIsClose());
                    parentType = entityFollows ? open.get(level).mimeType : null;
                }
            }
            closeTo(0);
            return new ParsedMessage(headers, parts, plain, html);
        }

        /** What the entity whose header fields these are is. */
        private PartDescriptorBuilder.Descriptor describe(List<RawHeaderField> fields, String parentType) {
            PartDescriptorBuilder builder = new PartDescriptorBuilder(parentType);
            for (RawHeaderField field : fields) {
                builder.accept(field);
            }
            return builder.build();
        }

        /** A multipart's body starts: its delimiter ends regions from now on; its preamble is kept until it ends. */
        private void openMultipart(PartDescriptorBuilder.Descriptor descriptor) throws IOException {
            OpenMultipart multipart = new OpenMultipart(parts.size(), descriptor.mimeType());
            open.add(multipart);
            input.open(descriptor.boundary());
            if (!input.atRegionEnd()) {
                multipart.preamble = store(input, bodies);
            }
        }

        /**
         * A delimiter of the open multipart at {@code level} ended the region: true when a part follows, its header
         * fields next; false after its close delimiter (its epilogue is passed over) or at the end of the input.
         * The header is read by the walk's loop, not here: called once per part, this step compiled with the
         * header reader inlined was one of the largest compilations of a message's first thousands.
         */
        private boolean afterDelimiter(int level, boolean close) throws IOException {
            if (close) {
                closeTo(level);
                input.startRegion();
                input.skipRegion(); // the epilogue: nothing in it for the route
                return false;
            }
            if (input.endingIsLastInput()) {
                closeTo(0); // a message cut right after a delimiter: no part follows it
                input.startRegion();
                input.skipRegion(); // ends at once, at the end of the input
                return false;
            }
            closeTo(level + 1); // multiparts inside it end here, without their close delimiter
            input.startRegion();
            return true;
        }

        /**
         * A leaf part: its kept fields, and its content read into storage with its transfer encoding undone: base64,
         * the encoding of nearly every attachment, by our chunked decoder; quoted-printable by Mime4j's codec; the
         * identity encodings (RFC 2045 section 6.2) as is. The first inline text of its type is decoded as read.
         *
         * <p>One method, the decoding choice included, so that its bytecode stays above the 325 bytes up to which
         * HotSpot's C2 compiler inlines a hot callee (FreqInlineSize): the part's reading is compiled on its own,
         * once. Inlined into the walk's loop (which compiles by its back-edges a few thousand messages in), it made
         * one compilation of over a second for 6 kB of inlined bytecode, cut off at C2's node limit.
         */
        private void leaf(List<RawHeaderField> fields, PartDescriptorBuilder.Descriptor descriptor)
                throws IOException, MessageParseException {
            if (parts.size() >= MAX_PARTS) {
                throw new MessageParseException("The message has more than " + MAX_PARTS + " parts", true, null);
            }
            PartFields kept = new PartFields();
            for (RawHeaderField field : fields) {
                kept.accept(field);
            }
            String mimeType = descriptor.mimeType();
            // a multipart here is one nested deeper than the limit, read as one part; a multipart type always has
            // its boundary (PartDescriptorBuilder), so no second test of the type's text is needed
            boolean opaque = descriptor.isMultipart();
            boolean inlineType = !opaque && isInlineTextType(mimeType, kept.contentDisposition());
            boolean textWanted = decodeText && inlineType && !isTaken(mimeType);
            String transferEncoding = descriptor.transferEncoding();
            Base64DecodingInputStream base64 = transferEncoding.equals("base64")
                    ? new Base64DecodingInputStream(input) : null;
            InputStream decoded = base64 != null ? base64 : transferEncoding.equals("quoted-printable")
                    ? new QuotedPrintableInputStream(input, DecodeMonitor.SILENT) : input;
            try (BodySink sink = bodies.newSink()) {
                // one call site: the JIT compiler inlines the sink's reading loop once into the part's reading
                sink.readFrom(decoded);
                TextCharsets.Decoded text = textWanted
                        ? sink.finishAsText(descriptor.charset(), MAX_TEXT_BODY) : null;
                StoredBody body = text == null ? sink.finish() : null;
                add(new Part(parts.size() + 1, mimeType, descriptor.charset(), kept.contentType(),
                        kept.contentDisposition(), kept.contentId(), body, text, opaque, descriptor.typeDeclared()),
                        inlineType);
            } finally {
                if (base64 != null) {
                    base64.release();
                }
            }
        }

        /** @param textType text/plain or text/html */
        private boolean isTaken(String textType) {
            return (textType.equals("text/plain") ? plain : html) != null;
        }

        /**
         * Adds a part; the first inline text of its type takes its type's place, so no later one is decoded.
         *
         * @param inlineType see {@link Part#isInlineText}
         */
        private void add(Part part, boolean inlineType) {
            if (part.isInlineText(inlineType)) {
                if (plain == null && part.mimeType().equals("text/plain")) {
                    plain = part;
                } else if (html == null && part.mimeType().equals("text/html")) {
                    html = part;
                }
            }
            parts.add(part);
        }

        /**
         * The multiparts opened beyond the first {@code depth} end, innermost first. A loop on the list's size, not
         * a counted one: C2 guarded the counted loop down to {@code depth} with a loop-limit predicate that failed
         * once in every JVM (a "loop_limit_check" trap and a recompile of the delimiter step it is inlined into).
         */
        private void closeTo(int depth) throws IOException {
            while (open.size() > depth) {
                end(open.remove(open.size() - 1));
            }
            input.closeTo(depth);
        }

        private void end(OpenMultipart ended) throws IOException {
            if (ended.preamble != null && parts.size() == ended.firstPart && !isBlank(ended.preamble)) {
                // no delimiter matched the boundary: everything sits in the preamble, keep it as text. A
                // multipart reusing its parent's boundary ends at once with nothing in it (its parts are
                // read as its parent's, as tolerant readers do): it adds no empty text part to be the body
                // text/plain without a disposition: an inline type
                add(new Part(parts.size() + 1, "text/plain", null, null, null, null, ended.preamble, null, false,
                        false), true);
            } else if (ended.preamble != null) {
                bodies.discard(ended.preamble);
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

    /** A multipart being read: where its parts start in the part list, its type, its preamble until it has parts. */
    private static final class OpenMultipart {
        private final int firstPart;
        private final String mimeType;
        private StoredBody preamble;

        OpenMultipart(int firstPart, String mimeType) {
            this.firstPart = firstPart;
            this.mimeType = mimeType;
        }
    }

    /**
     * The fields of one entity that its attachment keeps: the first of each, unfolded, bounded in length. The value
     * is made in one place for all three, so the JIT compiler inlines its making once into the part's reading.
     */
    private static final class PartFields {
        private static final String[] NAMES = {"content-type", "content-disposition", "content-id"};
        private static final int TYPE = 0;
        private static final int DISPOSITION = 1;
        private static final int ID = 2;

        private final String[] values = new String[NAMES.length];

        void accept(RawHeaderField field) {
            for (int i = 0; i < NAMES.length; i++) {
                if (field.isNamed(NAMES[i])) {
                    if (values[i] == null) {
                        values[i] = kept(field);
                    }
                    return;
                }
            }
        }

        String contentType() {
            return values[TYPE];
        }

        String contentDisposition() {
            return values[DISPOSITION];
        }

        String contentId() {
            return values[ID];
        }

        private static String kept(RawHeaderField field) {
            String value = HeaderDecoder.singleLine(field.unfoldedValue());
            return value.length() > MAX_KEPT_FIELD ? value.substring(0, MAX_KEPT_FIELD) : value;
        }
    }
}
