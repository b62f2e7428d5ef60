package io.catalystmail.camel.imap;

import java.util.Map;

import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.ScriptedImapSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The keyword {@code $CatalystMailDone} goes with \Deleted only where the folder keeps it (RFC 3501 §7.1: its
 * PERMANENTFLAGS carry {@code \*} or the keyword); elsewhere a deletion is flagged \Deleted alone, and the log says
 * so once. The exact commands on the wire, from a scripted peer.
 */
class DoneKeywordTest {

    private static final AfterProcessing DELETE = new AfterProcessing(false, true, null, null);

    @RegisterExtension
    final ScriptedImapSession keeps = ScriptedImapSession.inboxWithPermanentFlags("\\Deleted \\Seen \\*");

    @RegisterExtension
    final ScriptedImapSession refuses = ScriptedImapSession.inboxWithPermanentFlags("\\Deleted \\Seen");

    @Test
    void aFolderThatKeepsNewKeywordsGetsTheKeywordWithTheDeletion() throws Exception {
        keeps.script("UIDPLUS")
                .expect("UID STORE 1 \\+FLAGS\\.SILENT \\(\\\\Deleted \\$CatalystMailDone\\)").send("{tag} OK stored")
                .expect("UID EXPUNGE 1").send("{tag} OK expunged")
                .start();
        ImapMailboxSession session = keeps.open();
        session.apply(Map.of(keeps.ref(1), DELETE));
        session.commit();
        keeps.assertScriptPlayed();
    }

    @Test
    void aFolderThatDoesNotKeepItGetsTheDeletionAloneAndTheLogSaysSoOnce() throws Exception {
        refuses.script("UIDPLUS")
                .expect("UID STORE 1 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("UID STORE 2 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("UID EXPUNGE 1:2").send("{tag} OK expunged")
                .start();
        try (CapturedLog log = new CapturedLog()) {
            ImapMailboxSession session = refuses.open();
            session.apply(Map.of(refuses.ref(1), DELETE));
            session.apply(Map.of(refuses.ref(2), DELETE));
            session.commit();
            refuses.assertScriptPlayed();
            assertEquals(1, log.text().lines().filter(l -> l.startsWith("INFO|") && l.contains("does not let clients"
                    + " create the keyword $CatalystMailDone")).count(), log.text());
        }
    }
}
