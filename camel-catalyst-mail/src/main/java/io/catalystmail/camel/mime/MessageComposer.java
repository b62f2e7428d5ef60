package io.catalystmail.camel.mime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.smtp.Envelope;
import io.catalystmail.camel.smtp.Recipient;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.james.mime4j.dom.address.Mailbox;

/**
 * Turns a Camel message into mail: the RFC 5322 message (composed as {@link OutgoingPart}s, or the route's own bytes
 * in raw mode) and the SMTP envelope. Everything that can be wrong with the exchange (no recipient, an unparsable
 * address, a line break in a header value) is found here, before any connection is opened.
 */
public final class MessageComposer {

    private static final Set<String> DSN_NOTIFY_KEYWORDS = Set.of("SUCCESS", "FAILURE", "DELAY");
    /** camel-mail's header for the body's type, honoured as camel-mail does (after CamelCatalystMailContentType). */
    static final String CAMEL_MAIL_CONTENT_TYPE = "contentType";

    private final CatalystMailConfiguration configuration;
    private final String messageIdDomain;
    private final OutgoingHeaders headers;
    private final MessageIds messageIds = new MessageIds();
    /** The last message's addresses, reused while the next one's are the same ({@link MailAddressing}). */
    private volatile MailAddressing lastAddressing;

    /**
     * @param configuration   the endpoint's options
     * @param messageIdDomain the right-hand side of generated Message-IDs (the local host name)
     */
    public MessageComposer(CatalystMailConfiguration configuration, String messageIdDomain) {
        this.configuration = configuration;
        this.messageIdDomain = messageIdDomain;
        this.headers = new OutgoingHeaders(configuration.getHeaderFilterStrategy(),
                new io.catalystmail.camel.CatalystMailHeaderFilterStrategy(), configuration.isAllowPlainHeaders());
    }

    public OutgoingMail compose(Message message) throws IOException, InvalidPayloadException {
        return compose(message, null);
    }

    /**
     * @param messageId the Message-ID to give the message, such as the one an earlier send of the same exchange
     *                  generated (so the copy APPENDed to Sent matches the mail sent); null for a new one. Anything
     *                  but one {@code <left@right>} without spaces or line breaks is not used: a new one is generated.
     */
    public OutgoingMail compose(Message message, String messageId) throws IOException, InvalidPayloadException {
        return compose(message, messageId, true);
    }

    /**
     * The message to store with IMAP APPEND, such as a draft: RFC 3501 §6.3.11 takes any message, so neither a
     * recipient nor a sender is required, and no envelope is made ({@link OutgoingMail#envelope()} is null).
     *
     * @param messageId as for {@link #compose(Message, String)}
     */
    public OutgoingMail composeForStorage(Message message, String messageId)
            throws IOException, InvalidPayloadException {
        return compose(message, messageId, false);
    }

