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
 */
public record ConnectionSettings(String host, int port, boolean implicitTls, StartTlsMode startTls, SSLContext sslContext,
        boolean verifyHostname, Duration connectTimeout, Duration readTimeout, boolean allowInsecureAuth) {

    public ConnectionSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startTls, "startTls");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Plain settings for tests and simple uses: no TLS, given timeouts. */
    public static ConnectionSettings plain(String host, int port, Duration timeout) {
        return new ConnectionSettings(host, port, false, StartTlsMode.DISABLED, null, true, timeout, timeout, false);
    }

    public ConnectionSettings withStartTls(StartTlsMode mode, SSLContext context) {
        return new ConnectionSettings(host, port, implicitTls, mode, context, verifyHostname, connectTimeout, readTimeout,
                allowInsecureAuth);
    }

    public ConnectionSettings withAllowInsecureAuth(boolean allow) {
        return new ConnectionSettings(host, port, implicitTls, startTls, sslContext, verifyHostname, connectTimeout,
                readTimeout, allow);
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
