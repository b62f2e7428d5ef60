package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.EOFException;

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
            assertEquals("rename on imap://127.0.0.1:" + server.port() + " (folder 'INBOX', destination 'Old mail')"
                    + " failed: IMAP server 127.0.0.1:" + server.port() + " closed the connection during RENAME",
                    failed.getMessage());
            assertInstanceOf(EOFException.class, failed.getCause());
            assertEquals("INBOX", failed.folder());
        }
    }
}
