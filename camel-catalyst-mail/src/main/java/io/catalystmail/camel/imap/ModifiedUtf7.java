package io.catalystmail.camel.imap;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Mailbox names in IMAP's modified UTF-7 (RFC 3501 §5.1.3): printable US-ASCII stands for itself except
 * '&amp;', which becomes "&amp;-"; any other run of characters is UTF-16 in modified base64 (',' for '/', no
 * padding) between '&amp;' and '-'.
 */
public final class ModifiedUtf7 {

    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private ModifiedUtf7() {
    }

    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c == '&') {
                out.append("&-");
                i++;
            } else if (c >= 0x20 && c <= 0x7e) {
                out.append(c);
                i++;
            } else {
                int start = i;
                while (i < name.length() && (name.charAt(i) < 0x20 || name.charAt(i) > 0x7e)) {
                    i++;
                }
                byte[] utf16 = name.substring(start, i).getBytes(StandardCharsets.UTF_16BE);
                out.append('&').append(ENCODER.encodeToString(utf16).replace('/', ',')).append('-');
            }
        }
        return out.toString();
    }

    /**
     * Decodes a name as the server sends it.
     *
     * @throws IllegalArgumentException when the name is not valid modified UTF-7
     */
    public static String decode(String encoded) {
        StringBuilder out = new StringBuilder(encoded.length());
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("not modified UTF-7: raw character U+" + Integer.toHexString(c));
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int dash = encoded.indexOf('-', i + 1);
            if (dash < 0) {
                throw new IllegalArgumentException("not modified UTF-7: '&' without closing '-'");
            }
            if (dash == i + 1) {
                out.append('&');
            } else {
                out.append(decodeRun(encoded.substring(i + 1, dash)));
            }
            i = dash + 1;
        }
        return out.toString();
    }

    private static String decodeRun(String run) {
        if (run.indexOf('/') >= 0 || run.indexOf('=') >= 0) {
            throw new IllegalArgumentException("not modified UTF-7: '/' or padding in a base64 run");
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(run.replace(',', '/'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not modified UTF-7: bad base64 run", e);
        }
        if (bytes.length == 0 || bytes.length % 2 != 0) {
            throw new IllegalArgumentException("not modified UTF-7: base64 run is not whole UTF-16 units");
        }
        try {
            return StandardCharsets.UTF_16BE.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("not modified UTF-7: malformed UTF-16 in a base64 run", e);
        }
    }
}
