package io.catalystmail.camel.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SSLContext;

/**
 * Where and how a protocol client connects: host, port, TLS and timeouts. Free of Camel so the protocol
 * packages can be used and tested alone.
 *
 * @param host              server host name (also the name the certificate must match)
 * @param port              TCP port, already resolved (never 0)
 * @param implicitTls       TLS from the first byte (smtps, imaps, pop3s)
 * @param startTls          upgrade policy for plain connections
 * @param sslContext        the TLS context; its trust managers decide which certificates are trusted
 * @param verifyHostname    check that the certificate names {@code host} (on unless explicitly turned off)
 * @param connectTimeout    TCP connect and TLS handshake limit
 * @param readTimeout       limit on waiting for any single read from the server
 * @param allowInsecureAuth send credentials over an unencrypted connection to a non-loopback host
 * @param loginTimeout      limit on connecting, greeting, TLS and login together (and IMAP's SELECT)
 * @param operationTimeout  limit on each operation after login: one FETCH round, RETR, listing or command
 *                          (fetchTimeout), or one SMTP transaction (sendTimeout)
 */
public record ConnectionSettings(String host, int port, boolean implicitTls, StartTlsMode startTls, SSLContext sslContext,
        boolean verifyHostname, Duration connectTimeout, Duration readTimeout, boolean allowInsecureAuth,
        Duration loginTimeout, Duration operationTimeout) {

    /** The defaults of the endpoint options loginTimeout and fetchTimeout / sendTimeout. */
    public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofMinutes(10);

    public ConnectionSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startTls, "startTls");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(loginTimeout, "loginTimeout");
        Objects.requireNonNull(operationTimeout, "operationTimeout");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Settings with the default login and operation deadlines. */
    public ConnectionSettings(String host, int port, boolean implicitTls, StartTlsMode startTls, SSLContext sslContext,
            boolean verifyHostname, Duration connectTimeout, Duration readTimeout, boolean allowInsecureAuth) {
        this(host, port, implicitTls, startTls, sslContext, verifyHostname, connectTimeout, readTimeout,
                allowInsecureAuth, DEFAULT_LOGIN_TIMEOUT, DEFAULT_OPERATION_TIMEOUT);
    }

    public ConnectionSettings withDeadlines(Duration login, Duration operation) {
        return new ConnectionSettings(host, port, implicitTls, startTls, sslContext, verifyHostname, connectTimeout,
                readTimeout, allowInsecureAuth, login, operation);
    }

    /** Plain settings for tests and simple uses: no TLS, given timeouts. */
    public static ConnectionSettings plain(String host, int port, Duration timeout) {
        return new ConnectionSettings(host, port, false, StartTlsMode.DISABLED, null, true, timeout, timeout, false);
    }

    public ConnectionSettings withStartTls(StartTlsMode mode, SSLContext context) {
        return new ConnectionSettings(host, port, implicitTls, mode, context, verifyHostname, connectTimeout, readTimeout,
                allowInsecureAuth, loginTimeout, operationTimeout);
    }

    public ConnectionSettings withAllowInsecureAuth(boolean allow) {
        return new ConnectionSettings(host, port, implicitTls, startTls, sslContext, verifyHostname, connectTimeout,
                readTimeout, allow, loginTimeout, operationTimeout);
    }

    /** The TLS context to use: the configured one, or the JVM default (system trust store). */
    public SSLContext sslContextOrDefault() {
        if (sslContext != null) {
            return sslContext;
        }
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context in this JVM", e);
        }
    }

    /**
     * True when credentials may travel over this connection in the clear: it is a loopback connection, or the
     * user allowed it explicitly. Callers check this only when the connection is not encrypted.
     */
    public boolean plaintextCredentialsAllowed() {
        if (allowInsecureAuth) {
            return true;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public String describe() {
        return host + ":" + port + (implicitTls ? " (TLS)" : "");
    }
}
