package io.catalystmail.camel.imap;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reading the generic value model the response reader produces (atom/quoted String, literal byte[], List, NIL null). */
final class ImapValues {

    private ImapValues() {
    }

    /** A number (RFC 3501 number / number64): decimal digits only, no sign, within a long. */
    static long number(Object value) throws ImapProtocolException {
        if (!(value instanceof String s) || s.isEmpty() || s.length() > 18) {
            throw new ImapProtocolException("expected a number, got " + describe(value));
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new ImapProtocolException("expected a number, got " + describe(value));
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** An atom, quoted string or literal as text (UTF-8), or null for NIL. */
    static String text(Object value) throws ImapProtocolException {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        throw new ImapProtocolException("expected a string, got a list");
    }

    static List<?> list(Object value) throws ImapProtocolException {
        if (value instanceof List<?> l) {
            return l;
        }
        throw new ImapProtocolException("expected a parenthesised list, got " + describe(value));
    }

    /** A short description for error messages: never more than a few dozen characters of server input. */
    static String describe(Object value) {
        if (value == null) {
            return "NIL";
        }
        if (value instanceof byte[] b) {
            return "a literal of " + b.length + " octets";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        String s = value.toString();
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }
}
