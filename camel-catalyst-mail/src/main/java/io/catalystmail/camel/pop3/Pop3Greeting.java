package io.catalystmail.camel.pop3;

import java.io.IOException;
import java.net.SocketTimeoutException;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.net.WrongPortHints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AUTHORIZATION state of RFC 1939 §4 on a connected socket: the greeting, CAPA (RFC 2449), STLS as configured
 * (RFC 2595 §4), the login, and CAPA again, since capabilities may change after login (RFC 2449 §5; PIPELINING is
 * often announced only then).
 */
final class Pop3Greeting {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3MailboxSession.class);
    /** RFC 2449 defines a dozen capabilities; a CAPA answer longer than this is not a real server's. */
    private static final int MAX_CAPA_LINES = 1000;

    private final Pop3Connection connection;
    private final ConnectionSettings settings;

    Pop3Greeting(Pop3Connection connection, ConnectionSettings settings) {
        this.connection = connection;
        this.settings = settings;
    }

    /** Reads the greeting and logs in; returns the capabilities the server announces to the logged-in user. */
    Pop3Capabilities logIn(Credentials credentials) throws IOException {
        Pop3Reply greeting;
        try {
            greeting = connection.readReply();
        } catch (SocketTimeoutException silent) {
            throw WrongPortHints.noGreeting(noGreeting(silent), settings);
        }
        if (!greeting.ok()) {
            throw new IOException("POP3 server " + connection.describe() + " refused the connection: " + greeting);
        }
        Pop3Capabilities capabilities = capabilities();
        if (!settings.implicitTls()) {
            capabilities = startTlsAsConfigured(capabilities);
        }
        new Pop3Login(connection, settings, credentials).login(capabilities, apopTimestamp(greeting.text()));
        capabilities = capabilities();
        LOG.debug("logged in to {} as {}; capabilities {}", connection.describe(), credentials.account(),
                capabilities);
        return capabilities;
    }

    /**
     * The read timeout of the greeting, naming what was awaited and the option that bounds the wait, as IMAP's does:
     * the connection's own text says only that the server did not answer, and nothing was asked yet. A greeting that
     * began and stalled is named by the connection already.
     */
    private SocketTimeoutException noGreeting(SocketTimeoutException silent) {
        if (silent.bytesTransferred > 0) {
            return silent; // the greeting began and stalled: the connection's text says so (Pop3Connection)
        }
        SocketTimeoutException named = new SocketTimeoutException("POP3 server " + connection.describe()
                + " did not answer the greeting within " + settings.readTimeout().toMillis() + " ms (readTimeout)");
        named.initCause(silent);
        return named;
    }

    private Pop3Capabilities startTlsAsConfigured(Pop3Capabilities capabilities) throws IOException {
        if (settings.startTls() == StartTlsMode.DISABLED) {
            return capabilities;
        }
        if (!capabilities.stls()) {
            if (settings.startTls() == StartTlsMode.REQUIRED) {
                throw new IOException("startTls=REQUIRED, but POP3 server " + connection.describe()
                        + " does not offer STLS; nothing was sent");
            }
            return capabilities;
        }
        connection.send("STLS");
        Pop3Reply reply = connection.readReply();
        if (!reply.ok()) {
            throw new IOException("POP3 server " + connection.describe() + " refused STLS: " + reply);
        }
        connection.startTls();
        return capabilities();
    }

    private Pop3Capabilities capabilities() throws IOException {
        connection.send("CAPA");
        Pop3Reply reply = connection.readReply();
        return reply.ok() ? Pop3Capabilities.parse(connection.readLines("CAPA", MAX_CAPA_LINES))
                : Pop3Capabilities.NONE;
    }

    /** RFC 1939 §7: the timestamp is the msg-id-like {@code <...>} in the greeting. */
    static String apopTimestamp(String greeting) {
        int start = greeting.indexOf('<');
        int end = start < 0 ? -1 : greeting.indexOf('>', start);
        return end > start + 1 && greeting.substring(start, end).indexOf('@') > 0 ? greeting.substring(start, end + 1)
                : null;
    }
}
