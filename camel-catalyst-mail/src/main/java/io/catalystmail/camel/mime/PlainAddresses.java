package io.catalystmail.camel.mime;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.Mailbox;

/**
 * The common case of an address option, {@code user@example.com} or a comma separated list of such bare addresses,
 * read without Mime4j's address parser, which allocates about 50 KB of buffers per call (a generated parser with
 * 4,096-entry character, line and column arrays and a stream decoder) and made up two fifths of the memory a
 * sent message allocated. Anything else (display names, angle brackets, quotes, comments, groups, domain literals,
 * non-ASCII, empty list items) is left to that parser: {@link #parse} then answers null.
 */
final class PlainAddresses {

    private PlainAddresses() {
    }

    /**
     * @param text a list already cleared of Outlook's semicolons
     * @return the mailboxes, each as the full parser would give it (no name, no route), or null when the text is not
     * a list of bare addresses made of RFC 5322 dot-atoms (§3.4.1 addr-spec, §3.2.3 dot-atom)
     */
    static List<Address> parse(String text) {
        List<Address> result = new ArrayList<>(1);
        int start = 0;
        int length = text.length();
        while (start <= length) {
            int comma = text.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            Mailbox mailbox = bareAddress(text, start, end);
            if (mailbox == null) {
                return null;
            }
            result.add(mailbox);
            start = end + 1;
        }
        return result;
    }

    private static Mailbox bareAddress(String text, int from, int to) {
        while (from < to && isBlank(text.charAt(from))) {
            from++;
        }
        while (to > from && isBlank(text.charAt(to - 1))) {
            to--;
        }
        int at = text.indexOf('@', from);
        if (at < 0 || at >= to || !isDotAtom(text, from, at) || !isDotAtom(text, at + 1, to)) {
            return null;
        }
        return new Mailbox(text.substring(from, at), text.substring(at + 1, to));
    }

    /** One or more runs of atext separated by single dots, nothing else (no CFWS, no quoting). */
    private static boolean isDotAtom(String text, int from, int to) {
        if (from >= to || text.charAt(from) == '.' || text.charAt(to - 1) == '.') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (text.charAt(i - 1) == '.') {
                    return false;
                }
            } else if (!isAtext(c)) {
                return false;
            }
        }
        return true;
    }

    /** RFC 5322 §3.2.3 atext, ASCII only (non-ASCII goes through the parser and IDN handling). */
    private static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
