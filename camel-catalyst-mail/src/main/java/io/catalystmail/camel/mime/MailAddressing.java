package io.catalystmail.camel.mime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.catalystmail.camel.smtp.Envelope;
import io.catalystmail.camel.smtp.Recipient;
import org.apache.james.mime4j.dom.address.Mailbox;

/**
 * The addresses of an outgoing mail, parsed from their six resolved values (From, To, Cc, Bcc, Reply-To and the
 * envelope sender), with what is made of them: the From, Reply-To, To and Cc header lines, the envelope's recipients
 * and whether any address needs SMTPUTF8. Most routes send message after message with the same addresses (the
 * endpoint's options), so {@link MessageComposer} keeps the last one and reuses it while the six values are equal:
 * parsing, formatting and deduplicating them per message were the largest methods the JIT compiler still compiled
 * while a one-thread sender was measured (the address field 20 KB of code, the recipient list 12 KB). Immutable but
 * for its envelope, made on first use (two threads making it at once make equal ones), so sending threads share it.
 */
final class MailAddressing {

    private final String fromValue;
    private final String toValue;
    private final String ccValue;
    private final String bccValue;
    private final String replyToValue;
    private final String envelopeFromValue;

    /** Whether From names a mailbox, which a sent (not stored) message needs. */
    private final boolean hasSender;
    /** The envelope sender's address (envelope sender, else the first From mailbox), or null when neither is set. */
    private final String mailFrom;
    /** From, Reply-To, To and Cc as written into the header, in that order; null when made without them (raw mode). */
    private final List<HeaderLine> headerLines;
    private final List<String> recipients;
    private final boolean smtpUtf8;
    /** The envelope without DSN options, made when first asked for (a message only stored needs none). */
    private volatile Envelope plainEnvelope;

    private MailAddressing(String fromValue, String toValue, String ccValue, String bccValue, String replyToValue,
            String envelopeFromValue, boolean withHeaderLines) {
        this.fromValue = fromValue;
        this.toValue = toValue;
        this.ccValue = ccValue;
        this.bccValue = bccValue;
        this.replyToValue = replyToValue;
        this.envelopeFromValue = envelopeFromValue;
        MailAddresses from = MailAddresses.parse(fromValue, "sender");
        MailAddresses to = MailAddresses.parse(toValue, "To recipients");
        MailAddresses cc = MailAddresses.parse(ccValue, "Cc recipients");
        MailAddresses bcc = MailAddresses.parse(bccValue, "Bcc recipients");
        MailAddresses replyTo = MailAddresses.parse(replyToValue, "Reply-To addresses");
        MailAddresses envelopeFrom = MailAddresses.parse(envelopeFromValue, "envelope sender");
        headerLines = withHeaderLines ? headerLines(from, replyTo, to, cc) : null;
        recipients = List.copyOf(uniqueRecipients(to, cc, bcc));
        Mailbox sender = envelopeFrom.first() != null ? envelopeFrom.first() : from.first();
        mailFrom = sender == null ? null : sender.getAddress();
        hasSender = from.first() != null;
        smtpUtf8 = from.needsSmtpUtf8() || to.needsSmtpUtf8() || cc.needsSmtpUtf8() || bcc.needsSmtpUtf8()
                || replyTo.needsSmtpUtf8() || envelopeFrom.needsSmtpUtf8();
    }

    /**
     * {@code last} when it was made of the same values (and has header lines if they are wanted), else a new one.
     *
     * @param last            the addressing of an earlier message, or null
     * @param withHeaderLines whether the header lines are made (not for raw mode, which writes no header)
     * @throws MailCompositionException when a value is no valid address list, naming which one
     */
    static MailAddressing of(MailAddressing last, String from, String to, String cc, String bcc, String replyTo,
            String envelopeFrom, boolean withHeaderLines) {
        if (last != null && (last.headerLines != null || !withHeaderLines) && Objects.equals(last.fromValue, from)
                && Objects.equals(last.toValue, to) && Objects.equals(last.ccValue, cc)
                && Objects.equals(last.bccValue, bcc) && Objects.equals(last.replyToValue, replyTo)
                && Objects.equals(last.envelopeFromValue, envelopeFrom)) {
            return last;
        }
        return new MailAddressing(from, to, cc, bcc, replyTo, envelopeFrom, withHeaderLines);
    }

    private static List<HeaderLine> headerLines(MailAddresses from, MailAddresses replyTo, MailAddresses to,
            MailAddresses cc) {
        List<HeaderLine> lines = new ArrayList<>(4);
        if (!from.isEmpty()) {
            lines.add(MimeFields.addresses("From", from.forHeader()));
        }
        if (!replyTo.isEmpty()) {
            lines.add(MimeFields.addresses("Reply-To", replyTo.forHeader()));
        }
        if (!to.isEmpty()) {
            lines.add(MimeFields.addresses("To", to.forHeader()));
        }
        if (!cc.isEmpty()) {
            lines.add(MimeFields.addresses("Cc", cc.forHeader()));
        }
        return List.copyOf(lines);
    }

    /** To, Cc and Bcc in that order, each address once (compared without case); empty when there are none. */
    static List<String> uniqueRecipients(MailAddresses to, MailAddresses cc, MailAddresses bcc) {
        Map<String, String> unique = new LinkedHashMap<>();
        for (MailAddresses list : List.of(to, cc, bcc)) {
            for (String address : list.forEnvelope()) {
                unique.putIfAbsent(address.toLowerCase(Locale.ROOT), address);
            }
        }
        return new ArrayList<>(unique.values());
    }

    /** The From, Reply-To, To and Cc lines that are set; only for an addressing made with header lines. */
    List<HeaderLine> headerLines() {
        return headerLines;
    }

    /** The envelope's recipients: To, Cc and Bcc, each once; empty when none is set. */
    List<String> recipients() {
        return recipients;
    }

    boolean hasSender() {
        return hasSender;
    }

    /** The envelope sender (MAIL FROM): the envelope sender's address, else the first From mailbox; null if none. */
    String mailFrom() {
        return mailFrom;
    }

    /**
     * The envelope of MAIL FROM and the recipients without DSN options, made once per addressing; only for a sender
     * and at least one recipient.
     *
     * @throws IllegalArgumentException when an address cannot go into an SMTP command ({@link Envelope})
     */
    Envelope plainEnvelope() {
        Envelope envelope = plainEnvelope;
        if (envelope == null) {
            List<Recipient> list = new ArrayList<>(recipients.size());
            for (String address : recipients) {
                list.add(Recipient.of(address));
            }
            envelope = new Envelope(mailFrom, list, null, null);
            plainEnvelope = envelope;
        }
        return envelope;
    }

    /** True when an address has a non-ASCII local part, which only travels with SMTPUTF8 (RFC 6531). */
    boolean needsSmtpUtf8() {
        return smtpUtf8;
    }
}
