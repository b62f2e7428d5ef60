package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A server that closes the connection instead of answering (Cyrus 3.6 does so at a RENAME of INBOX): the exchange
 * failed with the transport's bare "IMAP server h:p closed the connection during RENAME", without the operation and
 * folders a refusal names. It names them now, the transport's failure as its cause.
 */
class LostConnectionNamesTheOperationTest extends CamelTestSupport {

    private static final String OUTCOME_UNKNOWN = ": outcome unknown, the command was sent and the server may have"
            + " carried it out before the answer was lost (check before retrying: a retry may do it twice): ";

    /**
     * A connection lost once the COPY was sent: the server may have copied, so the outcome is unknown (a route that
     * redelivers copies twice). Before, it read "copy ... failed", as if nothing had been done. A loss at the SELECT
     * before it still reads "failed": nothing was changed.
     */
    @Test
    void aConnectionLostAfterTheCopyWasSentLeavesItsOutcomeUnknownAndOneLostBeforeItFails() throws Exception {
        for (boolean atCopy : new boolean[] { true, false }) {
            ScriptedImapServer script = new ScriptedImapServer()
                    .send("* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS] logged in")
                    .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \".\" \"\"", "{tag} OK listed")
                    .expect("SELECT \"INBOX\"");
            if (atCopy) {
                script.send("* 4 EXISTS", "* OK [UIDVALIDITY 7] ok", "{tag} OK [READ-WRITE] selected")
                        .expect("UID COPY 4 \"Archive\"");
            }
            try (ScriptedImapServer server = script.cut().start()) {
                Exchange copy = template.send("catalystmail:imap:127.0.0.1:" + server.port() + "?username=joe"
                        + "&password=secret&allowInsecureAuth=true&operation=copy&folder=INBOX&destination=Archive",
                        e -> e.getIn().setHeader(CatalystMailConstants.UIDS, 4L));

                MailboxOperationFailedException failed = assertInstanceOf(MailboxOperationFailedException.class,
                        copy.getException());
                assertEquals(atCopy, failed.commandSent(), failed.getMessage());
                assertEquals("copy on imap://127.0.0.1:" + server.port() + " (folder 'INBOX', destination 'Archive')"
                        + (atCopy ? OUTCOME_UNKNOWN : " failed: ") + "IMAP server 127.0.0.1:" + server.port()
                        + " closed the connection during " + (atCopy ? "UID COPY" : "SELECT"), failed.getMessage());
            }
        }
    }

    @Test
    void aConnectionClosedDuringRenameNamesOperationFolderAndNewName() throws Exception {
        try (ScriptedImapServer server = new ScriptedImapServer().send("* PREAUTH [CAPABILITY IMAP4rev1] logged in")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \".\" \"\"", "{tag} OK listed")
                .expect("RENAME \"INBOX\" \"Old mail\"").cut()
                .start()) {

            Exchange rename = template.send("catalystmail:imap:127.0.0.1:" + server.port() + "?username=joe"
                    + "&password=secret&allowInsecureAuth=true&operation=rename&folder=INBOX&destination=Old mail",
                    e -> { });

            MailboxOperationFailedException failed = assertInstanceOf(MailboxOperationFailedException.class,
                    rename.getException());
            // the RENAME was sent: the server may have renamed before it closed
            assertEquals("rename on imap://127.0.0.1:" + server.port() + " (folder 'INBOX', destination 'Old mail')"
                    + OUTCOME_UNKNOWN + "IMAP server 127.0.0.1:" + server.port() + " closed the connection during"
                    + " RENAME", failed.getMessage());
            assertTrue(failed.commandSent());
            assertInstanceOf(EOFException.class, failed.getCause());
            assertEquals("INBOX", failed.folder());
        }
    }
}
