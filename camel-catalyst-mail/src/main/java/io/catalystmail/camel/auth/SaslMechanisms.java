package io.catalystmail.camel.auth;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Picks and creates the SASL mechanism for a login, from what the server offers and what the user set. */
public final class SaslMechanisms {

    /**
     * Strongest first: a token beats a password, and a challenge-response keeps the password off the wire. Of the
     * token mechanisms XOAUTH2 comes first: Gmail offers both and Microsoft 365 only XOAUTH2.
     */
    private static final List<String> PREFERENCE = List.of("XOAUTH2", "OAUTHBEARER", "CRAM-MD5", "PLAIN", "LOGIN");

    private SaslMechanisms() {
    }

    /** The mechanism names this project implements. */
    public static List<String> supported() {
        return PREFERENCE;
    }

    /**
     * Chooses the mechanism: the one the user named (which the server must offer), else the strongest the
     * server offers that the credentials can satisfy.
     *
     * @param offered mechanism names from the server's capabilities (any case)
     * @throws AuthenticationException when nothing fits, naming what was offered and what was wanted
     */
    public static SaslMechanism choose(Collection<String> offered, Credentials credentials) throws AuthenticationException {
        Set<String> serverSide = new TreeSet<>();
        for (String s : offered) {
            serverSide.add(s.toUpperCase(Locale.ROOT));
        }
        if (credentials.mechanism() != null) {
            String wanted = credentials.mechanism().toUpperCase(Locale.ROOT);
            if (!PREFERENCE.contains(wanted)) {
                throw new AuthenticationException("unsupported authMechanism " + wanted + "; supported: " + PREFERENCE);
            }
            if (!serverSide.contains(wanted)) {
                throw new AuthenticationException("the server does not offer " + wanted + " (it offers " + serverSide + ")");
            }
            return create(wanted, credentials);
        }
        for (String name : PREFERENCE) {
            if (serverSide.contains(name) && usable(name, credentials)) {
                return create(name, credentials);
            }
        }
        throw new AuthenticationException("no usable authentication mechanism: the server offers " + serverSide
                + ", the credentials allow " + PREFERENCE.stream().filter(n -> usable(n, credentials)).toList());
    }

    /** Creates the named mechanism; the name must be one of {@link #supported()}. */
    public static SaslMechanism create(String name, Credentials credentials) throws AuthenticationException {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "PLAIN" -> new PlainMechanism(credentials);
            case "LOGIN" -> new LoginMechanism(credentials);
            case "CRAM-MD5" -> new CramMd5Mechanism(credentials);
            case "XOAUTH2" -> new XOAuth2Mechanism(credentials);
            case "OAUTHBEARER" -> new OAuthBearerMechanism(credentials);
            default -> throw new AuthenticationException("unsupported authentication mechanism " + name);
        };
    }

    /** True when the credentials can satisfy the named mechanism: a token for the OAuth2 ones, else a password. */
    public static boolean usable(String name, Credentials credentials) {
        return takesToken(name) ? credentials.hasToken() : credentials.password() != null;
    }

    /** True for the mechanisms that carry an OAuth2 bearer token (XOAUTH2, OAUTHBEARER). */
    public static boolean takesToken(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.equals("XOAUTH2") || upper.equals("OAUTHBEARER");
    }
}
