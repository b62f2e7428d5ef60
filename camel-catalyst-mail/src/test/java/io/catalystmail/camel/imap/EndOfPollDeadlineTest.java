package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that does not answer the UID EXPUNGE at the end of a poll within fetchTimeout: the error names the end of
 * the poll for what it is (answers read, then the expunge of the poll's deletions), not a UID STORE that was answered.
 */
class EndOfPollDeadlineTest {

    private ScriptedImapServer server;
    private ImapMailboxSession session;

    @AfterEach
    void stop() throws Exception {
        if (session != null) {
            session.abort();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anUnansweredExpungeAtThePollsEndFailsNamingTheEndOfThePoll() throws Exception {
        server = new ScriptedImapServer().send("* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS] logged in")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK listed")
                .expect("SELECT \"?INBOX\"?").send("* 9 EXISTS", "* OK [UIDVALIDITY 42] UIDs valid",
                        "{tag} OK [READ-WRITE] selected")
                .expect("UID STORE 5 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("UID EXPUNGE 5").stall()
                .start();
        session = new ImapMailboxSession(ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofSeconds(20))
                .withDeadlines(Duration.ofSeconds(20), Duration.ofMillis(500)), Credentials.NONE, "INBOX");
        session.open();
        session.apply(Map.of(new MessageRef("5", 0, -1, null, "INBOX;UID=5"),
                new AfterProcessing(false, true, null, null)));

        SocketTimeoutException cut = assertThrows(SocketTimeoutException.class, session::commit);
        assertTrue(cut.getMessage().contains("did not complete the end of the poll (reading the answers still owed,"
                + " then the held flags and UID EXPUNGE of the poll's deletions) within 500 ms (fetchTimeout)"),
                cut.getMessage());
        assertEquals(List.of(), server.problems());
    }
}
