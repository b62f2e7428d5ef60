package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.catalystmail.camel.testsupport.ScriptedImapSession.BODY_FETCH;
import static io.catalystmail.camel.testsupport.ScriptedImapSession.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.imap.ImapMessageOperations.StoreMode;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.ConfirmedSteps;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import io.catalystmail.camel.testsupport.ScriptedImapSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Operations and a consumer's poll (a round of fetchRoundSize=2000) on 2,000 scattered UIDs of ten digits (22 KB
 * spelt out): each command goes out as three whose lines stay within the ~8,192 octets RFC 7162 §4 advises (Dovecot
 * refuses lines over 64 KiB), naming every UID once.
 */
class LongUidSetsScriptedTest {

    /** 4000000000, 4000000002, ...: no two adjacent, so no ranges. */
    private static final List<Long> SCATTERED = scattered();
    private static final String SET = "[0-9,]+";

    @RegisterExtension
    final ScriptedImapSession keepsKeyword = ScriptedImapSession.inboxWithPermanentFlags("\\Deleted \\Seen \\*");

    private ScriptedPreauth session;
    private ScriptedImapServer server;
    private ImapConnection connection;

    private static List<Long> scattered() {
        List<Long> uids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            uids.add(4_000_000_000L + 2L * i);
        }
        return List.copyOf(uids);
    }

    @AfterEach
    void stop() throws Exception {
        if (session != null) {
            session.close();
        }
    }

    private ImapMessageOperations connect(ScriptedImapServer script) throws Exception {
        session = ScriptedPreauth.connect(script);
        server = session.server();
        connection = session.connection();
        return new ImapMessageOperations(connection);
    }

    /** The UIDs the received commands named, in order, after checking each line's length (tag, space, CRLF too). */
    private List<Long> named(String command) {
        List<Long> uids = new ArrayList<>();
        int commands = 0;
        for (String line : server.received()) {
            if (!line.startsWith(command + " ")) {
                continue;
            }
            commands++;
            assertTrue(line.length() + 10 <= 8_192, () -> line.length() + " octets: " + line.substring(0, 40));
            String set = line.substring(command.length() + 1).split(" ", 2)[0];
            for (String uid : set.split(",")) {
                uids.add(Long.parseLong(uid));
            }
        }
        assertEquals(3, commands, command);
        return uids;
    }

    @Test
    void storeAndExpungeOfAScatteredSetGoOutInPiecesNamingEveryUidOnce() throws Exception {
        ImapMessageOperations ops = connect(ScriptedPreauth.script("UIDPLUS")
                .expect("UID STORE " + SET + " \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("UID STORE " + SET + " \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("UID STORE " + SET + " \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("UID EXPUNGE " + SET).send("{tag} OK expunged")
                .expect("UID EXPUNGE " + SET).send("{tag} OK expunged")
                .expect("UID EXPUNGE " + SET).send("{tag} OK expunged"));
        ops.store(SCATTERED, StoreMode.ADD, List.of("\\Deleted"));
        assertTrue(ops.expunge(SCATTERED));
        assertEquals(List.of(), server.problems());
        assertEquals(SCATTERED, named("UID STORE"));
        assertEquals(SCATTERED, named("UID EXPUNGE"));
    }

    @Test
    void aPollsFlagsAndItsExpungeAtTheEndGoOutInPieces() throws Exception {
        String store = "UID STORE " + SET + " \\+FLAGS\\.SILENT \\(\\\\Deleted\\)";
        connect(ScriptedPreauth.script("UIDPLUS")
                .expect(store).send("{tag} OK stored").expect(store).send("{tag} OK stored")
                .expect(store).send("{tag} OK stored")
                .expect("UID EXPUNGE " + SET).send("{tag} OK expunged")
                .expect("UID EXPUNGE " + SET).send("{tag} OK expunged")
                .expect("UID EXPUNGE " + SET).send("{tag} OK expunged"));
        BatchedExpunge deletions = new BatchedExpunge(new FetchPipeline());
        List<Long> expunged = new ArrayList<>();
        deletions.reportExpungedTo(expunged::addAll);
        deletions.flag(connection, 1, SCATTERED);
        deletions.expungeAwaiting(connection);
        assertEquals(List.of(), server.problems());
        assertEquals(SCATTERED, named("UID STORE"));
        assertEquals(SCATTERED, named("UID EXPUNGE"));
        assertEquals(SCATTERED, expunged);
    }

    @Test
    void aCopyInPiecesGivesTheCopyuidOfAllPiecesTogetherAPieceThatCopiedNothingAddingNothing() throws Exception {
        ImapMessageOperations ops = connect(ScriptedPreauth.script("UIDPLUS")
                .expect("UID COPY " + SET + " \"Archiv\"").send("{tag} OK [COPYUID 9 4000000000 100] copied")
                .expect("UID COPY " + SET + " \"Archiv\"").send("{tag} OK nothing of this part was left")
                .expect("UID COPY " + SET + " \"Archiv\"").send("{tag} OK [COPYUID 9 4000002908 102] copied"));
        ImapMessageOperations.Copied copied = ops.copy(SCATTERED, "Archiv");
        assertEquals(List.of(), server.problems());
        assertEquals(SCATTERED, named("UID COPY"));
        assertEquals(9, copied.uidValidity());
        assertEquals(List.of(4_000_000_000L, 4_000_002_908L), copied.sourceUids());
        assertEquals(List.of(100L, 102L), copied.targetUids());
    }

    @Test
    void aRefusedLaterPieceSaysWhichAndThatThoseBeforeItWereCarriedOut() throws Exception {
        ImapMessageOperations ops = connect(ScriptedPreauth.script("MOVE UIDPLUS")
                .expect("UID MOVE " + SET + " \"Archiv\"").send("{tag} OK moved")
                .expect("UID MOVE " + SET + " \"Archiv\"").send("{tag} NO [OVERQUOTA] quota exceeded"));
        ImapCommandException refused = assertThrows(ImapCommandException.class, () -> ops.move(SCATTERED, "Archiv"));
        assertTrue(refused.getMessage().contains("UID MOVE (part 2 of 3 of a long UID set; the 1 part(s) before it"
                + " were carried out)"), refused.getMessage());
        assertTrue(refused.getMessage().contains("quota exceeded"), refused.getMessage());
        assertEquals("NO", refused.status());
    }

    private static List<MessageRef> refs(List<Long> uids) {
        return uids.stream().map(uid -> new MessageRef(Long.toString(uid), 0, -1, null, "INBOX;UID=" + uid)).toList();
    }

    @Test
    void aRoundOfScatteredUidsIsFetchedInPiecesAndTheAnswersOfEachAreRead() throws Exception {
        // the first UID of the second piece: 727 UIDs of eleven octets fill the first
        long second = SCATTERED.get(727);
        connect(ScriptedPreauth.script("UIDPLUS")
                .expect("UID FETCH " + SET + BODY_FETCH).send("{tag} OK done")
                .expect("UID FETCH " + SET + BODY_FETCH)
                .send("* 1 FETCH (UID " + second + " BODY[] {1}\r\nb)", "{tag} OK done")
                .expect("UID FETCH " + SET + BODY_FETCH).send("{tag} OK done"));
        List<String> got = new ArrayList<>();
        new FetchPipeline().fetch(connection, refs(SCATTERED), List.of(), m -> got.add(m.ref().id() + "=" + text(m)),
                Long.MAX_VALUE, "scripted");
        assertEquals(List.of(), server.problems());
        assertEquals(SCATTERED, named("UID FETCH"));
        assertEquals(List.of(second + "=b"), got);
    }

    @Test
    void aRoundsCopySeenFlagAndMoveGoOutInPiecesAndReportEveryUidTheyCopiedAndTookOut() throws Exception {
        String copy = "UID COPY " + SET + " \"?Archiv\"?";
        String seen = "UID STORE " + SET + " \\+FLAGS\\.SILENT \\(\\\\Seen\\)";
        String move = "UID MOVE " + SET + " \"?Done\"?";
        connect(ScriptedPreauth.script("MOVE UIDPLUS")
                .expect(copy).send("{tag} OK copied").expect(copy).send("{tag} OK copied")
                .expect(copy).send("{tag} OK copied")
                .expect(seen).send("{tag} OK stored").expect(seen).send("{tag} OK stored")
                .expect(seen).send("{tag} OK stored")
                .expect(move).send("{tag} OK moved").expect(move).send("{tag} OK moved")
                .expect(move).send("{tag} OK moved"));
        Map<MessageRef, AfterProcessing> actions = new LinkedHashMap<>();
        for (MessageRef ref : refs(SCATTERED)) {
            actions.put(ref, new AfterProcessing(true, false, "Done", "Archiv"));
        }
        AfterProcessingPlan plan = AfterProcessingPlan.of(actions, MailboxNames.AS_GIVEN, connection.capabilities());
        List<Long> copied = new ArrayList<>();
        List<Long> left = new ArrayList<>();
        plan.sendBeforeDeletions(connection, new FetchPipeline(), new ConfirmedSteps() {
            @Override
            public void copied(List<String> identities) {
                identities.forEach(uid -> copied.add(Long.valueOf(uid)));
            }

            @Override
            public void left(List<String> identities) {
                identities.forEach(uid -> left.add(Long.valueOf(uid)));
            }
        }, uids -> uids.stream().map(String::valueOf).toList());
        assertEquals(List.of(), server.problems());
        assertEquals(SCATTERED, named("UID COPY"));
        assertEquals(SCATTERED, named("UID STORE"));
        assertEquals(SCATTERED, named("UID MOVE"));
        copied.sort(null); // each piece's UIDs come as a set
        assertEquals(SCATTERED, copied);
        left.sort(null);
        assertEquals(SCATTERED, left);
    }

    /** Without MOVE a move is a UID COPY: once answered, what is left is the originals' deletion, told as such. */
    @Test
    void withoutMoveTheCopyOfAMoveIsReportedAsMadeNotAsLeft() throws Exception {
        String copy = "UID COPY " + SET + " \"?Done\"?";
        connect(ScriptedPreauth.script("UIDPLUS")
                .expect(copy).send("{tag} OK copied").expect(copy).send("{tag} OK copied")
                .expect(copy).send("{tag} OK copied"));
        Map<MessageRef, AfterProcessing> actions = new LinkedHashMap<>();
        for (MessageRef ref : refs(SCATTERED)) {
            actions.put(ref, new AfterProcessing(false, false, "Done", null));
        }
        AfterProcessingPlan plan = AfterProcessingPlan.of(actions, MailboxNames.AS_GIVEN, connection.capabilities());
        List<String> told = new ArrayList<>();
        plan.sendBeforeDeletions(connection, new FetchPipeline(), new ConfirmedSteps() {
            @Override
            public void movedCopyMade(List<String> identities) {
                told.addAll(identities);
            }

            @Override
            public void copied(List<String> identities) {
                told.add("copied " + identities);
            }

            @Override
            public void left(List<String> identities) {
                told.add("left " + identities);
            }
        }, uids -> uids.stream().map(String::valueOf).toList());
        assertEquals(List.of(), server.problems());
        List<Long> made = new ArrayList<>(told.stream().map(Long::valueOf).toList());
        made.sort(null);
        assertEquals(SCATTERED, made);
        assertEquals(SCATTERED, plan.deletes(), "the originals are the caller's to delete");
    }

    @Test
    void theSearchForOrphansCarryingTheDoneKeywordGoesOutInPieces() throws Exception {
        String search = "UID SEARCH UID " + SET + " DELETED KEYWORD \\$CatalystMailDone";
        keepsKeyword.script("UIDPLUS")
                .expect(search).send("* SEARCH " + SCATTERED.get(0), "{tag} OK done")
                .expect(search).send("* SEARCH", "{tag} OK done")
                .expect(search).send("* SEARCH " + SCATTERED.get(1_999), "{tag} OK done")
                .start();
        List<MessageRef> flagged = refs(SCATTERED);
        List<MessageRef> done = keepsKeyword.open().orphans().flaggedDone(flagged);
        server = keepsKeyword.server();
        assertEquals(List.of(), server.problems());
        assertEquals(SCATTERED, named("UID SEARCH UID"));
        assertEquals(List.of(flagged.get(0), flagged.get(1_999)), done);
    }
}
