package io.catalystmail.camel.mime;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.james.mime4j.codec.EncoderUtil;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.AddressFormatter;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * Builds header fields from already encoded text with Mime4j's folding, keeping UTF-8 where RFC 6532 allows it
 * (an internationalised address), and makes sure no line exceeds 998 octets. The fields are formatted into their
 * octets once; nothing parses them back (they were parsed again per message before, about 4 % of a sender's samples).
 */
final class MimeFields {

    /** Longest run of non-space characters a folded unstructured header may carry before it gets encoded words. */
    private static final int LONGEST_WORD = 900;

    private MimeFields() {
    }

    /** A field from its name and encoded body, folded at white space. */
    static HeaderLine field(String name, String body) {
        String folded = MimeUtil.fold(name + ": " + body, 0);
        requireShortLines(folded, name);
        return HeaderLine.folded(name, folded);
    }

    /**
     * The Content-Type line of a multipart (RFC 2046 §5.1.1) as Mime4j's builder wrote it: the subtype's parameter,
     * if any, then the boundary as a quoted string (Mime4j's boundaries hold '=', no token character, RFC 2045 §5.1).
     */
    static HeaderLine multipartContentType(String subtype, String parameter, String boundary) {
        StringBuilder type = new StringBuilder("multipart/").append(subtype);
        if (parameter != null) {
            type.append("; ").append(parameter);
        }
        type.append("; boundary=").append(HeaderCodec.quoted(boundary));
        return field("Content-Type", type.toString());
    }

    /** An address list field (From, To, Cc, Reply-To); display names become RFC 2047 encoded words when needed. */
    static HeaderLine addresses(String name, List<Address> addresses) {
        StringBuilder body = new StringBuilder();
        for (Address address : addresses) {
            if (body.length() > 0) {
                body.append(", ");
            }
            if (address instanceof Group group) {
                body.append(EncoderUtil.encodeAddressDisplayName(group.getName())).append(": ");
                List<Mailbox> members = group.getMailboxes();
                for (int i = 0; i < members.size(); i++) {
                    appendMailbox(body.append(i > 0 ? ", " : ""), members.get(i));
                }
                body.append(';');
            } else {
                appendMailbox(body, (Mailbox) address);
            }
        }
        return field(name, body.toString());
    }

    private static void appendMailbox(StringBuilder body, Mailbox mailbox) {
        if (MailAddresses.isAscii(mailbox.getLocalPart())) {
            AddressFormatter.DEFAULT.encode(body, mailbox);
            return;
        }
        // RFC 6532 section 3.2: with SMTPUTF8 the UTF-8 local part is written as it is (Mime4j would encode
        // it); the display name is still encoded for readers that do not know RFC 6532
        if (mailbox.getName() != null && !mailbox.getName().isEmpty()) {
            body.append(EncoderUtil.encodeAddressDisplayName(mailbox.getName())).append(' ');
        }
        body.append('<').append(mailbox.getLocalPart()).append('@').append(mailbox.getDomain()).append('>');
    }

    /**
     * An unstructured field such as Subject: RFC 2047 encoded words when the text is not ASCII or has a word too
     * long to fold within 998 octets (encoded words can be split, plain words cannot).
     */
    static HeaderLine unstructured(String name, String text) {
        String body;
        if (HeaderCodec.isPlainAscii(text) && !hasLongWord(text)) {
            body = text;
        } else {
            body = EncoderUtil.encodeEncodedWord(text, EncoderUtil.Usage.TEXT_TOKEN, name.length() + 2,
                    StandardCharsets.UTF_8, null);
        }
        return field(name, body);
    }

    private static boolean hasLongWord(String text) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = Character.isWhitespace(text.charAt(i)) ? 0 : run + 1;
            if (run > LONGEST_WORD) {
                return true;
            }
        }
        return false;
    }

    /** Counts the UTF-8 octets of each CRLF-ended line in place: no split, no regular expression, no copies. */
    static void requireShortLines(String folded, String name) {
        int octets = 0;
        for (int i = 0, n = folded.length(); i < n; i++) {
            char c = folded.charAt(i);
            if (c == '\r' && i + 1 < n && folded.charAt(i + 1) == '\n') {
                octets = 0;
                i++;
                continue;
            }
            // a surrogate pair is one 4-octet character: 2 counted for each half
            octets += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            if (octets > TransferEncoding.MAX_LINE_OCTETS) {
                throw new MailCompositionException("The " + name + " header has a part too long to fold within "
                        + TransferEncoding.MAX_LINE_OCTETS + " octets per line");
            }
        }
    }
}
