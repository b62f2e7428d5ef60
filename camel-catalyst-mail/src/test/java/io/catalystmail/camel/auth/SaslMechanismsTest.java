package io.catalystmail.camel.auth;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The choice of mechanism reads the server's names in any case, and a refusal lists them sorted, each once. */
class SaslMechanismsTest {

    private static final String SERVER = "mail.example.test:143";

    private static final Credentials PASSWORD = new Credentials("ivy", "s3cret", null, null);

    @Test
    void theStrongestOfferedThatTheCredentialsAllowInAnyCase() throws Exception {
        assertEquals("CRAM-MD5",
                SaslMechanisms.choose(List.of("plain", "Cram-MD5", "XOAUTH2"), PASSWORD, SERVER).name());
        assertEquals("LOGIN", SaslMechanisms.choose(List.of("login"),
                new Credentials("ivy", "s3cret", null, "login"), SERVER).name());
    }

    @Test
    void aMechanismTheServerDoesNotOfferIsRefusedNamingWhatItOffers() {
        AuthenticationException refused = assertThrows(AuthenticationException.class, () -> SaslMechanisms.choose(
                List.of("plain", "LOGIN", "Plain"), new Credentials("ivy", "s3cret", null, "CRAM-MD5"), SERVER));
        assertEquals("mail.example.test:143 does not offer CRAM-MD5 (it offers [LOGIN, PLAIN])", refused.getMessage());
    }

    @Test
    void nothingUsableNamesBothSides() {
        AuthenticationException refused = assertThrows(AuthenticationException.class,
                () -> SaslMechanisms.choose(List.of("xoauth2", "OAUTHBEARER"), PASSWORD, SERVER));
        assertEquals("no usable authentication mechanism: mail.example.test:143 offers [OAUTHBEARER, XOAUTH2],"
                     + " the credentials allow [CRAM-MD5, PLAIN, LOGIN]", refused.getMessage());
    }
}
