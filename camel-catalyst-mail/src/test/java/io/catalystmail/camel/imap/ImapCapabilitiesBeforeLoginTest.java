package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Greetings without a capability list (Apache James sends "* OK JAMES IMAP4rev1 Server ..."): the client asks
 * CAPABILITY before it chooses how to log in, so LOGINDISABLED is honoured and the strongest SASL mechanism used.
 */
class ImapCapabilitiesBeforeLoginTest {

    private ScriptedImapServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private ConnectionSettings settings() {
        return ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofSeconds(5));
    }

    @Test
    void loginDisabledLearntFromCapabilityMeansNoPasswordIsSent() throws Exception {
        server = new ScriptedImapServer()
                .send("* OK server ready")
                .expect("CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 LOGINDISABLED", "{tag} OK done")
                .start();
        try (ImapConnection c = ImapConnection.connect(settings())) {
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> c.authenticate(new Credentials("joe", "secret", null, null)));
            assertTrue(e.getMessage().contains("LOGINDISABLED"), e.getMessage());
        }
        server.awaitEnd();
        assertEquals(List.of("CAPABILITY"), server.received());
        assertEquals(List.of(), server.problems());
    }

    @Test
    void strongestMechanismOfferedIsChosenWhenTheGreetingListedNothing() throws Exception {
        String challenge = Base64.getEncoder().encodeToString(
                "<1896.697170952@postoffice.example.net>".getBytes(StandardCharsets.US_ASCII));
        server = new ScriptedImapServer()
                .send("* OK server ready")
                .expect("CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 AUTH=LOGIN AUTH=PLAIN AUTH=CRAM-MD5", "{tag} OK done")
                .expect("AUTHENTICATE CRAM-MD5")
                .send("+ " + challenge)
                .expectLine("[A-Za-z0-9+/=]+")
                .send("{tag} OK [CAPABILITY IMAP4rev1 MOVE] logged in")
                .start();
        try (ImapConnection c = ImapConnection.connect(settings())) {
            c.authenticate(new Credentials("joe", "secret", null, null));
            assertTrue(c.capabilities().has("MOVE"));
        }
        server.awaitEnd();
        assertEquals(List.of(), server.problems());
        assertEquals("CAPABILITY", server.received().get(0));
        assertEquals("AUTHENTICATE CRAM-MD5", server.received().get(1));
    }

    @Test
    void configuredMechanismIsFoundInTheCapabilitiesAskedFor() throws Exception {
        String initial = Base64.getEncoder().encodeToString("\0joe\0secret".getBytes(StandardCharsets.UTF_8));
        server = new ScriptedImapServer()
                .send("* OK server ready")
                .expect("CAPABILITY")
                .send("* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN", "{tag} OK done")
                .expect("AUTHENTICATE PLAIN " + initial.replace("+", "\\+"))
                .send("{tag} OK [CAPABILITY IMAP4rev1] logged in")
                .start();
        try (ImapConnection c = ImapConnection.connect(settings())) {
            c.authenticate(new Credentials("joe", "secret", null, "PLAIN"));
        }
        server.awaitEnd();
        assertEquals(List.of(), server.problems());
        assertEquals("CAPABILITY", server.received().get(0));
    }

    @Test
    void loginIsUsedOnlyOnceCapabilitiesShowNeitherSaslNorLoginDisabled() throws Exception {
        server = new ScriptedImapServer()
                .send("* OK server ready")
                .expect("CAPABILITY")
                .send("* CAPABILITY IMAP4rev1", "{tag} OK done")
                .expect("LOGIN \"joe\" \"secret\"")
                .send("{tag} OK [CAPABILITY IMAP4rev1 UIDPLUS] logged in")
                .start();
        try (ImapConnection c = ImapConnection.connect(settings())) {
            c.authenticate(new Credentials("joe", "secret", null, null));
            assertFalse(c.capabilities().has("LOGINDISABLED"));
            assertTrue(c.capabilities().has("UIDPLUS"));
            c.logout();
        }
        server.awaitEnd();
        assertEquals(List.of("CAPABILITY", "LOGIN \"joe\" \"secret\"", "LOGOUT"), server.received());
    }
}
