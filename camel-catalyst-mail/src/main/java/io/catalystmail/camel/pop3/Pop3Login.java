package io.catalystmail.camel.pop3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.auth.SaslMechanism;
import io.catalystmail.camel.auth.SaslMechanisms;
import io.catalystmail.camel.auth.TokenRefresh;
import io.catalystmail.camel.net.ConnectionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs in: SASL through AUTH (RFC 5034) when the server lists SASL mechanisms, else APOP (RFC 1939 §7) when
 * the user asked for it or the connection is unencrypted and the greeting carries a timestamp (the password
 * then never crosses the wire), else USER/PASS; a refused default APOP falls back to USER/PASS.
 * {@code authMechanism=APOP} or {@code USER} forces those (a refused APOP then fails the login).
 * Nothing is sent over an unencrypted connection unless {@link ConnectionSettings#plaintextCredentialsAllowed()}.
 */
final class Pop3Login {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Login.class);

    /** RFC 5034 §4: an AUTH command line with its initial response must fit in 255 octets. */
    private static final int MAX_AUTH_LINE = 255;

    private final Pop3Connection connection;
    private final ConnectionSettings settings;
    private final Credentials credentials;

    Pop3Login(Pop3Connection connection, ConnectionSettings settings, Credentials credentials) {
        this.connection = connection;
        this.settings = settings;
        this.credentials = credentials;
    }

    void login(Pop3Capabilities capabilities, String apopTimestamp) throws IOException {
        if (!credentials.present()) {
            throw new AuthenticationException("POP3 needs a user name to log in to " + connection.describe());
        }
        if (!connection.encrypted() && !settings.plaintextCredentialsAllowed()) {
            throw new AuthenticationException("refusing to send the credentials of " + credentials.account() + " to "
                    + connection.describe() + " over an unencrypted connection; use pop3s, startTls=REQUIRED, or set"
                    + " allowInsecureAuth if the network is trusted");
        }
        String wanted = credentials.mechanism() == null ? null : credentials.mechanism().toUpperCase(Locale.ROOT);
        if ("APOP".equals(wanted)) {
            if (apopTimestamp == null) {
                throw new AuthenticationException("authMechanism=APOP, but the greeting of " + connection.describe()
                        + " has no APOP timestamp");
            }
            apop(apopTimestamp);
            return;
        }
        if ("USER".equals(wanted)) {
            userPass();
            return;
        }
        List<String> offered = capabilities.saslMechanisms();
        if (wanted != null || (!offered.isEmpty() && saslFits(offered))) {
            TokenRefresh.authenticate(SaslMechanisms.choose(offered, credentials, connection.describe()), credentials,
                    this::sasl);
        } else if (credentials.password() == null) {
            throw new AuthenticationException("no way to log in to " + connection.describe() + " with a token only: it"
                    + " offers SASL " + offered + " but neither XOAUTH2 nor OAUTHBEARER");
        } else if (apopTimestamp != null && !connection.encrypted()) {
            apopElseUserPass(apopTimestamp, capabilities);
        } else {
            userPass();
        }
    }

    private boolean saslFits(List<String> offered) {
        try {
            SaslMechanisms.choose(offered, credentials, connection.describe());
            return true;
        } catch (AuthenticationException nothingUsable) {
            return false;
        }
    }

    private Void sasl(SaslMechanism mechanism) throws IOException {
        byte[] initial = mechanism.initialResponse();
        String command = "AUTH " + mechanism.name();
        String withInitial = initial == null ? null
                : command + " " + (initial.length == 0 ? "=" : Base64.getEncoder().encodeToString(initial));
        if (withInitial != null && withInitial.length() <= MAX_AUTH_LINE) {
            connection.sendSecret(withInitial, command + " ***");
        } else {
            connection.send(command);
        }
        Pop3Reply reply = connection.readReply();
        while (reply.status() == Pop3Reply.Status.CONTINUATION) {
            byte[] challenge;
            try {
                challenge = Base64.getDecoder().decode(reply.text());
            } catch (IllegalArgumentException e) {
                connection.send("*");
                connection.readReply();
                throw new AuthenticationException("POP3 server " + connection.describe()
                        + " sent a challenge that is not base64 during AUTH " + mechanism.name());
            }
            connection.sendSecret(Base64.getEncoder().encodeToString(mechanism.respond(challenge)),
                    "AUTH " + mechanism.name() + " response ***");
            reply = connection.readReply();
        }
        if (!reply.ok()) {
            throw refused("AUTH " + mechanism.name(), reply);
        }
        return null;
    }

    /**
     * APOP as the default choice, not the user's: a server may announce a timestamp and still refuse APOP (Apache
     * James keeps passwords hashed and cannot check the digest). After -ERR the session stays in the AUTHORIZATION
     * state (RFC 1939 §7), so USER/PASS follows, unless CAPA was answered without USER (RFC 2449 §6.3). SASL is not
     * retried: it was preferred to APOP and not offered. The plaintext rule was checked in {@link #login}.
     */
    private void apopElseUserPass(String timestamp, Pop3Capabilities capabilities) throws IOException {
        Pop3Reply refusal = apopReply(timestamp);
        if (refusal.ok()) {
            return;
        }
        if (capabilities != Pop3Capabilities.NONE && !capabilities.has("USER")) {
            throw new AuthenticationException(refused("APOP", refusal).getMessage() + "; its CAPA lists no USER to"
                    + " fall back to");
        }
        LOG.info("POP3 server {} refused APOP ({}); trying USER/PASS. Set authMechanism=USER to skip APOP",
                connection.describe(), refusal);
        userPass();
    }

    /** RFC 1939 §7: APOP name digest, where digest is MD5 of the greeting's timestamp and the password. */
    private void apop(String timestamp) throws IOException {
        Pop3Reply reply = apopReply(timestamp);
        if (!reply.ok()) {
            throw refused("APOP", reply);
        }
    }

    private Pop3Reply apopReply(String timestamp) throws IOException {
        if (credentials.password() == null) {
            throw new AuthenticationException("APOP needs a password, but none is configured");
        }
        String digest;
        try {
            byte[] md5 = MessageDigest.getInstance("MD5")
                    .digest((timestamp + credentials.password()).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : md5) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            digest = hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new AuthenticationException("APOP needs MD5, which this JVM lacks", e);
        }
        connection.sendSecret("APOP " + credentials.username() + " " + digest,
                "APOP *** *** (" + credentials.account() + ")");
        return connection.readReply();
    }

    private void userPass() throws IOException {
        if (credentials.password() == null) {
            throw new AuthenticationException("USER/PASS needs a password, but none is configured");
        }
        // the user name is masked in the wire log too: the catalog treats it as a secret
        connection.sendSecret("USER " + credentials.username(), "USER *** (" + credentials.account() + ")");
        Pop3Reply reply = connection.readReply();
        if (!reply.ok()) {
            throw refused("USER", reply);
        }
        connection.sendSecret("PASS " + credentials.password(), "PASS ***");
        reply = connection.readReply();
        if (!reply.ok()) {
            throw refused("PASS", reply);
        }
    }

    private AuthenticationException refused(String step, Pop3Reply reply) {
        return new AuthenticationException("POP3 server " + connection.describe() + " refused " + step + " for "
                + credentials.account() + ": " + reply);
    }
}
