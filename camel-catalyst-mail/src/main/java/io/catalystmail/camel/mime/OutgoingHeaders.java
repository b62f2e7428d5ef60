package io.catalystmail.camel.mime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.SplitAttachmentsExpression;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exchange headers that become header fields of an outgoing mail (In-Reply-To, References, X-Priority,
 * List-Unsubscribe, Auto-Submitted...), chosen by a Camel {@link HeaderFilterStrategy}. The fields the composer
 * writes itself are never taken from here: a header such as a plain {@code To} that is not used gets one WARN per
 * endpoint naming what to use instead, and so does every header the default strategy leaves out, so no header a
 * route sets vanishes without a word. Every value is refused if it holds CR, LF or NUL.
 */
public final class OutgoingHeaders {

    private static final Logger LOG = LoggerFactory.getLogger(OutgoingHeaders.class);

    /** Fields the composer writes, lower case, each mapped to what a route should do instead. */
    private static final Map<String, String> COMPOSED = Map.ofEntries(
            Map.entry("from", "use " + CatalystMailConstants.FROM + ", or allowPlainHeaders=true"),
            Map.entry("to", "use " + CatalystMailConstants.TO + ", or allowPlainHeaders=true"),
            Map.entry("cc", "use " + CatalystMailConstants.CC + ", or allowPlainHeaders=true"),
            Map.entry("bcc", "use " + CatalystMailConstants.BCC + ", or allowPlainHeaders=true"),
            Map.entry("reply-to", "use " + CatalystMailConstants.REPLY_TO + ", or allowPlainHeaders=true"),
            Map.entry("subject", "use " + CatalystMailConstants.SUBJECT),
            Map.entry("content-type", "use " + CatalystMailConstants.CONTENT_TYPE + " or the contentType option"),
            // camel-mail's header for the body's type: it sets the type (MessageComposer), it is no mail field
            Map.entry("contenttype", "it sets the body's type, as in camel-mail"),
            Map.entry("date", "the component writes the Date field itself"),
            Map.entry("message-id", "the component generates the Message-ID"),
            Map.entry("mime-version", "the component writes it itself"),
            Map.entry("content-transfer-encoding", "the component chooses the encoding"),
            Map.entry("content-disposition", "it is written for attachments (AttachmentMessage)"),
            Map.entry("content-id", "set it on the attachment (AttachmentMessage)"),
            Map.entry("sender", "the component does not write a Sender field"));
    /** camel-mail's header prefix (CamelMailAlternativeBody): a moved route's header that would otherwise vanish. */
    private static final String CAMEL_MAIL_PREFIX = "CamelMail";
    /** The component's own header names, lower case (Camel's header map ignores case). */
    private static final Set<String> OWN_HEADERS = ownHeaderNames();
    /** Plain addressing headers that steer mail when allowPlainHeaders is on. */
    private static final Set<String> STEERING = Set.of("from", "to", "cc", "bcc", "reply-to");
    /** Plain headers honoured without allowPlainHeaders: they steer no mail (Subject; camel-mail's contentType). */
    private static final Set<String> HONOURED_ALWAYS = Set.of("subject", "contenttype");

    /**
     * The fields RFC 5322 section 3.6 allows once that reach this class (the others are composed): a list value
     * becomes one field. Any other field gets one field per element (Comments, Keywords, X- fields may repeat).
     */
    private static final Set<String> MSG_ID_LISTS = Set.of("in-reply-to", "references");

    private final HeaderFilterStrategy strategy;
    private final boolean defaultStrategy;
    private final boolean allowPlainHeaders;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param strategy          the endpoint's strategy, or null for the default one
     * @param fallback          the default strategy
     * @param allowPlainHeaders whether plain To, Cc, Bcc, From and Reply-To headers are used (then no WARN for them)
     */
    public OutgoingHeaders(HeaderFilterStrategy strategy, HeaderFilterStrategy fallback, boolean allowPlainHeaders) {
        this.strategy = strategy != null ? strategy : fallback;
        this.defaultStrategy = strategy == null;
        this.allowPlainHeaders = allowPlainHeaders;
    }

