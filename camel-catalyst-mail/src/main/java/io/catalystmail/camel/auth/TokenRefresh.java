package io.catalystmail.camel.auth;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a SASL exchange and, when the server refused an OAuth2 token as expired or invalid, asks the token
 * supplier once for a fresh token and runs it again on the same connection (IMAP, POP3 and SMTP all stay in
 * their not-authenticated state after a refused AUTH). A second refusal fails with the server's reason.
 */
public final class TokenRefresh {

    private static final Logger LOG = LoggerFactory.getLogger(TokenRefresh.class);

    /** One SASL exchange on the wire, as each protocol frames it. */
    @FunctionalInterface
    public interface Exchange<T> {
        T run(SaslMechanism mechanism) throws IOException;
    }

    private TokenRefresh() {
    }

    public static <T> T authenticate(SaslMechanism mechanism, Credentials credentials, Exchange<T> exchange)
            throws IOException {
        try {
            return exchange.run(mechanism);
        } catch (AuthenticationException refused) {
            if (!(mechanism instanceof BearerTokenMechanism bearer)) {
                throw refused;
            }
            if (!bearer.refusedToken() || !credentials.tokenRefreshable()) {
                throw withDetail(refused, bearer, "");
            }
            // no user name at INFO: username is a secret option
            LOG.info("{} refused the access token{}; asking the accessTokenSupplier for a fresh token and trying once"
                     + " more", mechanism.name(), bearer.serverDetail());
            BearerTokenMechanism again = (BearerTokenMechanism) SaslMechanisms.create(mechanism.name(),
                    credentials.withRefreshedToken());
            try {
                return exchange.run(again);
            } catch (AuthenticationException second) {
                throw withDetail(second, again, "; refused again with a fresh token from the accessTokenSupplier");
            }
        }
    }

    /** The refusal with the server's JSON error appended (it holds no secret) and what happened before. */
    private static AuthenticationException withDetail(AuthenticationException e, BearerTokenMechanism mechanism,
            String after) {
        String message = e.getMessage();
        String detail = mechanism.serverDetail();
        if (!message.contains(detail)) {
            message += detail;
        }
        message += after;
        return message.equals(e.getMessage()) ? e : new AuthenticationException(message, e);
    }
}
