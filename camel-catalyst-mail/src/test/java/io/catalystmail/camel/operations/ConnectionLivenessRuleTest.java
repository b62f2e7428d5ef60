package io.catalystmail.camel.operations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.imap.ImapMailboxSession;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both users that take up an idle IMAP connection again, the consumer's next poll and the operations pool lending
 * it, follow the one rule of {@link io.catalystmail.camel.imap.ImapConnection#needsNoop}: right after a tagged OK
 * from a server that has been quiet since, no NOOP; once the server spoke, a NOOP. Either user drifting from the
 * rule (always a NOOP, or none after the server spoke) fails here.
 */
class ConnectionLivenessRuleTest {

    enum User { NEXT_POLL, POOL_LENDING }

    private ScriptedImapServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}, the server spoke after its last OK: {1}")
    @CsvSource({ "NEXT_POLL, false", "NEXT_POLL, true", "POOL_LENDING, false", "POOL_LENDING, true" })
    void aConnectionTakenUpAgainGetsANoopExactlyWhenTheServerSpokeSinceItsLastOk(User user, boolean spoke)
            throws Exception {
        ScriptedImapServer script = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1] logged in already")
                .expect("LIST \"\" \"\"");
        List<String> lastAnswer = new ArrayList<>();
        if (user == User.NEXT_POLL) {
            script.send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK done").expect("SELECT \"INBOX\"");
            lastAnswer.addAll(List.of("* 1 EXISTS", "* OK [UIDVALIDITY 7] ok", "{tag} OK [READ-WRITE] done"));
        } else {
            lastAnswer.addAll(List.of("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK done"));
        }
        if (spoke) {
            // unasked, right behind the tagged OK: a mailbox update the connection has not read yet
            lastAnswer.add("* 2 EXISTS");
        }
        script.send(lastAnswer.toArray(String[]::new));
        if (spoke) {
            script.expect("NOOP").send("{tag} OK done");
        }
        server = script.start();
        ConnectionSettings settings = ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofSeconds(5));

        if (user == User.NEXT_POLL) {
            ImapMailboxSession session = new ImapMailboxSession(settings, Credentials.NONE, "INBOX");
            session.open();
            assertTrue(session.isAlive());
            session.close();
        } else {
            ImapOperationSession.Connections connections = new ImapOperationSession.Connections(settings,
                    Credentials.NONE);
            ImapOperationSession session = connections.open();
            assertTrue(connections.reusable(session, 0));
            connections.close(session);
        }
        server.awaitEnd();
        assertEquals(List.of(), server.problems());
        assertEquals(spoke, server.received().stream().anyMatch(c -> c.contains("NOOP")), server.received().toString());
    }
}