    /** The fields to add to the mail composed from {@code message}, in header order. */
    List<HeaderLine> fields(Message message) {
        List<HeaderLine> fields = new ArrayList<>();
        Exchange exchange = message.getExchange();
        for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
            String name = header.getKey();
            if (name.regionMatches(true, 0, CatalystMailConstants.PREFIX, 0, CatalystMailConstants.PREFIX.length())
                    && !OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                warnOnce(name, "the component has no such header (misspelled?); its headers are listed in the catalog");
                continue;
            }
            if (name.regionMatches(true, 0, CAMEL_MAIL_PREFIX, 0, CAMEL_MAIL_PREFIX.length())) {
                warnOnce(name, "it is camel-mail's header; use " + CatalystMailConstants.PREFIX
                               + name.substring(CAMEL_MAIL_PREFIX.length()));
                continue;
            }
            if (name.startsWith(CatalystMailConstants.PREFIX) || name.startsWith("Camel") || name.startsWith("camel")
                    || name.startsWith("org.apache.camel.") || header.getValue() == null) {
                continue; // Camel headers never become mail headers, whatever the strategy says
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (COMPOSED.containsKey(lower)) {
                if (!HONOURED_ALWAYS.contains(lower) && !(allowPlainHeaders && STEERING.contains(lower))) {
                    warnOnce(name, COMPOSED.get(lower));
                }
                continue;
            }
            if (strategy.applyFilterToCamelHeaders(name, header.getValue(), exchange)) {
                if (defaultStrategy) {
                    warnOnce(name, "the default headerFilterStrategy leaves trace, authentication and HTTP transport"
                                   + " headers out; configure headerFilterStrategy to send it");
                }
                continue;
            }
            if (!isFieldName(name)) {
                warnOnce(name, "it is not a valid mail header name (RFC 5322 §3.6.8: printable ASCII without colon)");
                continue;
            }
            List<String> values = values(name, header.getValue(), exchange);
            if (values.size() > 1 && MSG_ID_LISTS.contains(lower)) {
                // RFC 5322 section 3.6: at most one field; its msg-ids are separated by folding white space
                values = List.of(String.join(" ", values));
            }
            for (String value : values) {
                MailFieldValues.requireSingleLine(value, "header " + name);
                fields.add(MimeFields.unstructured(name, value));
            }
        }
        return fields;
    }

    /**
     * Raw mode sends the body as it is: exchange headers cannot be added to it. Said once per endpoint when a route
     * sets any header that would otherwise have been written.
     */
    void rawMode(Message message) {
        for (String name : message.getHeaders().keySet()) {
            if (!name.startsWith("Camel") && !name.startsWith("camel") && !name.startsWith("org.apache.camel.")) {
                if (warned.add(" raw")) {
                    LOG.warn("Exchange headers such as {} are not written into outgoing mail: raw=true sends the body"
                             + " as it is; put header fields into the raw message. (Logged once per endpoint.)", name);
                }
                return;
            }
        }
    }

    private static Set<String> ownHeaderNames() {
        Set<String> names = new java.util.HashSet<>();
        for (java.lang.reflect.Field field : CatalystMailConstants.class.getFields()) {
            try {
                if (field.get(null) instanceof String value && value.startsWith(CatalystMailConstants.PREFIX)) {
                    names.add(value.toLowerCase(Locale.ROOT));
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        names.add(SplitAttachmentsExpression.NAME.toLowerCase(Locale.ROOT));
        names.add(SplitAttachmentsExpression.CONTENT_TYPE.toLowerCase(Locale.ROOT));
        return Set.copyOf(names);
    }

    private void warnOnce(String name, String why) {
        if (warned.add(name.toLowerCase(Locale.ROOT))) {
            LOG.warn("Exchange header {} is not written into outgoing mail: {}. (Logged once per endpoint.)", name,
                    why);
        }
    }

    private static List<String> values(String name, Object value, Exchange exchange) {
        List<String> out = new ArrayList<>();
        Collection<?> many = value instanceof Collection<?> c ? c
                : value instanceof Object[] array ? java.util.Arrays.asList(array) : List.of(value); // may hold nulls
        for (Object v : many) {
            if (Objects.isNull(v)) {
                continue;
            }
            String text = HeaderDateTimes.format(v, name);
            if (text == null) {
                text = exchange != null
                        ? exchange.getContext().getTypeConverter().convertTo(String.class, exchange, v) : v.toString();
            }
            if (text != null && !text.isBlank()) {
                out.add(text.strip());
            }
        }
        return out;
    }

    /** RFC 5322 §3.6.8: field-name = 1*ftext, ftext = %d33-57 / %d59-126. */
    static boolean isFieldName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                return false;
            }
        }
        return true;
    }
}
