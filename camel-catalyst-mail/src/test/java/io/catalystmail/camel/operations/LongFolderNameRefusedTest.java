package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A route that names a folder of 5,000 characters, which the server refuses: the exchange's error quotes a readable
 * prefix of the name and says how long it was, instead of carrying 5 KB of it; the exception keeps the whole name.
 */
class LongFolderNameRefusedTest extends CamelTestSupport {

    private ScriptedImapServer server;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theRefusalOfACreateQuotesAPrefixOfTheFolderAndItsLength() throws Exception {
        String folder = "Projekte-".repeat(555) + "Ende1"; // 5,000 characters: sent as a literal
        server = new ScriptedImapServer().send("* PREAUTH [CAPABILITY IMAP4rev1] logged in")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK listed")
                .refuseLiteral("CREATE \\{5000\\}", "{tag} NO [CANNOT] Mailbox name too long")
                .start();
        Exchange create = template.send("catalystmail:imap:127.0.0.1:" + server.port()
                + "?username=joe&password=secret&allowInsecureAuth=true&operation=create",
                e -> e.getIn().setHeader(CatalystMailConstants.OPERATION_FOLDER, folder));

        MailboxOperationException refused = assertInstanceOf(MailboxOperationException.class, create.getException());
        assertEquals("create (CREATE) on imap://127.0.0.1:" + server.port() + " (folder '"
                + folder.substring(0, 100) + "...', 5000 characters) refused: NO [CANNOT] Mailbox name too long",
                refused.getMessage());
        assertEquals(folder, refused.folder());
        assertTrue(server.problems().isEmpty(), () -> server.problems().toString());
    }
}
