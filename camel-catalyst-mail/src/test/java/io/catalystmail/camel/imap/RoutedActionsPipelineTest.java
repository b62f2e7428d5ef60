package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.catalystmail.camel.testsupport.ScriptedImapSession.BODY_FETCH;
import static io.catalystmail.camel.testsupport.ScriptedImapSession.text;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;

import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.RoutedActions;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.ExpungeOrder;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import io.catalystmail.camel.testsupport.ScriptedImapSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The actions of the round in the route, handed to the fetch of the next round ({@link RoutedActions}): the exact
 * commands on the wire, in the order a server must see them, with a scripted peer that sends the next response only
 * after the commands it expects (so a client that waits for the end of the round fails the script).
 */
class RoutedActionsPipelineTest {

    private static final AfterProcessing DELETE = new AfterProcessing(false, true, null, null);
    private static final int BATCH = BatchedExpunge.EXPUNGE_BATCH;

    @RegisterExtension
    final ScriptedImapSession imap = ScriptedImapSession.inbox();

    /** A folder of 10,000 messages: an expunge there costs the server ten times what it does in one of 1,000. */
    @RegisterExtension
    final ScriptedImapSession largeFolder = new ScriptedImapSession("INBOX", "SELECT \"?INBOX\"?", "* 10000 EXISTS",
            "* OK [UIDVALIDITY 42] UIDs valid");

    /**
     * Round 3:4 is asked for, 5:6 to be announced: once message 3 arrived, the flag of 1:2 (the round routed
     * meanwhile) must go out. The test goes on from there.
     */
    private ScriptedImapServer theFlagOfOneAndTwoOnceMessageThreeArrived() {
        return imap.script("UIDPLUS LITERAL+")
                .expect("UID FETCH 3:4" + BODY_FETCH)
                .send("* 3 FETCH (UID 3 BODY[] {1}\r\nc)")
                // the route of messages 1 and 2 ended while message 3 was read: their flag goes out now, and the
                // round after next only once it is answered (behind it, Dovecot answers the flag only once that
                // round's bodies are out)
                .expect("UID STORE 1:2 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)");
    }

