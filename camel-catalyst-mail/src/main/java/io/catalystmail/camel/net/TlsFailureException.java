package io.catalystmail.camel.net;

import javax.net.ssl.SSLException;

/** A TLS handshake failed: untrusted certificate, wrong host name, or no common protocol. */
public class TlsFailureException extends SSLException {

    public TlsFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
