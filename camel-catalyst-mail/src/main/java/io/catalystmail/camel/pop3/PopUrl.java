package io.catalystmail.camel.pop3;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The identity of a POP3 message across sessions, for idempotency: a POP URL (RFC 2384) naming user, host and
 * port, with the UIDL appended as {@code ;UIDL=}, e.g. {@code pop://anna%40example.org@mail.example.org:995/;UIDL=a1}.
 * Everything outside RFC 3986's unreserved characters is percent-encoded, so the parts cannot run together.
 */
final class PopUrl {

    private PopUrl() {
    }

    static String of(String user, String host, int port, String uidl) {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host.toLowerCase(Locale.ROOT);
        return "pop://" + percentEncoded(user == null ? "" : user) + "@" + h + ":" + port + "/;UIDL="
                + percentEncoded(uidl);
    }

    static String percentEncoded(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
