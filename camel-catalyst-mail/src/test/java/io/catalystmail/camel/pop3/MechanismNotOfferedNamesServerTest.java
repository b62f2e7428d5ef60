package io.catalystmail.camel.pop3;

import java.time.Duration;

import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An authMechanism the server does not offer is refused naming the server, as every other error does: seen from a
 * Spring Boot application with auth-mechanism XOAUTH2 against Dovecot, whose /actuator/health showed only "the
 * server does not offer XOAUTH2 (it offers [CRAM-MD5, LOGIN, PLAIN])" for each of its consumers and its producer.
 * Nothing is sent after CAPA: no credentials go to a server that cannot take them.
 */
class MechanismNotOfferedNamesServerTest {

    @Test
    void theRefusalNamesTheServerAndSendsNoCredentials() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server().capabilities("USER", "UIDL", "SASL PLAIN").start();
                Pop3MailboxSession session = new Pop3MailboxSession(
                        ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofMillis(1500)),
                        new Credentials("anna", null, user -> "ya29.never-sent", "XOAUTH2"))) {
            AuthenticationException e = assertThrows(AuthenticationException.class, session::open);
            assertTrue(e.getMessage().contains("does not offer XOAUTH2"), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), "the server is named: " + e.getMessage());
            assertFalse(e.getMessage().contains("ya29.never-sent"), e.getMessage());
            assertEquals("CAPA", server.commands().get(0));
            assertFalse(String.join("|", server.commands()).contains("AUTH"), String.join("|", server.commands()));
        }
    }
}
