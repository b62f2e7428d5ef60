package io.catalystmail.camel.auth;

/**
 * Who to log in as: a user name with a password and/or an OAuth2 token source, and an optional mechanism the
 * user insists on. {@link #toString()} never shows secrets. Built once per producer or consumer start; a class, not
 * a record, so that the account's name ({@link #account()}, a SHA-256) is computed once, not at every login.
 */
public final class Credentials {

    public static final Credentials NONE = new Credentials(null, null, null, null);

    private final String username;
    private final String password;
    private final AccessTokenSupplier tokens;
    private final String mechanism;
    private final String account;

    /**
     * @param username  the login name, null for no authentication
     * @param password  the password, may be null when a token is used
     * @param tokens    OAuth2 token source for XOAUTH2 and OAUTHBEARER, may be null
     * @param mechanism the SASL mechanism to use (PLAIN, LOGIN, CRAM-MD5, XOAUTH2, OAUTHBEARER), null for the
     *                  strongest both sides support
     */
    public Credentials(String username, String password, AccessTokenSupplier tokens, String mechanism) {
        this(username, password, tokens, mechanism, "account " + AccountTag.of(username));
    }

    private Credentials(String username, String password, AccessTokenSupplier tokens, String mechanism,
            String account) {
        this.username = username;
        this.password = password;
        this.tokens = tokens;
        this.mechanism = mechanism;
        this.account = account;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public AccessTokenSupplier tokens() {
        return tokens;
    }

    public String mechanism() {
        return mechanism;
    }

    public boolean present() {
        return username != null && !username.isEmpty();
    }

    public boolean hasToken() {
        return tokens != null;
    }

    /** True when a refused token can be replaced by asking the supplier again (not a fixed accessToken). */
    public boolean tokenRefreshable() {
        return tokens != null && !(tokens instanceof FixedAccessToken);
    }

    /** These credentials with a supplier that hands out a new token rather than the one just refused. */
    public Credentials withRefreshedToken() {
        AccessTokenSupplier source = tokens;
        return new Credentials(username, password, source::refreshedAccessToken, mechanism, account);
    }

    /**
     * The account as log lines and error texts name it, {@code account 1f2e3d4c5b6a} ({@link AccountTag}): the user
     * name is a secret in the catalog, but several accounts may use one server, so a failure must say whose it is.
     */
    public String account() {
        return account;
    }

    /** Fetches a token from the supplier, wrapping its failure without echoing anything secret. */
    public String accessToken() throws AuthenticationException {
        if (tokens == null) {
            throw new AuthenticationException("OAuth2 login needs an access token, but none is configured");
        }
        try {
            String token = tokens.accessToken(username);
            if (token == null || token.isEmpty()) {
                throw new AuthenticationException("the access token supplier returned no token for " + account());
            }
            return token;
        } catch (AuthenticationException e) {
            throw e;
        } catch (Exception e) {
            throw new AuthenticationException("the access token supplier failed for " + account() + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "Credentials[" + account + ", password=" + (password == null ? "none" : "***")
                + ", token=" + (tokens == null ? "none" : "***") + ", mechanism=" + mechanism + "]";
    }
}
