package io.catalystmail.camel.imap;

import static io.catalystmail.camel.testsupport.ScriptedImapSession.BODY_FETCH;
import static io.catalystmail.camel.testsupport.ScriptedImapSession.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.testsupport.ScriptedImapSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server that writes the answers of pipelined commands out of order, as Apache James 3.8.1 does now and then when
 * its output backs up (seen on the wire of PartialPollsLeaveNothingInteropIT, read from the decrypted stream): the
 * closing parenthesis of a FETCH response and a tagged OK written in front of the data they belong to. James did it
 * to a UID FETCH sent behind a UID STORE; the client now sends the next round only once the STORE is answered, so
 * here a stray parenthesis comes after the round fetched ahead, with the STORE sent behind it. No client can read
 * that: the fetch fails at once as a protocol violation, naming the server and every command in flight (the culprit
 * is not the command awaited), and the connection is dropped, so the next poll starts on a new one. Nothing is
 * waited for. That next session flags again what the lost one flagged before it expunges it: the lost STORE's answer
 * never came.
 */
class PipelinedAnswersOutOfOrderTest {

    @RegisterExtension
    final ScriptedImapSession imap = ScriptedImapSession.inbox();

    @Test
    void answersWrittenOutOfOrderFailTheFetchAtOnceNamingTheCommandsInFlight() throws Exception {
        imap.script("UIDPLUS")
                .expect("UID FETCH 1:2" + BODY_FETCH)
                .expect("UID FETCH 3:4" + BODY_FETCH)
                .send("* 1 FETCH (UID 1 FLAGS () BODY[] {1}\r\na)", "* 2 FETCH (UID 2 FLAGS () BODY[] {1}\r\nb)",
                        "{tag-1} OK FETCH completed.")
                .expect("UID STORE 1:2 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)")
                // James's bytes on the commands in flight: the round fetched ahead's data, then a closing
                // parenthesis that belongs to nothing before, then the OKs
                .send("* 3 FETCH (UID 3 FLAGS () BODY[] {1}\r\nc)", "* 4 FETCH (UID 4 FLAGS () BODY[] {1}\r\nd)",
                        ")", "{tag-1} OK FETCH completed.", "{tag} OK STORE completed.")
                .start();
        ImapMailboxSession session = imap.open();
        session.fetch(List.of(imap.ref(1), imap.ref(2)), List.of(imap.ref(3), imap.ref(4)), m -> { });
        session.apply(Map.of(imap.ref(1), new AfterProcessing(false, true, null, null),
                imap.ref(2), new AfterProcessing(false, true, null, null)));
        List<String> got = new ArrayList<>();
        ImapProtocolException e = assertThrows(ImapProtocolException.class,
                () -> session.fetch(List.of(imap.ref(3), imap.ref(4)), List.of(imap.ref(5)), m -> got.add(text(m))));
        String server = "IMAP server 127.0.0.1:" + imap.server().port();
        assertTrue(e.getMessage().matches("\\Q" + server + " broke the protocol answering UID FETCH (2 commands in"
                + " flight: \\EA\\d+ UID FETCH, A\\d+ UID STORE\\): response starts with '\\)', not a tag;"
                + " the connection is dropped"), e.getMessage());
        // the round read before the violation reached the handler; the caller releases it unrouted
        // (FetchedRound#fetch), and the STORE's answer was never read: its messages stay owed
        assertEquals(List.of("c", "d"), got);
        assertFalse(session.isAlive());
    }

    @Test
    void theNextSessionFlagsAgainWhatTheLostOneFlaggedAndExpungesItOnceThatFlagIsAnswered() throws Exception {
        // a session lost after sending UID STORE 3:4 +FLAGS (\Deleted), its answer never read: James may still be
        // running that STORE when the next session's expunge arrives, which would then remove nothing
        PendingExpunges pending = new PendingExpunges();
        pending.flagging(42, List.of(3L, 4L));
        imap.script("UIDPLUS")
                .expect("UID STORE 3:4 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK STORE completed.")
                .expect("UID EXPUNGE 3:4").send("* 3 EXPUNGE", "* 3 EXPUNGE", "{tag} OK EXPUNGE completed.")
                .start();
        imap.open(pending);
        assertEquals(List.of(), pending.owed(42));
        imap.assertScriptPlayed();
    }
}
