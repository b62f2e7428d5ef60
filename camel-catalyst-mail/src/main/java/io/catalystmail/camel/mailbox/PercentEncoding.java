package io.catalystmail.camel.mailbox;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding (RFC 3986 §2.1) of the parts of a message identity URL: everything outside the unreserved
 * characters is encoded from its UTF-8 bytes, so user names, folders and UIDLs cannot run into each other.
 */
public final class PercentEncoding {

    private PercentEncoding() {
    }

    /**
     * {@code value} with every octet outside {@code A-Z a-z 0-9 - . _ ~} (and '/' when kept) as %XX; {@code value}
     * itself when it has none (most UIDLs and UIDs: a POP3 listing encodes one per message, 10,000 in a large
     * maildrop).
     */
    public static String encode(String value, boolean keepSlash) {
        if (unreserved(value, keepSlash)) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (unreserved(c, keepSlash)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static boolean unreserved(String value, boolean keepSlash) {
        for (int i = 0; i < value.length(); i++) {
            if (!unreserved(value.charAt(i), keepSlash)) {
                return false;
            }
        }
        return true;
    }

    private static boolean unreserved(int c, boolean keepSlash) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
               || c == '_' || c == '~' || keepSlash && c == '/';
    }
}
