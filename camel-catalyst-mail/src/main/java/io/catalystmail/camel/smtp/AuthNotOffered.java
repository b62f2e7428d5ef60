package io.catalystmail.camel.smtp;

/**
 * What to do when credentials are configured but the SMTP server's EHLO reply lists no AUTH (RFC 4954 §3). Servers
 * that trust their network offer AUTH only to other addresses (Apache James's shipped configuration, Postfix with
 * {@code mynetworks}), and such a relay takes the mail without a login. On a plain connection, though, an attacker
 * can strip AUTH from the reply just as it can strip STARTTLS, and the mail would then go out unauthenticated to
 * whoever answered.
 */
public enum AuthNotOffered {
    /** Send without logging in only over TLS whose certificate and host name were verified (the default). */
    PROCEED_OVER_VERIFIED_TLS,
    /** Send without logging in whatever the connection: for a relay trusted on its network. */
    PROCEED,
    /** Never send without logging in when credentials are configured. */
    FAIL;

    /** Whether a session may go on unauthenticated over a connection that is (not) encrypted and verified. */
    boolean proceeds(boolean encrypted, boolean hostnameVerified) {
        return switch (this) {
            case PROCEED -> true;
            case PROCEED_OVER_VERIFIED_TLS -> encrypted && hostnameVerified;
            case FAIL -> false;
        };
    }
}
