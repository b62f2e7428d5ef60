package io.catalystmail.camel.imap;

import java.util.Locale;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.PercentEncoding;
import io.catalystmail.camel.net.ConnectionSettings;

/**
 * RFC 5092-style IMAP URLs naming a message across sessions and nodes:
 * {@code imap://user@host:port/FOLDER;UIDVALIDITY=v/;UID=u}, user and folder percent-encoded (RFC 5092 §3), the
 * host in lower case and an IPv6 literal in brackets. The UIDVALIDITY makes a URL stale when the folder's UIDs
 * were reassigned (RFC 3501 §2.3.1.1).
 */
final class MessageUrls {

    private MessageUrls() {
    }

    /** Everything of a message's URL but the UID, which is appended to it. */
    static String prefix(ConnectionSettings settings, Credentials credentials, String folder, long uidValidity) {
        StringBuilder sb = new StringBuilder("imap://");
        if (credentials.present()) {
            sb.append(PercentEncoding.encode(credentials.username(), false)).append('@');
        }
        String host = settings.host().toLowerCase(Locale.ROOT);
        return sb.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host).append(':').append(settings.port())
                .append('/').append(PercentEncoding.encode(folder, true)).append(";UIDVALIDITY=").append(uidValidity)
                .append("/;UID=").toString();
    }
}
