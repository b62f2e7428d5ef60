package io.catalystmail.camel.smtp;

import java.io.IOException;
import java.util.Base64;
import java.util.Set;

import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.auth.SaslMechanism;
import io.catalystmail.camel.auth.SaslMechanisms;
import io.catalystmail.camel.auth.TokenRefresh;
import io.catalystmail.camel.net.ConnectionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP AUTH exchange (RFC 4954), driven by reply codes read here rather than by Commons Net's
 * {@code AuthenticatingSMTPClient}, which takes an XOAUTH2 success for a failure: 235 ends in success, 334 carries
 * a challenge, anything else is a refusal. Neither the credentials nor the base64 lines appear in logs or messages.
 */
final class SmtpAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpAuthentication.class);

    /** More rounds than any supported mechanism needs (LOGIN has two); stops a server that keeps challenging. */
    private static final int MAX_CHALLENGES = 5;

    private SmtpAuthentication() {
    }

    /**
     * True when credentials may be sent: the connection is encrypted, or plain text is acceptable for it
     * (loopback, or the user opted in).
     */
    static boolean mayAuthenticate(boolean encrypted, ConnectionSettings settings) {
        return encrypted || settings.plaintextCredentialsAllowed();
    }

    static void authenticate(SmtpConnection connection, ConnectionSettings settings, Set<String> offered,
            Credentials credentials, AuthNotOffered whenNotOffered) throws IOException {
        String server = settings.describe();
        if (offered.isEmpty()) {
            if (whenNotOffered.proceeds(connection.encrypted(), settings.verifyHostname())) {
                LOG.info("{} does not offer AUTH: sending as an unauthenticated client, the configured credentials are"
                        + " not used (authNotOffered={})", server, whenNotOffered);
                return;
            }
            throw new AuthenticationException(server + " does not offer AUTH, but credentials are configured for "
                    + credentials.account() + (connection.encrypted() ? "" : " and the connection is not encrypted"
                    + " (AUTH may have been stripped)") + "; nothing was sent. authNotOffered=" + whenNotOffered
                    + (whenNotOffered == AuthNotOffered.FAIL ? "" : "; set authNotOffered=PROCEED for a relay trusted"
                    + " on its network"));
        }
        if (!mayAuthenticate(connection.encrypted(), settings)) {
            throw new AuthenticationException("refusing to send the credentials of " + credentials.account()
                    + " over an unencrypted connection to " + server + "; use TLS (secure=true or startTls=REQUIRED)"
                    + " or, if the network is trusted, allowInsecureAuth=true");
        }
        TokenRefresh.authenticate(SaslMechanisms.choose(offered, credentials, server), credentials,
                mechanism -> exchange(connection, server, mechanism, credentials));
    }

    private static Void exchange(SmtpConnection connection, String server, SaslMechanism mechanism,
            Credentials credentials) throws IOException {
        String name = mechanism.name();
        byte[] initial = mechanism.initialResponse();
        String logged = "AUTH " + name + (initial != null ? " ***" : "");
        // RFC 4954 §4: an empty initial response is sent as "="
        connection.command(initial == null ? "AUTH " + name
                : "AUTH " + name + " " + (initial.length == 0 ? "=" : encode(initial)), logged);
        for (int round = 0; round <= MAX_CHALLENGES; round++) {
            SmtpReply reply = connection.readReply("AUTH " + name);
            if (reply.code() == 235) {
                return null;
            }
            if (reply.code() != 334) {
                // an OAuth2 mechanism's JSON error (the last challenge) is added by TokenRefresh
                // worded as the IMAP and POP3 logins' refusals: protocol and server, command, account, the reply
                throw new AuthenticationException("SMTP server " + server + " refused AUTH " + name + " for "
                        + credentials.account() + ": " + reply);
            }
            if (round == MAX_CHALLENGES) {
                break;
            }
            byte[] challenge;
            try {
                challenge = Base64.getMimeDecoder().decode(reply.text().trim());
            } catch (IllegalArgumentException e) {
                cancel(connection, name);
                throw new AuthenticationException("SMTP server " + server
                        + " sent a challenge that is not base64 during AUTH " + name);
            }
            byte[] answer;
            try {
                answer = mechanism.respond(challenge);
            } catch (AuthenticationException e) {
                cancel(connection, name);
                throw e;
            }
            connection.command(encode(answer), "***");
        }
        cancel(connection, name);
        throw new AuthenticationException("SMTP server " + server + " sent more challenges during AUTH " + name
                + " than the mechanism has");
    }

    /** RFC 4954 §4: "*" cancels the exchange; the server answers 501. */
    private static void cancel(SmtpConnection connection, String name) throws IOException {
        connection.command("*");
        connection.readReply("AUTH " + name);
    }

    private static String encode(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }
}
