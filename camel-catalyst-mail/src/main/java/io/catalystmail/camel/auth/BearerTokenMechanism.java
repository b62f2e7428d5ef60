package io.catalystmail.camel.auth;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What XOAUTH2 and OAUTHBEARER share: the token is asked for once per exchange, and a refusal comes as a
 * challenge holding a JSON error (RFC 7628 §3.2.2) that the client answers with a dummy response, after which the
 * server fails the exchange. The error tells whether a fresh token could help.
 */
abstract class BearerTokenMechanism implements SaslMechanism {

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([^\"]{0,64})\"");
    /** Longest error document shown in a message: it holds no secret, but it comes from the server. */
    private static final int MAX_SHOWN = 300;

    protected final Credentials credentials;
    private String token;
    private byte[] serverError;

    BearerTokenMechanism(Credentials credentials) {
        this.credentials = credentials;
    }

    /** The client's first message carrying {@code token}. */
    protected abstract byte[] clientResponse(String token);

    /** The dummy answer to the error challenge. */
    protected abstract byte[] errorAcknowledgement();

    @Override
    public final byte[] initialResponse() throws AuthenticationException {
        if (token == null) {
            token = credentials.accessToken();
        }
        return clientResponse(token);
    }

    @Override
    public final byte[] respond(byte[] challenge) throws AuthenticationException {
        if (challenge.length == 0) {
            // the server did not take an initial response (or it did not fit the command line): send it now
            return initialResponse();
        }
        serverError = challenge;
        return errorAcknowledgement();
    }

    /**
     * True when the server refused the token itself, so a fresh one may succeed: it said so (status 401 from
     * Gmail's XOAUTH2, {@code invalid_token} from RFC 7628), or gave no reason at all (Microsoft 365). False
     * before a token was sent, and for other errors (a missing scope, a malformed request).
     */
    boolean refusedToken() {
        if (token == null) {
            return false;
        }
        String status = status();
        return status == null || status.equals("401") || status.equals("invalid_token");
    }

    /** The status the server's JSON error names, or null. */
    String status() {
        if (serverError == null) {
            return null;
        }
        Matcher m = STATUS.matcher(new String(serverError, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : null;
    }

    /** The server's JSON error document, printable and shortened, or "" when it sent none. */
    String serverDetail() {
        if (serverError == null || serverError.length == 0) {
            return "";
        }
        StringBuilder shown = new StringBuilder();
        String text = new String(serverError, StandardCharsets.UTF_8);
        for (int i = 0; i < text.length() && shown.length() < MAX_SHOWN; i++) {
            char c = text.charAt(i);
            shown.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return " (server detail: " + shown + ")";
    }
}