    /**
     * The protocol log shows {@code command} written only after {@code answer} was read: the script cannot see when
     * a command arrived, only in which order.
     */
    private static void assertSentOnlyAfter(String log, String answer, String command) {
        List<String> lines = log.lines().map(l -> l.substring(l.lastIndexOf('|') + 1)).toList();
        int read = -1;
        int sent = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (read < 0 && lines.get(i).startsWith("S: ") && lines.get(i).endsWith(answer)) {
                read = i;
            }
            if (sent < 0 && lines.get(i).startsWith("C: ") && lines.get(i).contains(command)) {
                sent = i;
            }
        }
        assertTrue(read >= 0 && sent > read, command + " went out before '" + answer + "' was read:\n" + log);
    }

    /**
     * Fetches 3:4, announcing 5:6, while the route on another thread posts the deletion of 1 and 2 at the moment
     * the first message of the round was handed over. The contents handed over go to {@code got}, whether the
     * posting was taken to {@code posted}.
     */
    private void fetchWhileTheRouteOfOneAndTwoEnds(ImapMailboxSession session, RoutedActions routed, List<String> got,
            List<Boolean> posted) throws IOException {
        session.fetch(List.of(imap.ref(3), imap.ref(4)), List.of(imap.ref(5), imap.ref(6)), m -> {
            got.add(text(m));
            if (got.size() == 1) {
                posted.add(routed.post(Map.of(imap.ref(1), DELETE, imap.ref(2), DELETE)));
            }
        }, routed);
    }

    /** Fetches the round after (5:6), whether or not it was announced, and checks that the script played to its end. */
    private void theRoundAfterArrivesAndTheScriptEnds(ImapMailboxSession session) throws Exception {
        List<String> next = new ArrayList<>();
        session.fetch(List.of(imap.ref(5), imap.ref(6)), List.of(), m -> next.add(text(m)));
        assertEquals(List.of("e", "f"), next);
        imap.assertScriptPlayed();
    }

    @Test
    void theRoutedRoundsFlagGoesOutBetweenTwoResponsesAndTheRoundAfterOnceTheFlagIsAnsweredBeforeTheFetchReturns()
            throws Exception {
        theFlagOfOneAndTwoOnceMessageThreeArrived()
                .send("* 4 FETCH (UID 4 BODY[] {1}\r\nd)", "{tag-1} OK done", "{tag} OK stored")
                .expect("UID FETCH 5:6" + BODY_FETCH)
                .send("* 5 FETCH (UID 5 BODY[] {1}\r\ne)", "* 6 FETCH (UID 6 BODY[] {1}\r\nf)", "{tag} OK done")
                .start();
        ImapMailboxSession session = imap.open();
        List<String> got = new ArrayList<>();
        List<Boolean> posted = new ArrayList<>();
        try (CapturedLog log = new CapturedLog()) {
            fetchWhileTheRouteOfOneAndTwoEnds(session, new RoutedActions(false), got, posted);
            assertSentOnlyAfter(log.text(), "OK stored", "UID FETCH 5:6");
        }
        assertEquals(List.of(true), posted);
        assertEquals(List.of("c", "d"), got);
        // the round after was announced once the flag was answered: it is on its way already
        theRoundAfterArrivesAndTheScriptEnds(session);
    }

    /**
     * A round routed before: a full expunge batch (1001 on) flagged and answered; then round 51:52 is asked for, and
     * once message 51 arrived the flag of 101:102 (the round routed meanwhile) goes out. The test goes on from there.
     */
    private ScriptedImapServer theBatchFlaggedThenTheFlagOf101And102OnceMessage51Arrived() {
        return imap.script("UIDPLUS LITERAL+")
                .expect("UID STORE 1001:" + (1000 + BATCH) + " \\+FLAGS\\.SILENT \\(\\\\Deleted\\)")
                .send("{tag} OK stored")
                .expect("UID FETCH 51:52" + BODY_FETCH)
                .send("* 51 FETCH (UID 51 BODY[] {1}\r\nc)")
                .expect("UID STORE 101:102 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)");
    }

    @Test
    void theExpungeOfTheRoutedRoundIsAnsweredToTheNextFetchSoTheBodiesBehindItStayInTheirOwnRound()
            throws Exception {
        CountDownLatch firstFetchReturned = new CountDownLatch(1);
        // the batch answered before is expunged (never pipelined behind the flag of its own messages, RFC 3501
        // §5.5), but not beside that flag: Dovecot would answer the flag only once the files are removed. It goes
        // behind the round after next, which goes once the flag is answered
        theBatchFlaggedThenTheFlagOf101And102OnceMessage51Arrived()
                .send("* 52 FETCH (UID 52 BODY[] {1}\r\nd)", "{tag-1} OK done", "{tag} OK stored")
                .expect("UID FETCH 53:54" + BODY_FETCH)
                .expect("UID EXPUNGE 1001:" + (1000 + BATCH))
                // the server is still expunging: the fetch must return with the flag answered, not wait for this
                .waitFor(firstFetchReturned)
                // Dovecot sends the bodies of a FETCH beside an expunge while the expunge runs
                .send("* 51 FETCH (UID 53 BODY[] {1}\r\ne)", "{tag} OK expunged",
                        "* 52 FETCH (UID 54 BODY[] {1}\r\nf)", "{tag-1} OK done")
                .start();
        PendingExpunges pending = new PendingExpunges();
        ImapMailboxSession session = imap.open(pending);
        RoutedActions routed = new RoutedActions(false);
        Map<MessageRef, AfterProcessing> roundBefore = new LinkedHashMap<>();
        LongStream.rangeClosed(1001, 1000 + BATCH).forEach(uid -> roundBefore.put(imap.ref(uid), DELETE));
        session.apply(roundBefore);
        Map<MessageRef, AfterProcessing> routedRound = Map.of(imap.ref(101), DELETE, imap.ref(102), DELETE);
        List<String> got = new ArrayList<>();
        session.fetch(List.of(imap.ref(51), imap.ref(52)), List.of(imap.ref(53), imap.ref(54)), m -> {
            got.add(text(m));
            if (got.size() == 1) {
                routed.post(routedRound);
            }
        }, routed);
        firstFetchReturned.countDown();
        assertEquals(List.of("c", "d"), got);
        assertEquals(BATCH + 2, pending.owed(42).size(), "flagged, the expunge not answered yet");
        List<String> next = new ArrayList<>();
        session.fetch(List.of(imap.ref(53), imap.ref(54)), List.of(), m -> next.add(text(m)));
        // the next round got its own bodies, and read the expunge's answer on its way
        assertEquals(List.of("e", "f"), next);
        assertEquals(List.of(101L, 102L), pending.owed(42));
        imap.assertScriptPlayed();
    }

    /** Deletes messages {@code from} to {@code to} now: their flag answered, they await the expunge. */
    private void deletedAndAnswered(ImapMailboxSession session, long from, long to) throws IOException {
        deletedAndAnswered(imap, session, from, to);
    }

    private static void deletedAndAnswered(ScriptedImapSession folder, ImapMailboxSession session, long from, long to)
            throws IOException {
        Map<MessageRef, AfterProcessing> actions = new LinkedHashMap<>();
        LongStream.rangeClosed(from, to).forEach(uid -> actions.put(folder.ref(uid), DELETE));
        session.apply(actions);
    }

    @Test
    void withNoRoundToAnnounceTheHeldExpungeGoesOutOnceTheFlagIsAnsweredWhileTheLastRoundIsRouted() throws Exception {
        theBatchFlaggedThenTheFlagOf101And102OnceMessage51Arrived()
                .send("* 52 FETCH (UID 52 BODY[] {1}\r\nd)", "{tag-1} OK done", "{tag} OK stored")
                // the poll's last round: no FETCH to ride on, so the batch goes out now, not at the poll's end
                .expect("UID EXPUNGE 1001:" + (1000 + BATCH)).send("{tag} OK expunged")
                .expect("UID EXPUNGE 101:102").send("{tag} OK expunged")
                .start();
        ImapMailboxSession session = imap.open(new PendingExpunges());
        RoutedActions routed = new RoutedActions(false);
        deletedAndAnswered(session, 1001, 1000 + BATCH);
        List<String> got = new ArrayList<>();
        try (CapturedLog log = new CapturedLog()) {
            session.fetch(List.of(imap.ref(51), imap.ref(52)), List.of(), m -> {
                got.add(text(m));
                if (got.size() == 1) {
                    routed.post(Map.of(imap.ref(101), DELETE, imap.ref(102), DELETE));
                }
            }, routed);
            assertTrue(log.text().contains("UID EXPUNGE 1001:" + (1000 + BATCH)),
                    "the expunge is on the wire when the last round is handed to the route:\n" + log.text());
        }
        assertEquals(List.of("c", "d"), got);
        session.commit();
        imap.assertScriptPlayed();
    }

    /**
     * In a folder of 10,000 a batch is a quarter of it (BatchedExpunge#batchFor): the full batch of a small folder
     * flagged and answered does not ride behind the next fetch; everything flagged goes in one expunge at the end.
     */
    @Test
    void inALargeFolderTheDeletionsOfAPollOfAThousandAreExpungedOnceAtTheEnd() throws Exception {
        largeFolder.script("UIDPLUS LITERAL+")
                .expect("UID STORE 1001:" + (1000 + BATCH) + " \\+FLAGS\\.SILENT \\(\\\\Deleted\\)")
                .send("{tag} OK stored")
                .expect("UID FETCH 51:52" + BODY_FETCH)
                .send("* 51 FETCH (UID 51 BODY[] {1}\r\nc)")
                .expect("UID STORE 101:102 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)")
                .send("* 52 FETCH (UID 52 BODY[] {1}\r\nd)", "{tag-1} OK done", "{tag} OK stored")
                // the round after next, with no expunge behind it
                .expect("UID FETCH 53:54" + BODY_FETCH)
                .send("* 53 FETCH (UID 53 BODY[] {1}\r\ne)", "* 54 FETCH (UID 54 BODY[] {1}\r\nf)", "{tag} OK done")
                .expect("UID EXPUNGE 101:102," + "1001:" + (1000 + BATCH)).send("{tag} OK expunged")
                .start();
        PendingExpunges pending = new PendingExpunges();
        ImapMailboxSession session = largeFolder.open(pending);
        deletedAndAnswered(largeFolder, session, 1001, 1000 + BATCH);
        RoutedActions routed = new RoutedActions(false);
        List<String> got = new ArrayList<>();
        session.fetch(List.of(largeFolder.ref(51), largeFolder.ref(52)), List.of(largeFolder.ref(53),
                largeFolder.ref(54)), m -> {
                    got.add(text(m));
                    if (got.size() == 1) {
                        routed.post(Map.of(largeFolder.ref(101), DELETE, largeFolder.ref(102), DELETE));
                    }
                }, routed);
        session.fetch(List.of(largeFolder.ref(53), largeFolder.ref(54)), List.of(), m -> got.add(text(m)));
        assertEquals(List.of("c", "d", "e", "f"), got);
        assertEquals(BATCH + 2, pending.owed(42).size(), "flagged, not expunged before the poll's end");
        session.commit();
        assertEquals(List.of(), pending.owed(42));
        largeFolder.assertScriptPlayed();
    }

    @Test
    void deletionsFlaggedWithNoRoundOnTheWireAreExpungedInOneCommandAtTheEnd() throws Exception {
        imap.script("UIDPLUS LITERAL+")
                .expect("UID STORE 1:" + BATCH + " \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("UID STORE " + (BATCH + 1) + ":" + (BATCH + 2)
                        + " \\+FLAGS\\.SILENT \\(\\\\Deleted\\)")
                .send("{tag} OK stored")
                // a full batch waited already, but no FETCH was on the wire to ride on: one expunge takes everything
                .expect("UID EXPUNGE 1:" + (BATCH + 2)).send("{tag} OK expunged")
                .start();
        PendingExpunges pending = new PendingExpunges();
        ImapMailboxSession session = imap.open(pending);
        deletedAndAnswered(session, 1, BATCH);
        deletedAndAnswered(session, BATCH + 1, BATCH + 2);
        session.commit();
        assertEquals(List.of(), pending.owed(42));
        imap.assertScriptPlayed();
    }

    @Test
    void aRouteSlowerThanTheFetchGetsTheHandOverClosedAndNothingIsAnnounced() throws Exception {
        imap.script("UIDPLUS LITERAL+")
                .expect("UID FETCH 3:4" + BODY_FETCH)
                .send("* 3 FETCH (UID 3 BODY[] {1}\r\nc)", "* 4 FETCH (UID 4 BODY[] {1}\r\nd)", "{tag} OK done")
                // the route applies its actions itself, in step; round 5:6 was never announced
                .expect("UID STORE 1:2 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("UID FETCH 5:6" + BODY_FETCH)
                .send("* 5 FETCH (UID 5 BODY[] {1}\r\ne)", "* 6 FETCH (UID 6 BODY[] {1}\r\nf)", "{tag} OK done")
                .start();
        ImapMailboxSession session = imap.open();
        RoutedActions routed = new RoutedActions(false);
        List<String> got = new ArrayList<>();
        session.fetch(List.of(imap.ref(3), imap.ref(4)), List.of(imap.ref(5), imap.ref(6)), m -> got.add(text(m)),
                routed);
        assertEquals(List.of("c", "d"), got);
        Map<MessageRef, AfterProcessing> actions = Map.of(imap.ref(1), DELETE, imap.ref(2), DELETE);
        assertFalse(routed.post(actions), "the fetch is over: the route must apply its actions itself");
        session.apply(actions);
        theRoundAfterArrivesAndTheScriptEnds(session);
    }

    @Test
    void aMoveToAFolderNotLookedUpYetWaitsUntilTheRoundIsReadThenGoesOutInStep() throws Exception {
        imap.script("UIDPLUS LITERAL+ MOVE")
                .expect("UID FETCH 3" + BODY_FETCH)
                .send("* 3 FETCH (UID 3 BODY[] {1}\r\nc)", "{tag} OK done")
                // the target is looked up once the round is read (the answer must not be mixed with bodies)
                .expect("LIST \"\" \"?Archive\"?").send("* LIST () \"/\" Archive", "{tag} OK listed")
                .expect("UID MOVE 1 \"?Archive\"?")
                .send("* 1 EXPUNGE", "{tag} OK moved")
                .expect("UID FETCH 5" + BODY_FETCH)
                .send("* 4 FETCH (UID 5 BODY[] {1}\r\ne)", "{tag} OK done")
                .start();
        ImapMailboxSession session = imap.open();
        RoutedActions routed = new RoutedActions(false);
        List<String> got = new ArrayList<>();
        session.fetch(List.of(imap.ref(3)), List.of(imap.ref(5)), m -> {
            got.add(text(m));
            routed.post(Map.of(imap.ref(1), new AfterProcessing(false, false, "Archive", null)));
        }, routed);
        assertEquals(List.of("c"), got);
        imap.assertScriptPlayed();
    }

    /**
     * Without MOVE a move is UID COPY, then \Deleted on the originals; with markSeen, \Seen comes first. Each depends
     * on the one before it (the copy carries the flags the original has when it runs, RFC 3501 §6.4.7), and a server
     * may run pipelined commands side by side (§5.5): round 1:2's \Seen goes out while message 3 is read, its copy
     * only once the \Seen is answered, its \Deleted once the copy is, and the round after next once the last is.
     */
    private ScriptedImapServer theSeenOfOneAndTwoOnceMessageThreeArrivedWithoutMove() {
        return imap.script("UIDPLUS LITERAL+")
                .expect("LIST \"\" \"?Archive\"?").send("* LIST () \"/\" Archive", "{tag} OK listed")
                .expect("UID FETCH 3:4" + BODY_FETCH)
                .send("* 3 FETCH (UID 3 BODY[] {1}\r\nc)")
                .expect("UID STORE 1:2 \\+FLAGS\\.SILENT \\(\\\\Seen\\)")
                .send("* 4 FETCH (UID 4 BODY[] {1}\r\nd)", "{tag-1} OK done", "{tag} OK stored")
                .expect("UID COPY 1:2 \"?Archive\"?");
    }

    /** Fetches 3:4 announcing 5:6; once message 3 arrived, the route posts \Seen and the move of 1:2 to Archive. */
    private void fetchWhileTheRouteOfOneAndTwoEndsWithAMove(ImapMailboxSession session) throws IOException {
        session.prepareFolders(List.of("Archive"), false);
        RoutedActions routed = new RoutedActions(false);
        AfterProcessing seenAndMoved = new AfterProcessing(true, false, "Archive", null);
        List<String> got = new ArrayList<>();
        session.fetch(List.of(imap.ref(3), imap.ref(4)), List.of(imap.ref(5), imap.ref(6)), m -> {
            got.add(text(m));
            if (got.size() == 1) {
                assertTrue(routed.post(Map.of(imap.ref(1), seenAndMoved, imap.ref(2), seenAndMoved)));
            }
        }, routed);
        assertEquals(List.of("c", "d"), got);
    }

    @Test
    void withoutMoveTheCopyWaitsForTheAnswerToSeenAndDeletedForTheCopysAndTheRoundAfterForTheLast()
            throws Exception {
        theSeenOfOneAndTwoOnceMessageThreeArrivedWithoutMove()
                .send("{tag} OK copied")
                .expect("UID STORE 1:2 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)")
                .send("{tag} OK deleted")
                .expect("UID FETCH 5:6" + BODY_FETCH)
                .send("* 5 FETCH (UID 5 BODY[] {1}\r\ne)", "* 6 FETCH (UID 6 BODY[] {1}\r\nf)", "{tag} OK done")
                .start();
        ImapMailboxSession session = imap.open();
        try (CapturedLog log = new CapturedLog()) {
            fetchWhileTheRouteOfOneAndTwoEndsWithAMove(session);
            // the script cannot see when a command arrived; the client's log shows what it had read before sending
            assertEquals(2, ExpungeOrder.assertDependentCommandsFollowAnswers(log.text()));
            assertSentOnlyAfter(log.text(), "OK deleted", "UID FETCH 5:6");
        }
        theRoundAfterArrivesAndTheScriptEnds(session);
    }

    @Test
    void aRefusedCopyOfAMoveIsNotFollowedByTheDeletedFlagSoTheOriginalsStay() throws Exception {
        theSeenOfOneAndTwoOnceMessageThreeArrivedWithoutMove()
                .send("{tag} NO [OVERQUOTA] quota exceeded")
                // no \Deleted on originals whose copy failed: the round after next goes out on its own
                .expect("UID FETCH 5:6" + BODY_FETCH)
                .send("* 5 FETCH (UID 5 BODY[] {1}\r\ne)", "* 6 FETCH (UID 6 BODY[] {1}\r\nf)", "{tag} OK done")
                .start();
        ImapMailboxSession session = imap.open();
        ImapCommandException refused = assertThrows(ImapCommandException.class,
                () -> fetchWhileTheRouteOfOneAndTwoEndsWithAMove(session));
        assertTrue(refused.getMessage().contains("UID COPY"), refused.getMessage());
        theRoundAfterArrivesAndTheScriptEnds(session);
    }

    @Test
    void aCutAfterTheFlagWentOutFailsTheFetchWithNothingHandedOnTwice() throws Exception {
        theFlagOfOneAndTwoOnceMessageThreeArrived().cut().start();
        ImapMailboxSession session = imap.open();
        RoutedActions routed = new RoutedActions(false);
        List<String> got = new ArrayList<>();
        List<Boolean> posted = new ArrayList<>();
        assertThrows(IOException.class, () -> fetchWhileTheRouteOfOneAndTwoEnds(session, routed, got, posted));
        // the fetch failed: its round is not routed (the consumer releases what arrived), the flag is unconfirmed
        // (the consumer retries it), and the session is done with the connection
        assertEquals(List.of("c"), got);
        assertEquals(List.of(true), posted);
        assertFalse(session.isAlive());
        assertTrue(routed.closeOrTake() == null, "the actions were taken by the fetch that sent them");
        imap.server().awaitEnd();
        assertEquals(List.of(), imap.server().problems());
    }
}
