package io.catalystmail.camel.imap;

import java.io.IOException;
import java.util.Base64;

import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.auth.SaslMechanism;
import io.catalystmail.camel.auth.SaslMechanisms;
import io.catalystmail.camel.auth.TokenRefresh;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.ServerText;

/**
 * Moves a connection from the not-authenticated to the authenticated state (RFC 3501 §6.2): AUTHENTICATE with the
 * configured SASL mechanism or the strongest usable one the server offers (PLAIN, LOGIN, CRAM-MD5, XOAUTH2,
 * OAUTHBEARER: RFC 4616, RFC 2195, RFC 7628), else LOGIN (§6.2.3). Capabilities are asked for before when the
 * greeting listed none, and again afterwards unless the tagged OK carried them: a server may offer more once
 * logged in. Credentials are never sent unencrypted unless {@link ConnectionSettings#plaintextCredentialsAllowed()}.
 */
final class ImapLogin {

    /** The characters of a refusal's text an error shows, as of any other IMAP refusal (ImapCommandException). */
    private static final int REFUSAL_SHOWN = 500;

    private final ImapConnection connection;
    private final ConnectionSettings settings;

    ImapLogin(ImapConnection connection) {
        this.connection = connection;
        this.settings = connection.settings();
    }

    void login(Credentials credentials) throws IOException {
        if (!credentials.present()) {
            throw new AuthenticationException(settings.describe() + " needs a login, but no username is configured");
        }
        if (!connection.isSecure() && !settings.plaintextCredentialsAllowed()) {
            throw new AuthenticationException("refusing to send credentials to " + settings.describe()
                    + " over an unencrypted connection: use imaps or startTls, or, if the network is trusted,"
                    + " allowInsecureAuth=true");
        }
        if (connection.capabilities().isEmpty()) {
            // RFC 3501 §6.2: a greeting need not list capabilities (James's does not); without them LOGINDISABLED
            // and the SASL mechanisms are unknown, and LOGIN would send a password the server may refuse to take
            connection.refreshCapabilities();
        }
        Capabilities capabilities = connection.capabilities();
        boolean saslOffered = capabilities.authMechanisms().stream()
                .anyMatch(m -> SaslMechanisms.supported().contains(m) && SaslMechanisms.usable(m, credentials));
        ImapResponse done;
        // a token alone needs SASL; a token beside a password (an autowired supplier, say) falls back to LOGIN when
        // the server offers no mechanism that takes either
        if (credentials.mechanism() != null || saslOffered || credentials.password() == null) {
            done = TokenRefresh.authenticate(SaslMechanisms.choose(capabilities.authMechanisms(), credentials,
                    settings.describe()),
                    credentials, mechanism -> authenticate(mechanism, credentials.account()));
        } else {
            done = login(credentials, capabilities);
        }
        if (done.code() == null || !done.code().name().equals("CAPABILITY")) {
            // the server may announce more (or fewer) capabilities once logged in
            connection.refreshCapabilities();
        }
    }

    /** LOGIN (RFC 3501 §6.2.3), never sent where the server announced LOGINDISABLED. */
    private ImapResponse login(Credentials credentials, Capabilities capabilities) throws IOException {
        if (capabilities.has("LOGINDISABLED")) {
            throw new AuthenticationException(settings.describe() + " disables LOGIN (LOGINDISABLED)"
                    + (connection.isSecure() ? "" : "; it may allow it over TLS (startTls)")
                    + " and offers no usable SASL mechanism");
        }
        // the user name is masked in the wire log too: the catalog treats it as a secret
        String tag = connection.send(new ImapCommand("LOGIN").secret(credentials.username())
                .secret(credentials.password()));
        ImapResponse done = connection.await(tag, null, null);
        if (!done.isOk()) {
            throw new AuthenticationException("IMAP server " + settings.describe() + " refused LOGIN for "
                    + credentials.account() + ": " + done.type() + " " + shown(done));
        }
        return done;
    }

    /**
     * AUTHENTICATE (RFC 3501 §6.2.2) with the initial response in the command when SASL-IR is offered
     * (RFC 4959 §3, "=" standing for an empty one). A failing XOAUTH2 or OAUTHBEARER sends a JSON challenge that
     * the mechanism acknowledges (RFC 7628 §3.2.3), after which the server sends its NO. A mechanism that cannot
     * answer a challenge cancels the exchange with "*" (§6.2.2).
     */
    private ImapResponse authenticate(SaslMechanism mechanism, String account) throws IOException {
        ImapCommand command = new ImapCommand("AUTHENTICATE").atom(mechanism.name());
        byte[] initial = mechanism.initialResponse();
        if (initial != null && connection.capabilities().has("SASL-IR")) {
            command.secretRaw(initial.length == 0 ? "=" : Base64.getEncoder().encodeToString(initial));
        }
        String tag = connection.send(command);
        while (true) {
            ImapResponse r = connection.awaitContinuationOrAnswer(tag);
            if (r.kind() == ImapResponse.Kind.TAGGED) {
                if (!r.isOk()) {
                    // the account named as LOGIN's refusal names it: several accounts may log in to one server
                    throw new AuthenticationException("IMAP server " + settings.describe() + " refused AUTHENTICATE "
                            + mechanism.name() + " for " + account + ": " + r.type() + " " + shown(r));
                }
                return r;
            }
            byte[] answer;
            try {
                answer = mechanism.respond(decodeChallenge(r.text()));
            } catch (AuthenticationException e) {
                connection.writeSaslLine("*", "C: * (cancel AUTHENTICATE)");
                connection.await(tag, null, null);
                throw e;
            }
            connection.writeSaslLine(Base64.getEncoder().encodeToString(answer), "C: (SASL response, masked)");
        }
    }

    /** A refusal's text as errors and logs show a server's text (a hostile server's controls escaped, cut). */
    private static String shown(ImapResponse refusal) {
        return ServerText.shown(refusal.text(), REFUSAL_SHOWN);
    }

    /** Servers put non-base64 prompts after "+" when they expect no data; treat those as empty challenges. */
    private static byte[] decodeChallenge(String text) {
        try {
            return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
