package io.catalystmail.camel.auth;

/**
 * Supplies OAuth2 access tokens for XOAUTH2 and OAUTHBEARER. Asked before each login; register one as a bean and
 * name it in the {@code accessTokenSupplier} option. {@link OAuth2TokenSupplier} is a ready one for the
 * client-credentials and refresh-token grants.
 */
@FunctionalInterface
public interface AccessTokenSupplier {

    /** A currently valid access token for {@code username}; may come from a cache. */
    String accessToken(String username) throws Exception;

    /**
     * A token that is not the one just refused: the server refused the last token as expired or invalid (RFC 7628
     * §3.2.2, or Gmail's XOAUTH2 status 401), and the login is tried once more with what this returns. A supplier
     * that caches must drop its cached token here; the default asks {@link #accessToken} again, right for one that
     * does not cache.
     */
    default String refreshedAccessToken(String username) throws Exception {
        return accessToken(username);
    }
}
