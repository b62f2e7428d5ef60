package io.catalystmail.camel.net;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Turns a connected socket into a verified TLS socket, for implicit TLS and for STARTTLS/STLS alike.
 * The certificate chain is checked by the context's trust managers and, unless explicitly disabled, the
 * host name by JSSE's endpoint identification (Commons Net leaves that off by default).
 */
public final class TlsSockets {

    private TlsSockets() {
    }

    /**
     * Layers TLS over {@code plain} and completes the handshake within the connect timeout.
     *
     * @throws TlsFailureException when the handshake fails, with the reason a user can act on
     */
    public static SSLSocket upgrade(Socket plain, ConnectionSettings settings) throws IOException {
        SSLSocket tls = (SSLSocket) settings.sslContextOrDefault().getSocketFactory()
                .createSocket(plain, settings.host(), settings.port(), true);
        SSLParameters params = tls.getSSLParameters();
        if (settings.verifyHostname()) {
            // "HTTPS" identification is the RFC 6125 / RFC 2818 check, wildcards included, that mail servers use too
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isIpLiteral(settings.host())) {
            params.setServerNames(List.of(new SNIHostName(settings.host())));
        }
        tls.setSSLParameters(params);
        tls.setUseClientMode(true);
        int previousTimeout = plain.getSoTimeout();
        tls.setSoTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
        try {
            tls.startHandshake();
        } catch (SSLHandshakeException e) {
            throw new TlsFailureException("TLS handshake with " + settings.host() + ":" + settings.port() + " failed: "
                    + reason(e), e);
        } catch (SSLException e) {
            // not a TLS peer, typically: the JDK says only "Unsupported or unrecognized SSL message" when a plain port
            // (143, 110, 25, 587) answers a client that starts with TLS (imaps, pop3s, smtps)
            throw new TlsFailureException("TLS handshake with " + settings.host() + ":" + settings.port() + " failed: "
                    + e.getMessage() + (settings.implicitTls() ? "; if this port speaks plain text first (143, 110, 25,"
                    + " 587), use its plain scheme with startTls instead of imaps, pop3s or smtps" : ""), e);
        } catch (SocketTimeoutException e) {
            // the JDK's message says only "Read timed out": name the server and the option that set the limit
            SocketTimeoutException named = new SocketTimeoutException("TLS handshake with " + settings.host() + ":"
                    + settings.port() + " got no answer within " + settings.connectTimeout().toMillis()
                    + " ms (connectTimeout)");
            named.initCause(e);
            throw named;
        }
        tls.setSoTimeout(previousTimeout);
        return tls;
    }

    private static String reason(SSLHandshakeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                String msg = String.valueOf(t.getMessage());
                if (msg.contains("No subject alternative") || msg.contains("No name matching")) {
                    return "the certificate does not name this host (" + msg + ")";
                }
                return "the server certificate is not trusted (" + msg + "); configure sslContextParameters to trust it";
            }
        }
        return String.valueOf(e.getMessage());
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
