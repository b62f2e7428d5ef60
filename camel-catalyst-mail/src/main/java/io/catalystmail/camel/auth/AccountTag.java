package io.catalystmail.camel.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How the product names an account without naming the user, which the catalog (as camel-mail's) and Camel's
 * sanitizer treat as a secret ({@code username=xxxxxx} in health output): the {@code account} tag of the meters,
 * and the account in log lines, error texts and so health-check messages ({@link Credentials#account()}). Two
 * users of one server get tags of their own; one user's endpoints get the same tag, on every node and across
 * restarts, as the tag depends on the user name alone. A pseudonym, not a secret: whoever can guess a user name can
 * check it against the tag.
 */
public final class AccountTag {

    /** The tag of an endpoint that logs in as nobody (SMTP without AUTH): Micrometer wants one set of tag keys. */
    public static final String NONE = "none";
    private static final int HEX_DIGITS = 12;

    private AccountTag() {
    }

    /**
     * The first 12 hexadecimal digits of the SHA-256 of the user name in UTF-8: what
     * {@code printf %s USER | sha256sum | cut -c1-12} prints, so an operator can tell which user a series counts.
     */
    public static String of(String username) {
        if (username == null || username.isEmpty()) {
            return NONE;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(username.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
