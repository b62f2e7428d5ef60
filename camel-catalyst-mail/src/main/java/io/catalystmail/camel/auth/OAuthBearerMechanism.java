package io.catalystmail.camel.auth;

import java.nio.charset.StandardCharsets;

/**
 * OAUTHBEARER (RFC 7628 §3.1): a GS2 header naming the user, then {@code auth=Bearer T}, separated and ended by
 * ^A. After a failure the server sends a JSON error as a challenge, which the client must answer with a single
 * ^A (§3.2.3) before the server ends the exchange.
 */
final class OAuthBearerMechanism extends BearerTokenMechanism {

    private static final String SEPARATOR = "\u0001";

    OAuthBearerMechanism(Credentials credentials) {
        super(credentials);
    }

    @Override
    public String name() {
        return "OAUTHBEARER";
    }

    @Override
    protected byte[] clientResponse(String token) {
        // gs2-header: no channel binding ("n"), the authorization identity as a saslname (RFC 5801 §4)
        String header = "n,a=" + saslName(credentials.username()) + ",";
        return (header + SEPARATOR + "auth=Bearer " + token + SEPARATOR + SEPARATOR).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected byte[] errorAcknowledgement() {
        return SEPARATOR.getBytes(StandardCharsets.US_ASCII);
    }

    /** RFC 5801 §4: "=" and "," are written as =3D and =2C in a saslname. */
    static String saslName(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }
}
