package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The folder a special-use attribute names is looked up once per pooled connection; a rename of that folder over the
 * same pool made the next {@code folder=\Sent} work on the old name, which no longer exists (or was made again as an
 * unmarked folder). After a rename or delete the attribute is looked up again.
 */
class SpecialUseAfterRenameTest extends CamelTestSupport {

    private static final String STATUS_ITEMS = " \\(MESSAGES UNSEEN UIDNEXT UIDVALIDITY RECENT\\)";

    @Test
    void aSpecialUseFolderRenamedOverThePoolIsLookedUpAgain() throws Exception {
        try (ScriptedImapServer server = new ScriptedImapServer().send("* PREAUTH [CAPABILITY IMAP4rev1 SPECIAL-USE LIST-EXTENDED] logged in")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \".\" \"\"", "{tag} OK listed")
                .expect("LIST \\(SPECIAL-USE\\) \"\" \"\\*\"").send("* LIST (\\Sent) \".\" Sent", "{tag} OK listed")
                .expect("STATUS \"Sent\"" + STATUS_ITEMS)
                .send("* STATUS Sent (MESSAGES 1 UNSEEN 0 UIDNEXT 2 UIDVALIDITY 9 RECENT 0)", "{tag} OK done")
                .expect("RENAME \"Sent\" \"Sent 2026\"").send("{tag} OK renamed")
                .expect("LIST \\(SPECIAL-USE\\) \"\" \"\\*\"")
                .send("* LIST (\\Sent) \".\" \"Sent 2026\"", "{tag} OK listed")
                .expect("STATUS \"Sent 2026\"" + STATUS_ITEMS)
                .send("* STATUS \"Sent 2026\" (MESSAGES 1 UNSEEN 0 UIDNEXT 2 UIDVALIDITY 9 RECENT 0)", "{tag} OK done")
                .start()) {
            String imap = "catalystmail:imap:127.0.0.1:" + server.port() + "?username=joe&password=secret"
                          + "&allowInsecureAuth=true&";

            assertEquals("Sent", statusOfSent(imap).getMessage().getHeader(CatalystMailConstants.FOLDER));
            Exchange rename = template.send(imap + "operation=rename&folder=Sent&destination=Sent 2026", e -> { });
            assertNull(rename.getException(), () -> String.valueOf(rename.getException()));
            assertEquals("Sent 2026", statusOfSent(imap).getMessage().getHeader(CatalystMailConstants.FOLDER));
            assertTrue(server.problems().isEmpty(), () -> server.problems().toString());
        }
    }

    private Exchange statusOfSent(String imap) {
        Exchange status = template.send(imap + "operation=status&folder=\\Sent", e -> { });
        assertNull(status.getException(), () -> String.valueOf(status.getException()));
        return status;
    }
}
