package io.catalystmail.camel.auth;

import java.nio.charset.StandardCharsets;

/**
 * The non-standard but ubiquitous LOGIN mechanism (draft-murchison-sasl-login): the server asks for the user
 * name, then the password. Answered in that order, whatever the prompt text says.
 */
final class LoginMechanism implements SaslMechanism {

    private final Credentials credentials;
    private int step;

    LoginMechanism(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public String name() {
        return "LOGIN";
    }

    @Override
    public byte[] initialResponse() {
        return null;
    }

    @Override
    public byte[] respond(byte[] challenge) throws AuthenticationException {
        step++;
        if (step == 1) {
            return credentials.username().getBytes(StandardCharsets.UTF_8);
        }
        if (step == 2) {
            if (credentials.password() == null) {
                throw new AuthenticationException("LOGIN needs a password, but none is configured");
            }
            return credentials.password().getBytes(StandardCharsets.UTF_8);
        }
        throw new AuthenticationException("LOGIN: the server sent more challenges than the mechanism has");
    }
}
