package io.catalystmail.camel.mailbox;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding (RFC 3986 §2.1) of the parts of a message identity URL: everything outside the unreserved
 * characters is encoded from its UTF-8 bytes, so user names, folders and UIDLs cannot run into each other.
 */
public final class PercentEncoding {

    private PercentEncoding() {
    }

    /** {@code value} with every octet outside {@code A-Z a-z 0-9 - . _ ~} (and '/' when kept) as %XX. */
    public static String encode(String value, boolean keepSlash) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0
                || keepSlash && c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