    private OutgoingMail compose(Message message, String messageId, boolean forSending)
            throws IOException, InvalidPayloadException {
        if (messageId != null && !isSingleMessageId(messageId)) {
            messageId = null;
        }
        CatalystMailConfiguration c = configuration;
        MailFieldValues values = new MailFieldValues(message, c);
        MailAddressing addressing = MailAddressing.of(lastAddressing,
                values.resolve(CatalystMailConstants.FROM, "From", "from", c.getFrom()),
                values.resolve(CatalystMailConstants.TO, "To", "to", c.getTo()),
                values.resolve(CatalystMailConstants.CC, "Cc", "cc", c.getCc()),
                values.resolve(CatalystMailConstants.BCC, "Bcc", "bcc", c.getBcc()),
                values.resolve(CatalystMailConstants.REPLY_TO, "Reply-To", "replyTo", c.getReplyTo()),
                values.resolve(CatalystMailConstants.ENVELOPE_FROM, null, "envelopeFrom", c.getEnvelopeFrom()),
                !c.isRaw());
        lastAddressing = addressing;
        // a plain Subject steers no mail, so it is honoured without allowPlainHeaders (camel-mail does too)
        String subject = values.resolve(CatalystMailConstants.SUBJECT, "Subject", true, "subject", c.getSubject());
        // camel-mail's plain contentType header sets the body's type there too: a moved route keeps its HTML. Unlike
        // Content-Type it is no mail or HTTP field, so it cannot arrive by accident from a received mail or a request
        String contentType = values.resolve(CatalystMailConstants.CONTENT_TYPE, CAMEL_MAIL_CONTENT_TYPE, true,
                "contentType", c.getContentType());
        String alternative = values.content(CatalystMailConstants.ALTERNATIVE_BODY);
        Dsn dsn = Dsn.of(values, c);

        if (c.isRaw()) {
            headers.rawMode(message);
            return composeRaw(message, addressing, dsn, forSending);
        }
        if (!addressing.hasSender() && forSending) {
            throw new MailCompositionException("No sender: set the from option or the " + CatalystMailConstants.FROM
                                               + " header" + ignoredPlainHeaders(message, "From"));
        }
        List<String> recipients = forSending ? requireRecipients(addressing.recipients(), message) : List.of();

        if (messageId == null) {
            messageId = "<" + messageIds.next() + "@" + messageIdDomain + ">";
        }
        // the order Mime4j's message builder gave them: MIME-Version, these, the route's headers, the content fields
        List<HeaderLine> fields = new ArrayList<>(16);
        fields.add(HeaderLine.MIME_VERSION);
        fields.add(SharedFields.date(System.currentTimeMillis()));
        fields.addAll(addressing.headerLines());
        if (subject != null) {
            fields.add(MimeFields.unstructured("Subject", subject));
        }
        fields.add(MimeFields.field("Message-ID", messageId));
        fields.addAll(headers.fields(message));
        BodyStructure structure = BodyStructure.of(message, contentType, alternative);
        ComposedContent content = new ComposedContent(structure.root().under(fields), addressing.needsSmtpUtf8(),
                structure.inMemory(), structure.repeatable());
        if (!forSending) {
            return new OutgoingMail(null, content, messageId);
        }
        Envelope envelope = dsn.isNone() ? addressing.plainEnvelope()
                : dsn.envelope(addressing.mailFrom(), recipients);
        return new OutgoingMail(envelope, content, messageId);
    }

