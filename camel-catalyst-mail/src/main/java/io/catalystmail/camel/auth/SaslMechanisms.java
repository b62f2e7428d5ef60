package io.catalystmail.camel.auth;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

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
     * @param server  the server as the errors name it (host:port)
     * @throws AuthenticationException when nothing fits, naming the server, what it offered and what was wanted
     */
    public static SaslMechanism choose(Collection<String> offered, Credentials credentials, String server)
            throws AuthenticationException {
        if (credentials.mechanism() != null) {
            String wanted = credentials.mechanism().toUpperCase(Locale.ROOT);
            if (!PREFERENCE.contains(wanted)) {
                throw new AuthenticationException("authMechanism " + wanted + " (for " + server
                        + ") is not one catalystmail supports: " + PREFERENCE);
            }
            if (!offers(offered, wanted)) {
                throw new AuthenticationException(server + " does not offer " + wanted + " (it offers "
                        + described(offered) + ")");
            }
            return create(wanted, credentials);
        }
        for (String name : PREFERENCE) {
            if (offers(offered, name) && usable(name, credentials)) {
                return create(name, credentials);
            }
        }
        throw new AuthenticationException("no usable authentication mechanism: " + server + " offers "
                + described(offered) + ", the credentials allow "
                + PREFERENCE.stream().filter(n -> usable(n, credentials)).toList());
    }

    /**
     * Whether the server offers the mechanism, named in any case: a scan of a handful of names at each login, rather
     * than a sorted set built for it, whose TreeMap the JIT compiled for the Long keys of the IMAP UID sets and then
     * deoptimized (class_check) when the login put Strings in.
     */
    private static boolean offers(Collection<String> offered, String name) {
        for (String s : offered) {
            if (s.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** What the server offers, for an error text: upper case, sorted, each once. */
    private static List<String> described(Collection<String> offered) {
        return offered.stream().map(s -> s.toUpperCase(Locale.ROOT)).sorted().distinct().toList();
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
