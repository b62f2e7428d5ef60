package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.catalystmail.camel.CatalystMailConstants;
import jakarta.activation.DataHandler;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.DefaultAttachment;
import org.apache.camel.attachment.DefaultAttachmentMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a received message (RFC 5322 / MIME bytes) onto a Camel message: the text body, every header field decoded,
 * and all other parts as attachments. The bytes are parsed once as they stream in; parts above the storage
 * threshold go to temp files that are deleted when the exchange completes. Thread-safe: one instance may serve
 * any number of consumers.
 *
 * <p>Body choice: the first inline {@code text/plain} part and the first inline {@code text/html} part (not marked
 * as attachment, at most {@value PartReader#MAX_TEXT_BODY} bytes) are the body and its alternative; which is which
 * follows {@code preferHtml}. The alternative goes to {@link CatalystMailConstants#ALTERNATIVE_BODY}. A text part
 * with a file name but an inline disposition (or none) is a body candidate too, as in mature readers (Thunderbird,
 * MailKit, Python's {@code email.message.EmailMessage.get_body}): RFC 2183 section 2.1 makes only
 * {@code attachment} mean "not displayed automatically". A message without such a part gets the empty string as
 * body. Text whose charset is unknown or wrong is decoded with the usual fallbacks and named in
 * {@link CatalystMailConstants#CHARSET_FALLBACK}.
 */
public final class MessageMapper {

    private static final Logger LOG = LoggerFactory.getLogger(MessageMapper.class);
    private static final String CAMEL_PREFIX = "camel";
    /** A dropped field's name is shown up to this length: it comes from the sender. */
    private static final int NAMED_FIELD_LENGTH = 64;

    /** A charset label longer than this is garbage; the header names only its start. */
    private static final int MAX_CHARSET_LABEL = 64;

    private final PartReader reader;
    private final TempBodyStore store;
    private final boolean preferHtml;
    private final boolean raw;
    private final long textStreamThreshold;
    /** Whether a dropped Camel* field was named in the log already: once per mapper, that is per consumer. */
    private final AtomicBoolean camelFieldNamed = new AtomicBoolean();

    /** A mapper that gives every text body (up to {@value PartReader#MAX_TEXT_BODY} bytes) as a String. */
    public MessageMapper(MimeLimits limits, boolean preferHtml, boolean raw) {
        this(limits, preferHtml, raw, Long.MAX_VALUE);
    }

    /**
     * @param textStreamThreshold text bodies above this many bytes that are stored in a temp file are delivered as
     *                            a file-backed {@link org.apache.camel.StreamCache} of the text in its charset
     *                            (named by the exchange's charset property) instead of a String
     */
    public MessageMapper(MimeLimits limits, boolean preferHtml, boolean raw, long textStreamThreshold) {
        this.textStreamThreshold = textStreamThreshold;
        this.reader = new PartReader(limits);
        this.store = new TempBodyStore(limits.bodyStorageThreshold());
        this.preferHtml = preferHtml;
        this.raw = raw;
    }

    /**
     * Parses the message from {@code content}, reading it to its end, and fills {@code target}: body, headers,
     * attachments. Temp files are released when {@code target}'s exchange completes. On failure {@code target} is
     * left as it was and nothing stays on disk.
     *
     * @throws MessageParseException when the message cannot be mapped, or reading or storing it failed
     *                               ({@link MessageParseException#isInputMalformed()} tells which)
     */
    public void map(InputStream content, Message target) throws MessageParseException {
        map(content, -1, target);
    }

    /**
     * {@link #map(InputStream, Message)} for a message whose size on the wire is known (RFC822.SIZE, the literal's
     * length, POP3's LIST), so part bodies are stored without growing their buffers step by step.
     */
    public void map(InputStream content, long size, Message target) throws MessageParseException {
        Exchange exchange = target.getExchange();
        if (exchange == null) {
            throw new IllegalArgumentException("The target message must belong to an exchange");
        }
        MessageBodies bodies = store.newMessage(size);
        try {
            if (raw) {
                mapRaw(content, target, bodies);
            } else {
                mapParts(content, target, bodies);
            }
        } catch (MessageParseException e) {
            bodies.release();
            throw e;
        } catch (BodySink.StorageFailure e) {
            bodies.release();
            throw new MessageParseException(e.getMessage(), false, e);
        } catch (IOException e) {
            bodies.release();
            throw new MessageParseException("Reading the message failed: " + e.getMessage(), false, e);
        } catch (RuntimeException e) {
            bodies.release();
            throw new MessageParseException("Could not map the message: " + e, true, e);
        } catch (StackOverflowError e) {
            // Not expected within MimeLimits.MAX_NESTING_DEPTH; should a small thread stack still overflow, the
            // parse state is all local to this call, so the failure stays with this one message
            bodies.release();
            throw new MessageParseException("Message nested too deeply for this thread's stack", true, null);
        } catch (Error e) {
            // an OutOfMemoryError: the temp files go now, not at JVM exit; the consumer turns the Error into the
            // poll's failure
            bodies.release();
            throw e;
        }
        if (bodies.holdsFiles()) {
            exchange.getExchangeExtension().addOnCompletion(bodies);
        }
    }

    private void mapParts(InputStream content, Message target, MessageBodies bodies)
            throws IOException, MessageParseException {
        PartReader.ParsedMessage message = reader.readDecodingText(content, bodies);
        drain(content);

        PartReader.Part plain = message.plain();
        PartReader.Part html = message.html();
        PartReader.Part body = preferHtml ? (html != null ? html : plain) : (plain != null ? plain : html);
        PartReader.Part alternative = body == plain ? html : plain;
        Object bodyText = body == null ? null : textOrStream(body, bodies, target.getExchange());
        Object alternativeText = alternative == null ? null : textOrStream(alternative, bodies, null);

        Map<String, DefaultAttachment> attachments = new LinkedHashMap<>();
        AttachmentNames names = new AttachmentNames();
        for (PartReader.Part part : message.parts()) {
            if (part != body && part != alternative) {
                addAttachment(part, names, attachments);
            }
        }

        setHeaders(target, message.headers());
        if (alternativeText != null) {
            target.setHeader(CatalystMailConstants.ALTERNATIVE_BODY, content(alternativeText));
        }
        String fallback = bodyText != null && fallbackOf(bodyText) != null ? charsetFallback(body, fallbackOf(bodyText))
                : alternativeText != null && fallbackOf(alternativeText) != null
                        ? charsetFallback(alternative, fallbackOf(alternativeText)) : null;
        if (fallback != null) {
            target.setHeader(CatalystMailConstants.CHARSET_FALLBACK, fallback);
        }
        target.setBody(bodyText == null ? "" : content(bodyText));
        if (!attachments.isEmpty()) {
            AttachmentMessage attachmentMessage = attachmentMessage(target);
            attachments.forEach(attachmentMessage::addAttachmentObject);
        }
    }

    private void mapRaw(InputStream content, Message target, MessageBodies bodies)
            throws IOException, MessageParseException {
        BodySink sink = bodies.newMessageSink();
        try (InputStream copying = new CopyingInputStream(content, sink)) {
            List<PartReader.HeaderField> headers = reader.readHeader(copying);
            drain(copying);
            StoredBody original = sink.finish();
            setHeaders(target, headers);
            target.setBody(original instanceof StoredBody.InFile file
                    ? new RawMessageStream(file.file(), file.size()) : original.toBytes());
        } finally {
            sink.close();
        }
    }

    /** "windows-1252 instead of iso-8859-1": the charset used, and the one declared (us-ascii when none was). */
    private static String charsetFallback(PartReader.Part part, Charset used) {
        String declared = part.charset() == null ? "us-ascii" : HeaderDecoder.singleLine(part.charset().trim());
        if (declared.length() > MAX_CHARSET_LABEL) {
            declared = declared.substring(0, MAX_CHARSET_LABEL) + "...";
        }
        return used.name() + " instead of " + declared;
    }

    /**
     * A large text body as a re-readable stream over its temp file, so a 30 MB text/plain message costs no heap; the
     * charset goes to the exchange (when {@code charsetHolder} is given) so converting it to a String decodes right.
     * Smaller ones are decoded, with the charset fallback they needed.
     */
    private Object textOrStream(PartReader.Part part, MessageBodies bodies, Exchange charsetHolder)
            throws IOException {
        if (part.text() != null) {
            return part.text(); // decoded as it was read
        }
        if (part.body().size() > textStreamThreshold && part.body() instanceof StoredBody.InFile file) {
            StreamedTextCharset.Choice choice = StreamedTextCharset.choose(file.file(), part.charset());
            if (charsetHolder != null) {
                charsetHolder.setProperty(ExchangePropertyKey.CHARSET_NAME, choice.charset().name());
            }
            return new StreamedText(new RawMessageStream(file.file(), file.size()), choice.fallback());
        }
        return text(part, bodies);
    }

    /** What goes into the exchange: the decoded String, or the stream a large text body stays in. */
    private static Object content(Object textOrStream) {
        return textOrStream instanceof TextCharsets.Decoded decoded ? decoded.text()
                : ((StreamedText) textOrStream).stream();
    }

    /** The charset used instead of the declared one, or null when the declared one was used. */
    private static Charset fallbackOf(Object textOrStream) {
        return textOrStream instanceof TextCharsets.Decoded decoded ? decoded.fallback()
                : ((StreamedText) textOrStream).fallback();
    }

    /** A large text body left in its file, and the charset used instead of its label (null when none was). */
    private record StreamedText(RawMessageStream stream, Charset fallback) {
    }

    /** The part's text; its storage is released at once, the String now holds the content. */
    private static TextCharsets.Decoded text(PartReader.Part part, MessageBodies bodies) throws IOException {
        StoredBody body = part.body();
        TextCharsets.Decoded text;
        if (body instanceof StoredBody.InMemory memory) {
            text = TextCharsets.decodeReporting(memory.buffer(), 0, memory.length(), part.charset());
        } else {
            byte[] bytes = body.toBytes();
            text = TextCharsets.decodeReporting(bytes, 0, bytes.length, part.charset());
        }
        bodies.discard(body);
        return text;
    }

    /** Content-Disposition filename, else Content-Type name; null when neither is given. */
    private static String declaredName(PartReader.Part part) {
        String name = MimeParameters.parse(part.contentDisposition()).get("filename");
        if (name == null || name.isBlank()) {
            name = MimeParameters.parse(part.contentType()).get("name");
        }
        return name == null || name.isBlank() ? null : name;
    }

    private void addAttachment(PartReader.Part part, AttachmentNames names,
            Map<String, DefaultAttachment> attachments) {
        boolean message = !part.opaque()
                          && (part.mimeType().equals("message/rfc822") || part.mimeType().equals("message/global"));
        String declared = declaredName(part);
        String subject = declared == null && message ? reader.subjectOf(part.body()) : null;
        String name = names.name(declared, subject, part.mimeType(), part.number());
        // the declared field with its parameters only when it names the type the parser read the part as: a part the
        // parser overruled (an unknown transfer encoding makes it application/octet-stream, RFC 2045 6.4) must not
        // keep the sender's type; a sloppy "text / plain", read as text/plain, keeps its parameters
        String contentType = part.typeDeclared() ? part.contentType() : part.mimeType();
        DefaultAttachment attachment = new DefaultAttachment(
                new DataHandler(new StoredBodyDataSource(name, contentType, part.body())));
        attachment.setHeader("Content-Type", contentType);
        if (part.contentDisposition() != null) {
            attachment.setHeader("Content-Disposition", part.contentDisposition());
        }
        if (part.contentId() != null) {
            attachment.setHeader("Content-ID", part.contentId());
        }
        attachments.put(name, attachment);
    }

    private void namedOnce(String droppedField) {
        if (camelFieldNamed.compareAndSet(false, true)) {
            String shown = droppedField.length() > NAMED_FIELD_LENGTH
                    ? droppedField.substring(0, NAMED_FIELD_LENGTH) + "..." : droppedField;
            LOG.warn("A received message's header field '{}' was not set as an exchange header: fields whose name"
                     + " starts with 'Camel' never are, so a sender cannot steer the route (logged once)", shown);
        }
    }

    /**
     * Sets every header field on the Camel message: repeated fields (Received...) as a list in order, names
     * matched case-insensitively as Camel does. Fields whose name starts with "Camel" are dropped: a sender
     * must not be able to steer the route (CamelCatalystMailDelete, CamelFileName...); the first one is named in the
     * log, once, so a route that expected it learns why it is missing.
     */
    private void setHeaders(Message target, List<PartReader.HeaderField> fields) {
        // straight into the message's own case-insensitive map, one merge per field: Camel's map is a tree keyed
        // case-insensitively, so a second map to find repeated names would only add work per field and message
        Map<String, Object> headers = target.getHeaders();
        String messageId = null;
        for (PartReader.HeaderField field : fields) {
            String name = field.name();
            if (name.isEmpty()) {
                continue;
            }
            if (AsciiNames.startsWithLowerCase(name, CAMEL_PREFIX)) {
                namedOnce(name);
                continue;
            }
            String value = field.value();
            if (messageId == null && !value.isEmpty() && AsciiNames.equalsLowerCase(name, "message-id")) {
                messageId = value;
            }
            headers.merge(name, value, MessageMapper::repeated);
        }
        if (messageId != null) {
            target.setHeader(CatalystMailConstants.MESSAGE_ID, messageId);
        }
    }

    /** A field seen again: its values as a list, in the order they came, under the name it came with first. */
    private static Object repeated(Object earlier, Object value) {
        if (earlier instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<String> values = (List<String>) list;
            values.add((String) value);
            return values;
        }
        List<String> values = new ArrayList<>();
        values.add((String) earlier);
        values.add((String) value);
        return values;
    }

    /** The target as an AttachmentMessage; a plain message is wrapped and the wrapper put in its place. */
    private static AttachmentMessage attachmentMessage(Message target) {
        if (target instanceof AttachmentMessage attachmentMessage) {
            return attachmentMessage;
        }
        AttachmentMessage wrapper = new DefaultAttachmentMessage(target);
        Exchange exchange = target.getExchange();
        if (exchange.getIn() == target) {
            exchange.setIn(wrapper);
        } else if (exchange.getMessage() == target) {
            exchange.setMessage(wrapper);
        }
        return wrapper;
    }

    /** Reads what the parser left (an epilogue, trailing garbage): the stream is consumed to its end. */
    private static void drain(InputStream in) throws IOException {
        if (in.read() < 0) {
            return; // the usual case: the parser read to the end
        }
        byte[] buffer = new byte[8192];
        while (in.read(buffer) >= 0) {
            // discard
        }
    }
}
