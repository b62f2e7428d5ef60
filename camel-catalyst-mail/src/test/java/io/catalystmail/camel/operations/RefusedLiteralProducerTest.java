package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that refuses an APPEND in place of the "+" its synchronizing literal waits for (RFC 3501 §7.5): the
 * exchange fails naming server, operation, folder and the server's text, none of the message is sent, and the
 * producer's next exchange goes on over the same connection. A folder name of 5,000 characters, refused, is quoted
 * in the error by a readable prefix and its length, not carried whole; the exception keeps the whole name.
 */
class RefusedLiteralProducerTest extends CamelTestSupport {

    private ScriptedImapServer server;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anAppendRefusedInPlaceOfTheContinuationFailsByNameAndTheConnectionServesTheNextExchange() throws Exception {
        server = new ScriptedImapServer().send("* PREAUTH [CAPABILITY IMAP4rev1] logged in")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK listed")
                .refuseLiteral("APPEND \"Archiv\" \\{21\\}", "{tag} NO [TRYCREATE] Mailbox doesn't exist: Archiv")
                .expect("STATUS \"INBOX\" \\(MESSAGES UNSEEN UIDNEXT UIDVALIDITY RECENT\\)")
                .send("* STATUS INBOX (MESSAGES 2 UNSEEN 0 UIDNEXT 3 UIDVALIDITY 9 RECENT 0)", "{tag} OK done")
                .start();
        String imap = "catalystmail:imap:127.0.0.1:" + server.port() + "?username=joe&password=secret"
                + "&allowInsecureAuth=true&";

        Exchange append = template.send(imap + "operation=append&raw=true&folder=Archiv",
                e -> e.getIn().setBody("Subject: hi\r\n\r\nbody\r\n"));

        MailboxOperationException refused = assertInstanceOf(MailboxOperationException.class, append.getException());
        assertEquals("append (APPEND) on imap://127.0.0.1:" + server.port()
                + " (folder 'Archiv') refused: NO [TRYCREATE] Mailbox doesn't exist: Archiv; TRYCREATE: folder 'Archiv'"
                + " does not exist, create it first (operation=create) and repeat (RFC 3501 §7.1)", refused.getMessage());
        Exchange status = template.send(imap + "operation=status&folder=INBOX", e -> { });
        assertNull(status.getException(), () -> String.valueOf(status.getException()));
        assertEquals(2L, status.getMessage().getHeader(CatalystMailConstants.MESSAGES));
        assertEquals(List.of("LIST \"\" \"\"", "APPEND \"Archiv\" {21}",
                "STATUS \"INBOX\" (MESSAGES UNSEEN UIDNEXT UIDVALIDITY RECENT)"), server.received(),
                "no octet of the refused message was sent, and one login served both exchanges");
        assertTrue(server.problems().isEmpty(), () -> server.problems().toString());
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
