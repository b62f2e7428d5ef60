package io.catalystmail.camel.imap;

import static io.catalystmail.camel.testsupport.ScriptedImapSession.BODY_FETCH;
import static io.catalystmail.camel.testsupport.ScriptedImapSession.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.catalystmail.camel.mailbox.LateRound;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.testsupport.ScriptedImapSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A round fetched while the round after it is still planned on another thread ({@link LateRound}): the exact
 * commands on the wire, with a scripted peer that sends the next response only after the commands it expects, so a
 * client that asks for the next round only once this one is read fails the script.
 */
class LateRoundAnnouncementTest {

    @RegisterExtension
    final ScriptedImapSession imap = ScriptedImapSession.inbox();

    private List<MessageRef> refs(long... uids) {
        List<MessageRef> refs = new ArrayList<>();
        for (long uid : uids) {
            refs.add(imap.ref(uid));
        }
        return refs;
    }

    /** Fetches the next round (3:4), announced or not, and checks that the script played to its end. */
    private void theNextRoundArrivesAndTheScriptEnds(ImapMailboxSession session) throws Exception {
        List<String> next = new ArrayList<>();
        session.fetch(refs(3, 4), List.of(), m -> next.add(text(m)));
        assertEquals(List.of("c", "d"), next);
        imap.assertScriptPlayed();
    }

    @Test
    void aRoundPlannedWhileTheRoundBeforeIsReadIsAskedForBetweenTwoOfItsResponses() throws Exception {
        imap.script("UIDPLUS LITERAL+")
                .expect("UID FETCH 1:2" + BODY_FETCH)
                .send("* 1 FETCH (UID 1 BODY[] {1}\r\na)")
                // planned while message 1 was handled: asked for before message 2 is sent
                .expect("UID FETCH 3:4" + BODY_FETCH)
                .send("* 2 FETCH (UID 2 BODY[] {1}\r\nb)", "{tag-1} OK done",
                        "* 3 FETCH (UID 3 BODY[] {1}\r\nc)", "* 4 FETCH (UID 4 BODY[] {1}\r\nd)", "{tag} OK done")
                .start();
        ImapMailboxSession session = imap.open();
        CompletableFuture<List<MessageRef>> planning = new CompletableFuture<>();
        List<String> got = new ArrayList<>();
        session.fetch(refs(1, 2), new LateRound(planning), m -> {
            got.add(text(m));
            if (got.size() == 1) {
                planning.complete(refs(3, 4));
            }
        });
        assertEquals(List.of("a", "b"), got, "only the round asked for, though the next one was on its way");
        theNextRoundArrivesAndTheScriptEnds(session);
    }

    @Test
    void aRoundPlannedOnlyAfterTheRoundBeforeWasReadIsNotAnnouncedAndIsAskedForInItsTurn() throws Exception {
        imap.script("UIDPLUS LITERAL+")
                .expect("UID FETCH 1:2" + BODY_FETCH)
                .send("* 1 FETCH (UID 1 BODY[] {1}\r\na)", "* 2 FETCH (UID 2 BODY[] {1}\r\nb)", "{tag} OK done")
                .expect("UID FETCH 3:4" + BODY_FETCH)
                .send("* 3 FETCH (UID 3 BODY[] {1}\r\nc)", "* 4 FETCH (UID 4 BODY[] {1}\r\nd)", "{tag} OK done")
                .start();
        ImapMailboxSession session = imap.open();
        CompletableFuture<List<MessageRef>> planning = new CompletableFuture<>();
        List<String> got = new ArrayList<>();
        // the fetch never waits for the planning: a fetch that did would hang here
        session.fetch(refs(1, 2), new LateRound(planning), m -> got.add(text(m)));
        planning.complete(refs(3, 4));
        assertEquals(List.of("a", "b"), got);
        theNextRoundArrivesAndTheScriptEnds(session);
    }

    @Test
    void aPlanningThatFailedAnnouncesNothingAndTheRoundIsReadToItsEnd() throws Exception {
        imap.script("UIDPLUS LITERAL+")
                .expect("UID FETCH 1:2" + BODY_FETCH)
                .send("* 1 FETCH (UID 1 BODY[] {1}\r\na)", "* 2 FETCH (UID 2 BODY[] {1}\r\nb)", "{tag} OK done")
                .expect("UID FETCH 3:4" + BODY_FETCH)
                .send("* 3 FETCH (UID 3 BODY[] {1}\r\nc)", "* 4 FETCH (UID 4 BODY[] {1}\r\nd)", "{tag} OK done")
                .start();
        ImapMailboxSession session = imap.open();
        CompletableFuture<List<MessageRef>> planning = new CompletableFuture<>();
        List<String> got = new ArrayList<>();
        session.fetch(refs(1, 2), new LateRound(planning), m -> {
            got.add(text(m));
            planning.completeExceptionally(new IllegalStateException("the repository is down"));
        });
        assertEquals(List.of("a", "b"), got);
        theNextRoundArrivesAndTheScriptEnds(session);
    }
}
