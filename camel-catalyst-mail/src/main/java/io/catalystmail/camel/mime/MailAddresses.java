package io.catalystmail.camel.mime;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.ParseException;

/**
 * One parsed address list (To, Cc, Bcc, Reply-To, From) as Mime4j addresses. Internationalised domains are
 * turned into their ASCII form (RFC 5890 A-labels) so only a non-ASCII local part needs SMTPUTF8 (RFC 6531).
 */
final class MailAddresses {

    private final List<Address> addresses;

    private MailAddresses(List<Address> addresses) {
        this.addresses = addresses;
    }

    static MailAddresses none() {
        return new MailAddresses(List.of());
    }

    /**
     * Parses a list separated by commas or, as Outlook users type and camel-mail accepts, semicolons; the error
     * names {@code where}, not the text.
     */
    static MailAddresses parse(String text, String where) {
        if (text == null || text.isBlank()) {
            return none();
        }
        String list = parserInput(text);
        List<Address> plain = PlainAddresses.parse(list);
        if (plain != null) {
            return new MailAddresses(plain);
        }
        AddressList parsed;
        try {
            parsed = DefaultAddressParser.DEFAULT.parseAddressList(list);
        } catch (ParseException | RuntimeException e) {
            // the common mistake is an unquoted "Last, First" display name: RFC 5322 section 3.4 reads its comma as
            // the end of an address, so the hint names it
            throw new MailCompositionException("Not a valid address list in the " + where
                    + " (RFC 5322 section 3.4); often a display name that holds a comma or a semicolon: it goes in"
                    + " double quotes, as in \"Doe, Jane\" <jane@example.com>");
        }
        List<Address> result = new ArrayList<>();
        for (Address address : parsed) {
            if (address instanceof Mailbox mailbox) {
                result.add(asciiDomain(mailbox, where));
            } else if (address instanceof Group group) {
                List<Mailbox> members = new ArrayList<>();
                for (Mailbox mailbox : group.getMailboxes()) {
                    members.add(asciiDomain(mailbox, where));
                }
                result.add(new Group(group.getName(), members));
            }
        }
        return new MailAddresses(result);
    }

    /**
     * The list as the parsers read it. Semicolons that separate addresses become commas; a list with RFC 5322 group
     * syntax ({@code Team: a@x, b@y;}) keeps them, as there the semicolon ends the group. A display-name word that is
     * one non-ASCII character ({@code 李 明}, {@code Antwortstelle Ü}) is put in double quotes: Mime4j 0.8.14's
     * parser refuses such a word ("Encountered \u00dc") though RFC 6532 section 3.2 allows UTF-8 in atoms and
     * camel-mail accepts it, and the quoted word is the same name once parsed. Quoted strings, comments and angle
     * brackets are left as they are, and so is a character next to '@' or '.' (part of an address): what the parser
     * refuses stays refused.
     */
    static String parserInput(String text) {
        return parserInput(text, true);
    }

    private static String parserInput(String text, boolean semicolonsSeparate) {
        StringBuilder out = new StringBuilder(text.length());
        boolean angle = false;
        int i = 0;
        while (i < text.length()) {
            int skipped = quotedOrCommentEnd(text, i);
            if (skipped > i) {
                out.append(text, i, skipped);
                i = skipped;
                continue;
            }
            char c = text.charAt(i);
            if (c == '<') {
                angle = true;
            } else if (c == '>') {
                angle = false;
            } else if (!angle && c == ':' && semicolonsSeparate) {
                return parserInput(text, false); // group syntax
            } else if (!angle && c == ';' && semicolonsSeparate) {
                c = ',';
            }
            if (!angle && c >= 0x80 && !Character.isSurrogate(c) && startsWord(text, i) && endsWord(text, i + 1)) {
                out.append('"').append(c).append('"');
            } else {
                out.append(c);
            }
            i++;
        }
        return out.toString();
    }

    /** The end of the quoted string or comment that opens at {@code at}, or {@code at} when none opens there. */
    private static int quotedOrCommentEnd(String text, int at) {
        char c = text.charAt(at);
        if (c == '"') {
            return LexicalTokens.quotedStringEnd(text, at, text.length());
        }
        return c == '(' ? LexicalTokens.commentEnd(text, at, text.length()) : at;
    }

    private static boolean startsWord(String text, int at) {
        return at == 0 || " \t,:".indexOf(text.charAt(at - 1)) >= 0;
    }

    private static boolean endsWord(String text, int after) {
        return after == text.length() || " \t,<".indexOf(text.charAt(after)) >= 0;
    }

    boolean isEmpty() {
        return addresses.isEmpty();
    }

    /** The addresses as written into a header (groups kept). */
    List<Address> forHeader() {
        return addresses;
    }

    /** Every mailbox, groups flattened, as bare addresses for the SMTP envelope. */
    List<String> forEnvelope() {
        List<String> result = new ArrayList<>();
        for (Address address : addresses) {
            if (address instanceof Mailbox mailbox) {
                result.add(mailbox.getAddress());
            } else if (address instanceof Group group) {
                group.getMailboxes().forEach(m -> result.add(m.getAddress()));
            }
        }
        return result;
    }

    /** The first mailbox, or null. */
    Mailbox first() {
        for (Address address : addresses) {
            if (address instanceof Mailbox mailbox) {
                return mailbox;
            }
            if (address instanceof Group group && !group.getMailboxes().isEmpty()) {
                return group.getMailboxes().get(0);
            }
        }
        return null;
    }

    /** True when a local part is not ASCII: such an address can only travel with SMTPUTF8. */
    boolean needsSmtpUtf8() {
        // loops rather than streams: this runs six times per message, and stream pipelines were among the largest
        // compilations the JIT compiler still did in a sending JVM's measured phase
        for (Address address : addresses) {
            if (address instanceof Mailbox mailbox) {
                if (!isAscii(mailbox)) {
                    return true;
                }
            } else if (address instanceof Group group) {
                for (Mailbox member : group.getMailboxes()) {
                    if (!isAscii(member)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Looks at the parts, as getAddress() would join them into a new string on each call. */
    private static boolean isAscii(Mailbox mailbox) {
        return isAscii(mailbox.getLocalPart()) && (mailbox.getDomain() == null || isAscii(mailbox.getDomain()));
    }

    static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static Mailbox asciiDomain(Mailbox mailbox, String where) {
        String domain = mailbox.getDomain();
        if (domain == null || domain.isEmpty()) {
            throw new MailCompositionException("The " + where + " contains an address without a domain");
        }
        if (isAscii(domain)) {
            return mailbox;
        }
        try {
            return new Mailbox(mailbox.getName(), mailbox.getRoute(), mailbox.getLocalPart(),
                    IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES));
        } catch (IllegalArgumentException e) {
            throw new MailCompositionException("The " + where + " contains an invalid internationalised domain");
        }
    }
}
