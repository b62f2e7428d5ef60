package io.catalystmail.camel.auth;

import java.nio.charset.StandardCharsets;

/**
 * XOAUTH2 as used by Gmail and Microsoft 365: {@code user=U^Aauth=Bearer T^A^A}. On failure the server sends
 * a challenge holding a JSON error; the client answers it with an empty response so the server can finish with
 * its failure reply.
 */
final class XOAuth2Mechanism extends BearerTokenMechanism {

    XOAuth2Mechanism(Credentials credentials) {
        super(credentials);
    }

    @Override
    public String name() {
        return "XOAUTH2";
    }

    @Override
    protected byte[] clientResponse(String token) {
        return ("user=" + credentials.username() + "\u0001auth=Bearer " + token + "\u0001\u0001")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected byte[] errorAcknowledgement() {
        return new byte[0];
    }
}