    /**
     * One {@code <left@right>} (RFC 5322 §3.6.4) of printable ASCII without space, '<' or '>', with at least one
     * character on each side of an '@': nothing that could break the header line or add a second id.
     */
    static boolean isSingleMessageId(String id) {
        int last = id.length() - 1;
        if (last < 4 || id.charAt(0) != '<' || id.charAt(last) != '>') {
            return false;
        }
        boolean split = false;
        for (int i = 1; i < last; i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '<' || c == '>') {
                return false;
            }
            split |= c == '@' && i > 1 && i < last - 1;
        }
        return split;
    }

    /**
     * Raw mode: recipients come from the options and CamelCatalystMail headers; only when none are set, from the
     * message's own To, Cc and Bcc fields (the Bcc line itself is never sent on). A message composed for storage
     * (APPEND, such as a draft) needs neither recipients nor a sender and gets no envelope.
     */
    private OutgoingMail composeRaw(Message message, MailAddressing addressing, Dsn dsn, boolean forSending)
            throws IOException, InvalidPayloadException {
        Object body = message.getBody();
        RawContent content;
        if (body instanceof byte[] bytes) {
            content = RawContent.of(bytes);
        } else if (body instanceof String text) {
            content = RawContent.of(text.getBytes(StandardCharsets.UTF_8));
        } else if (body == null) {
            throw new MailCompositionException(
                    "raw=true needs a complete RFC 5322 message as the body, but the body is empty");
        } else {
            InputStream stream = message.getMandatoryBody(InputStream.class);
            content = RawContent.of(stream instanceof BufferedInputStream ? stream : new BufferedInputStream(stream));
        }
        String messageId = content.field("Message-ID");
        if (!forSending) {
            return new OutgoingMail(null, content, messageId);
        }
        List<String> recipients = addressing.recipients();
        if (recipients.isEmpty()) {
            recipients = requireRecipients(MailAddressing.uniqueRecipients(
                    MailAddresses.parse(content.field("To"), "raw message's To header"),
                    MailAddresses.parse(content.field("Cc"), "raw message's Cc header"),
                    MailAddresses.parse(content.field("Bcc"), "raw message's Bcc header")), null);
        }
        String mailFrom = addressing.mailFrom();
        if (mailFrom == null) {
            Mailbox sender = MailAddresses.parse(content.field("From"), "raw message's From header").first();
            if (sender == null) {
                throw new MailCompositionException(
                        "No envelope sender: set envelopeFrom or from, or give the raw message a From header");
            }
            mailFrom = sender.getAddress();
        }
        return new OutgoingMail(dsn.envelope(mailFrom, recipients), content, messageId);
    }

    /**
     * The recipients, or the error that there are none.
     *
     * @param message the exchange's message, whose plain To, Cc and Bcc headers an error names; null in raw mode
     */
    private List<String> requireRecipients(List<String> recipients, Message message) {
        if (recipients.isEmpty()) {
            throw new MailCompositionException("No recipients: set the to, cc or bcc option or the "
                    + CatalystMailConstants.TO + ", " + CatalystMailConstants.CC + " or " + CatalystMailConstants.BCC
                    + " header"
                    + (message == null ? "" : ignoredPlainHeaders(message, "To", "Cc", "Bcc")));
        }
        return recipients;
    }

    /**
     * The plain headers among {@code names} that the message has and that were not used, said in the error they
     * cause: a route moved from camel-mail addresses mail with them, and the WARN naming them comes only with a mail
     * that could be composed.
     */
    private String ignoredPlainHeaders(Message message, String... names) {
        if (configuration.isAllowPlainHeaders()) {
            return "";
        }
        List<String> present = new ArrayList<>(names.length);
        for (String name : names) {
            if (message.getHeader(name) != null) {
                present.add(name);
            }
        }
        return present.isEmpty() ? "" : " (the plain " + String.join(", ", present) + " header"
                + (present.size() > 1 ? "s are" : " is") + " used only with allowPlainHeaders=true)";
    }

    /** Delivery status notification requests (RFC 3461), validated so nothing odd reaches the MAIL and RCPT lines. */
    private record Dsn(String notifyOn, String ret, String envelopeId, boolean originalRecipient) {

        static Dsn of(MailFieldValues values, CatalystMailConfiguration c) {
            String notify = values.header(CatalystMailConstants.DSN_NOTIFY);
            String notifySource = "header " + CatalystMailConstants.DSN_NOTIFY;
            if (notify == null && c.getDsnNotify() != null) {
                notify = MailFieldValues.requireSingleLine(c.getDsnNotify(), "option dsnNotify");
                notifySource = "option dsnNotify";
            }
            String ret = values.header(CatalystMailConstants.DSN_RETURN);
            String retSource = "header " + CatalystMailConstants.DSN_RETURN;
            if (ret == null && c.getDsnReturn() != null) {
                ret = MailFieldValues.requireSingleLine(c.getDsnReturn(), "option dsnReturn");
                retSource = "option dsnReturn";
            }
            String envelopeId = values.header(CatalystMailConstants.DSN_ENVELOPE_ID);
            String orcpt = values.header(CatalystMailConstants.DSN_ORIGINAL_RECIPIENT);
            return new Dsn(notify == null ? null : normaliseNotify(notify, notifySource),
                    ret == null ? null : normaliseReturn(ret, retSource), envelopeId, Boolean.parseBoolean(orcpt));
        }

        /** True when no DSN option is set: the envelope is then the addressing's own. */
        boolean isNone() {
            return notifyOn == null && ret == null && envelopeId == null && !originalRecipient;
        }

        Envelope envelope(String mailFrom, List<String> recipients) {
            List<Recipient> list = new ArrayList<>();
            for (String address : recipients) {
                list.add(new Recipient(address, notifyOn, originalRecipient ? address : null));
            }
            return new Envelope(mailFrom, list, ret, envelopeId);
        }

        /** RFC 3461 section 4.1: NEVER alone, or a list of SUCCESS, FAILURE and DELAY. */
        private static String normaliseNotify(String value, String source) {
            List<String> keywords = new ArrayList<>();
            for (String part : value.split(",")) {
                String keyword = part.trim().toUpperCase(Locale.ROOT);
                if (!keyword.isEmpty() && !keywords.contains(keyword)) {
                    keywords.add(keyword);
                }
            }
            boolean never = keywords.equals(List.of("NEVER"));
            if (keywords.isEmpty() || (!never && !DSN_NOTIFY_KEYWORDS.containsAll(keywords))) {
                throw new MailCompositionException("The " + source
                        + " must be NEVER or a comma separated list of SUCCESS, FAILURE and DELAY");
            }
            return String.join(",", keywords);
        }

        /** RFC 3461 section 4.3: FULL or HDRS. */
        private static String normaliseReturn(String value, String source) {
            String upper = value.trim().toUpperCase(Locale.ROOT);
            if (!upper.equals("FULL") && !upper.equals("HDRS")) {
                throw new MailCompositionException("The " + source + " must be FULL or HDRS");
            }
            return upper;
        }
    }
}
