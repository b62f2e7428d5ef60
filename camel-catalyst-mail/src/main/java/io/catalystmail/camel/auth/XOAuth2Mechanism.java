package io.catalystmail.camel.auth;

import java.nio.charset.StandardCharsets;

/**
 * XOAUTH2 as used by Gmail and Microsoft 365: {@code user=U^Aauth=Bearer T^A^A}. On failure the server sends
 * a challenge holding a JSON error; the client must answer it with an empty response so the server can
 * finish with its failure reply.
 */
final class XOAuth2Mechanism implements SaslMechanism {

    private final Credentials credentials;
    private byte[] serverError;

    XOAuth2Mechanism(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public String name() {
        return "XOAUTH2";
    }

    @Override
    public byte[] initialResponse() throws AuthenticationException {
        String token = credentials.accessToken();
        return ("user=" + credentials.username() + "\u0001auth=Bearer " + token + "\u0001\u0001")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] respond(byte[] challenge) throws AuthenticationException {
        if (challenge.length == 0) {
            // the server did not take an initial response: send it now
            return initialResponse();
        }
        serverError = challenge;
        return new byte[0];
    }

    /** The JSON error document the server sent, if any (contains no secret). */
    String serverError() {
        return serverError == null ? null : new String(serverError, StandardCharsets.UTF_8);
    }
}
