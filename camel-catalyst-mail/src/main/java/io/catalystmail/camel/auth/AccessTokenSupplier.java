package io.catalystmail.camel.auth;

/**
 * Supplies OAuth2 access tokens for XOAUTH2. Called before each authentication, so an implementation can
 * refresh tokens as they expire; register one as a bean and name it in the {@code accessTokenSupplier} option.
 */
@FunctionalInterface
public interface AccessTokenSupplier {

    /** A currently valid access token for {@code username}. */
    String accessToken(String username) throws Exception;
}
