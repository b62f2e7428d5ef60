package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A move to a folder that does not exist, refused as Cyrus refuses it ({@code NO [TRYCREATE] Mailbox does not
 * exist}, naming no folder): the error named only the source folder, so it read as if INBOX were missing. It names
 * the destination and says what TRYCREATE asks for (RFC 3501 §7.1).
 */
class TryCreateNamesTheDestinationTest extends CamelTestSupport {

    @Test
    void aMoveRefusedWithTryCreateNamesTheDestinationAndSaysToCreateIt() throws Exception {
        try (ScriptedImapServer server = new ScriptedImapServer().send("* PREAUTH [CAPABILITY IMAP4rev1 MOVE UIDPLUS] logged in")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \".\" \"\"", "{tag} OK listed")
                .expect("SELECT \"INBOX\"")
                .send("* 4 EXISTS", "* OK [UIDVALIDITY 7] ok", "{tag} OK [READ-WRITE] selected")
                .expect("UID MOVE 4 \"T4.Target\"").send("{tag} NO [TRYCREATE] Mailbox does not exist")
                .start()) {

            Exchange move = template.send("catalystmail:imap:127.0.0.1:" + server.port() + "?username=joe"
                    + "&password=secret&allowInsecureAuth=true&operation=move&folder=INBOX&destination=T4/Target",
                    e -> e.getIn().setHeader(CatalystMailConstants.UIDS, 4L));

            MailboxOperationException refused = assertInstanceOf(MailboxOperationException.class, move.getException());
            assertEquals("move (UID MOVE) on imap://127.0.0.1:" + server.port() + " (folder 'INBOX', destination"
                    + " 'T4.Target') refused: NO [TRYCREATE] Mailbox does not exist; TRYCREATE: folder 'T4.Target' does"
                    + " not exist, create it first (operation=create) and repeat (RFC 3501 §7.1)", refused.getMessage());
            assertEquals("INBOX", refused.folder());
            assertEquals("T4.Target", refused.destination());
            assertTrue(server.problems().isEmpty(), () -> server.problems().toString());
        }
    }
}
