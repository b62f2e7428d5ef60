package io.catalystmail.camel.auth;

import java.nio.charset.StandardCharsets;

/** SASL PLAIN (RFC 4616): authorization id empty, then user and password, NUL-separated. */
final class PlainMechanism implements SaslMechanism {

    private final Credentials credentials;

    PlainMechanism(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public byte[] initialResponse() throws AuthenticationException {
        if (credentials.password() == null) {
            throw new AuthenticationException("PLAIN needs a password, but none is configured");
        }
        return ("\0" + credentials.username() + "\0" + credentials.password()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] respond(byte[] challenge) throws AuthenticationException {
        // servers that do not take an initial response send an empty challenge first
        return initialResponse();
    }
}
