package io.catalystmail.camel;

import java.io.IOException;

import io.catalystmail.camel.imap.ImapMailboxSession;
import io.catalystmail.camel.testsupport.ScriptedImapSession;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The search for what a dead node flagged \Deleted and never expunged costs a fresh session two round trips; it is
 * sent only where something found could be expunged: UID EXPUNGE needs UIDPLUS, and an orphan is told by the done
 * keyword (where the folder keeps it) or by the idempotent repository. The exact commands, from a scripted peer: a
 * command sent that the script does not expect fails {@link ScriptedImapSession#assertScriptPlayed()}.
 */
class OrphanedDeletionsTest {

    @RegisterExtension
    final ScriptedImapSession keeps = ScriptedImapSession.inboxWithPermanentFlags("\\Deleted \\Seen \\*");

    @RegisterExtension
    final ScriptedImapSession refuses = ScriptedImapSession.inboxWithPermanentFlags("\\Deleted \\Seen");

    @Test
    void withoutARepositoryAFolderThatDoesNotKeepTheKeywordIsNotSearched() throws Exception {
        refuses.script("UIDPLUS").start();
        OrphanedDeletions.expungeKnown(refuses.open(), null, true, true);
        refuses.assertScriptPlayed();
    }

    @Test
    void withoutUidplusNothingIsSearchedAsNothingCouldBeExpunged() throws Exception {
        keeps.script("").start();
        OrphanedDeletions.expungeKnown(keeps.open(), new MemoryIdempotentRepository(), true, true);
        keeps.assertScriptPlayed();
    }

    @Test
    void withoutARepositoryAFolderThatKeepsTheKeywordIsSearchedAndItsMarkedOrphansExpunged() throws Exception {
        keeps.script("UIDPLUS")
                .expect("UID SEARCH DELETED").send("* SEARCH 3 5", "{tag} OK searched")
                .expect("UID SEARCH UID 3,5 DELETED KEYWORD \\$CatalystMailDone").send("* SEARCH 5", "{tag} OK")
                .expect("UID EXPUNGE 5").send("{tag} OK expunged")
                .start();
        OrphanedDeletions.expungeKnown(keeps.open(), null, true, true);
        keeps.assertScriptPlayed();
    }

    /** The keyword search asks about the flagged messages only: an answer naming more is cut there, nothing expunged. */
    @Test
    void aKeywordSearchAnsweredWithMoreMessagesThanAskedAboutFailsNamingTheBound() throws Exception {
        keeps.script("UIDPLUS")
                .expect("UID SEARCH DELETED").send("* SEARCH 3 5", "{tag} OK searched")
                .expect("UID SEARCH UID 3,5 DELETED KEYWORD \\$CatalystMailDone").send("* SEARCH 3", "* SEARCH 5 7")
                .start();
        ImapMailboxSession session = keeps.open();
        IOException cut = assertThrows(IOException.class, () -> OrphanedDeletions.expungeKnown(session, null, true,
                true));
        assertTrue(cut.getMessage().contains("UID SEARCH: its SEARCH answer names more messages than the 2 flagged"
                + " message(s) asked about"), cut.getMessage());
        assertFalse(session.isAlive());
    }

    @Test
    void withARepositoryAFolderThatDoesNotKeepTheKeywordIsSearchedForTheKeysItKnows() throws Exception {
        refuses.script("UIDPLUS")
                // the test's own search, for the identity of message 3 as the repository knows it
                .expect("UID SEARCH DELETED").send("* SEARCH 3", "{tag} OK searched")
                .expect("UID SEARCH DELETED").send("* SEARCH 3 5", "{tag} OK searched")
                .expect("UID EXPUNGE 3").send("{tag} OK expunged")
                .start();
        ImapMailboxSession session = refuses.open();
        MemoryIdempotentRepository repository = new MemoryIdempotentRepository();
        repository.start();
        repository.add(session.orphans().flaggedDeleted(10).get(0).identity());
        OrphanedDeletions.expungeKnown(session, repository, true, false);
        refuses.assertScriptPlayed();
    }
}
