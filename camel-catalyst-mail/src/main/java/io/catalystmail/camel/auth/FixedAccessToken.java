package io.catalystmail.camel.auth;

/**
 * The {@code accessToken} option: one token, which cannot be refreshed, so a refused login is not tried again
 * with it. {@link #toString()} never shows the token.
 */
public final class FixedAccessToken implements AccessTokenSupplier {

    private final String token;

    public FixedAccessToken(String token) {
        this.token = token;
    }

    @Override
    public String accessToken(String username) {
        return token;
    }

    @Override
    public String toString() {
        return "FixedAccessToken[***]";
    }
}
