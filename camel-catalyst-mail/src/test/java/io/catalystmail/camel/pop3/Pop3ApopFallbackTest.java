package io.catalystmail.camel.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.catalystmail.camel.auth.AccountTag;
import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A greeting with an APOP timestamp from a server that refuses APOP (Apache James): APOP chosen by default falls
 * back to USER/PASS; APOP asked for does not.
 */
class Pop3ApopFallbackTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private ScriptedPop3Server jamesLike(String... capabilities) throws IOException {
        ScriptedPop3Server server = new ScriptedPop3Server().refuseApop().capabilities(capabilities).start();
        toClose.add(server);
        return server;
    }

    private Pop3MailboxSession session(ScriptedPop3Server server, Credentials credentials) {
        Pop3MailboxSession session = new Pop3MailboxSession(
                ConnectionSettings.plain("127.0.0.1", server.port(), TIMEOUT), credentials);
        toClose.add(session);
        return session;
    }

    private static List<String> loginCommands(ScriptedPop3Server server) {
        return server.commands().stream().filter(c -> c.matches("(APOP|USER|PASS|AUTH)\\b.*"))
                .map(c -> c.replaceAll("^APOP anna [0-9a-f]{32}$", "APOP anna <digest>")).toList();
    }

    @Test
    void refusedDefaultApopFallsBackToUserPass() throws Exception {
        ScriptedPop3Server server = jamesLike("UIDL", "USER");
        Pop3MailboxSession session = session(server, new Credentials("anna", "s3cret!", null, null));
        session.open();
        assertTrue(session.isAlive());
        assertEquals(List.of("APOP anna <digest>", "USER anna", "PASS s3cret!"), loginCommands(server));
    }

    @Test
    void noFallbackWhenCapaListsNoUser() throws Exception {
        ScriptedPop3Server server = jamesLike("UIDL");
        AuthenticationException e = assertThrows(AuthenticationException.class,
                session(server, new Credentials("anna", "s3cret!", null, null))::open);
        assertTrue(e.getMessage().contains("refused APOP for account " + AccountTag.of("anna")), e.getMessage());
        assertTrue(e.getMessage().contains("no USER"), e.getMessage());
        assertEquals(List.of("APOP anna <digest>"), loginCommands(server));
    }

    @Test
    void apopAskedForIsNotReplacedByUserPass() throws Exception {
        ScriptedPop3Server server = jamesLike("UIDL", "USER");
        AuthenticationException e = assertThrows(AuthenticationException.class,
                session(server, new Credentials("anna", "s3cret!", null, "APOP"))::open);
        assertTrue(e.getMessage().contains("refused APOP for account " + AccountTag.of("anna")), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret!"));
        assertEquals(List.of("APOP anna <digest>"), loginCommands(server));
    }
}
