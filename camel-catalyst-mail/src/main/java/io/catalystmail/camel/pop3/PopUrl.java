package io.catalystmail.camel.pop3;

import java.util.Locale;

import io.catalystmail.camel.mailbox.PercentEncoding;

/**
 * The identity of a POP3 message across sessions, for idempotency: a POP URL (RFC 2384) naming user, host and
 * port, with the UIDL appended as {@code ;UIDL=}, e.g. {@code pop://anna%40example.org@mail.example.org:995/;UIDL=a1}.
 * Everything outside RFC 3986's unreserved characters is percent-encoded, so the parts cannot run together.
 */
final class PopUrl {

    private PopUrl() {
    }

    /**
     * Everything but the UIDL, which follows percent-encoded: a listing builds it once for all its messages (10,000
     * in a large maildrop).
     */
    static String prefix(String user, String host, int port) {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host.toLowerCase(Locale.ROOT);
        return "pop://" + PercentEncoding.encode(user == null ? "" : user, false) + "@" + h + ":" + port + "/;UIDL=";
    }

    /** The identity of the message listed with {@code uidl}: {@code prefix} (from {@link #prefix}) and the UIDL. */
    static String identity(String prefix, String uidl) {
        return prefix.concat(PercentEncoding.encode(uidl, false));
    }
}
