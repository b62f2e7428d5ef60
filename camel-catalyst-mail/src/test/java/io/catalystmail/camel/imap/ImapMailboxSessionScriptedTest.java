package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.catalystmail.camel.testsupport.ScriptedImapSession.BODY_FETCH;
import static io.catalystmail.camel.testsupport.ScriptedImapSession.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.mailbox.SearchKey;
import io.catalystmail.camel.testsupport.ScriptedImapSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the session sends and how it reads what no real server shows on demand. */
class ImapMailboxSessionScriptedTest {

    @RegisterExtension
    final ScriptedImapSession imap = new ScriptedImapSession("Entw\u00fcrfe", "SELECT \"Entw&APw-rfe\"", "* 5 EXISTS",
            "* OK [UIDVALIDITY 42] UIDs valid", "* OK [UIDNEXT 20] next");

    private static String literal(String content) {
        return "{" + content.getBytes(StandardCharsets.UTF_8).length + "}\r\n" + content;
    }

    @Test
    void fetchReadsSeveralLiteralsPerResponseAndUnsolicitedResponsesInBetween() throws Exception {
        String header1 = "Subject: one\r\n\r\n";
        String body1 = header1 + "first body\r\n";
        String body2 = "Subject: two\r\n\r\nsecond body, handler fails\r\n";
        String body3 = "Subject: three\r\n\r\nthird body\r\n";
        imap.script("UIDPLUS")
                .expect("UID FETCH 11:13 \\(UID FLAGS INTERNALDATE RFC822\\.SIZE BODY\\.PEEK\\[\\]\\)")
                .send("* 1 FETCH (UID 11 FLAGS (\\Seen) INTERNALDATE \"10-Mar-2024 10:00:00 +0000\" BODY[HEADER] "
                        + literal(header1) + " BODY[] " + literal(body1) + ")")
                .send("* 3 EXPUNGE", "* 5 EXISTS", "* 2 FETCH (FLAGS (\\Seen))")
                .send("* 2 FETCH (UID 12 FLAGS () BODY[] " + literal(body2) + ")")
                .send("* 4 FETCH (FLAGS (\\Flagged) UID 13 BODY[] " + literal(body3) + " RFC822.SIZE 99)")
                .send("{tag} OK fetch done")
                // no NOOP: the OK just read stands for one (ImapConnection#needsNoop); LOGOUT is answered in step
                .start();
        ImapMailboxSession session = imap.open();
        assertEquals(42, session.uidValidity());
        List<String> got = new ArrayList<>();
        Map<MessageRef, Exception> failures = session.fetch(List.of(imap.ref(11), imap.ref(12), imap.ref(13)), m -> {
            if (m.ref().uid() == 12) {
                m.content().readNBytes(5);
                throw new IllegalStateException("handler broke");
            }
            got.add(m.ref().id() + " " + m.flags() + " " + m.size() + " "
                    + new String(m.content().readAllBytes(), StandardCharsets.UTF_8));
        });
        assertEquals(List.of("11 [\\Seen] " + body1.length() + " " + body1, "13 [\\Flagged] " + body3.length() + " " + body3),
                got);
        assertEquals(1, failures.size());
        assertEquals("handler broke", failures.get(imap.ref(12)).getMessage());
        assertTrue(session.isAlive());
        imap.assertScriptPlayed();
    }

    @Test
    void fetchInDescendingOrderPipelinesOneCommandPerRunAndSkipsVanishedMessages() throws Exception {
        imap.script("")
                .expect("UID FETCH 7 \\(.*\\)")
                .expect("UID FETCH 3:5 \\(.*\\)")
                .send("* 4 FETCH (UID 7 BODY[] {1}\r\nx)", "{tag-1} OK done")
                .send("* 1 FETCH (UID 3 BODY[] {1}\r\na)", "* 2 FETCH (UID 5 BODY[] {1}\r\nc)", "{tag} OK done")
                .start();
        ImapMailboxSession session = imap.open();
        List<String> got = new ArrayList<>();
        // asked for 7, then 3, 4, 5: 4 has vanished
        Map<MessageRef, Exception> failures = session.fetch(List.of(imap.ref(7), imap.ref(3), imap.ref(4), imap.ref(5)),
                m -> got.add(m.ref().id()));
        assertEquals(List.of("7", "3", "5"), got);
        assertEquals(Map.of(), failures);
        assertEquals("UID FETCH 7 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])", imap.server().received().get(2));
    }

    @Test
    void announcedRoundGoesOutAheadAndApplyIsHeldBehindItWithTheNextRoundOnceItIsAnswered() throws Exception {
        imap.script("UIDPLUS")
                .expect("UID FETCH 1:2" + BODY_FETCH)
                // sent before any answer was read: the server can work on it while round one is parsed
                .expect("UID FETCH 3:4" + BODY_FETCH)
                .send("* 1 FETCH (UID 1 BODY[] {1}\r\na)", "* 2 FETCH (UID 2 BODY[] {1}\r\nb)", "{tag-1} OK done")
                // apply's STORE was held until the next fetch, then sent behind the round fetched ahead
                .expect("UID STORE 1:2 \\+FLAGS\\.SILENT \\(\\\\Seen\\)")
                .send("* 3 FETCH (UID 3 BODY[] {1}\r\nc)", "* 4 FETCH (UID 4 BODY[] {1}\r\nd)", "{tag-1} OK done",
                        "{tag} OK stored")
                // the round announced next goes out only once the STORE is answered: Dovecot, which runs pipelined
                // commands side by side, answers the STORE only once a FETCH sent beside it has sent all its bodies
                .expect("UID FETCH 5" + BODY_FETCH)
                .send("* 5 FETCH (UID 5 BODY[] {1}\r\ne)", "{tag} OK done")
                // no NOOP: the OK just read stands for one (ImapConnection#needsNoop); LOGOUT is answered in step
                .start();
        ImapMailboxSession session = imap.open();
        List<String> first = new ArrayList<>();
        assertEquals(Map.of(), session.fetch(List.of(imap.ref(1), imap.ref(2)), List.of(imap.ref(3), imap.ref(4)),
                m -> first.add(text(m))));
        assertEquals(List.of("a", "b"), first);
        // nothing may be sent now: the answers to FETCH 3:4 are on their way
        session.apply(Map.of(imap.ref(1), new AfterProcessing(true, false, null, null),
                imap.ref(2), new AfterProcessing(true, false, null, null)));
        List<String> second = new ArrayList<>();
        assertEquals(Map.of(), session.fetch(List.of(imap.ref(3), imap.ref(4)), List.of(imap.ref(5)),
                m -> second.add(text(m))));
        assertEquals(List.of("c", "d"), second);
        List<String> third = new ArrayList<>();
        assertEquals(Map.of(), session.fetch(List.of(imap.ref(5)), List.of(), m -> third.add(text(m))));
        assertEquals(List.of("e"), third);
        assertTrue(session.isAlive());
        imap.assertScriptPlayed();
    }

    @Test
    void anyOtherCommandFirstReadsTheRoundSentAheadAndDiscardsIt() throws Exception {
        imap.script("UIDPLUS")
                .expect("UID FETCH 1" + BODY_FETCH)
                .expect("UID FETCH 2" + BODY_FETCH)
                .send("* 1 FETCH (UID 1 BODY[] {1}\r\na)", "{tag-1} OK done")
                .send("* 2 FETCH (UID 2 BODY[] {1}\r\nb)", "{tag} OK done")
                .expect("UID STORE 1 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("UID EXPUNGE 1").send("* 1 EXPUNGE", "{tag} OK expunged")
                .start();
        ImapMailboxSession session = imap.open();
        List<String> got = new ArrayList<>();
        session.fetch(List.of(imap.ref(1)), List.of(imap.ref(2)), m -> got.add(text(m)));
        session.apply(Map.of(imap.ref(1), new AfterProcessing(false, true, null, null)));
        // the poll ends without asking for message 2: it is read past, untouched, before the deletion goes out
        session.commit();
        assertEquals(List.of("a"), got);
        imap.assertScriptPlayed();
    }

    @Test
    void refusalOfAHeldCommandIsThrownByTheFetchThatSentItWithTheRoundDelivered() throws Exception {
        imap.script("UIDPLUS MOVE")
                .expect("UID FETCH 1" + BODY_FETCH)
                .expect("UID FETCH 2" + BODY_FETCH)
                .send("* 1 FETCH (UID 1 BODY[] {1}\r\na)", "{tag-1} OK done")
                .expect("UID MOVE 1 \"Gone\"")
                .send("* 2 FETCH (UID 2 BODY[] {1}\r\nb)", "{tag-1} OK done", "{tag} NO [TRYCREATE] no such mailbox")
                // no NOOP: the tagged NO just read shows the connection in step (ImapConnection#needsNoop)
                .start();
        ImapMailboxSession session = imap.open();
        session.fetch(List.of(imap.ref(1)), List.of(imap.ref(2)), m -> { });
        session.apply(Map.of(imap.ref(1), new AfterProcessing(false, false, "Gone", null)));
        List<String> got = new ArrayList<>();
        ImapCommandException e = assertThrows(ImapCommandException.class,
                () -> session.fetch(List.of(imap.ref(2)), List.of(), m -> got.add(text(m))));
        assertEquals("UID MOVE", e.command());
        assertEquals(List.of("b"), got);
        assertTrue(session.isAlive());
        imap.assertScriptPlayed();
    }

    @Test
    void applyWithoutUidplusAndMoveCopiesFirstThenStoresAndExpunges() throws Exception {
        imap.script("")
                .expect("UID COPY 3 \"Archive\"").send("{tag} OK copied")
                .expect("UID STORE 1:2 \\+FLAGS\\.SILENT \\(\\\\Seen\\)").send("{tag} OK stored")
                .expect("UID COPY 4:5 \"Done\"").send("{tag} OK copied")
                .expect("UID STORE 4:6 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("EXPUNGE").send("* 4 EXPUNGE", "* 4 EXPUNGE", "* 4 EXPUNGE", "{tag} OK expunged")
                .start();
        ImapMailboxSession session = imap.open();
        Map<MessageRef, AfterProcessing> actions = new LinkedHashMap<>();
        actions.put(imap.ref(1), new AfterProcessing(true, false, null, null));
        actions.put(imap.ref(2), new AfterProcessing(true, false, null, null));
        actions.put(imap.ref(3), new AfterProcessing(false, false, null, "Archive"));
        actions.put(imap.ref(4), new AfterProcessing(false, false, "Done", null));
        actions.put(imap.ref(5), new AfterProcessing(false, true, "Done", null));
        actions.put(imap.ref(6), new AfterProcessing(false, true, null, null));
        session.apply(actions);
        // deletions are expunged when the poll commits them (one EXPUNGE per poll)
        session.commit();
        imap.assertScriptPlayed();
    }

    @Test
    void applyWithUidplusAndMoveSendsOneCommandPerGroup() throws Exception {
        imap.script("UIDPLUS MOVE")
                .expect("UID COPY 9 \"&ZeVnLIqe-\"").send("{tag} OK [COPYUID 7 9 1] copied")
                .expect("UID STORE 5,9 \\+FLAGS\\.SILENT \\(\\\\Seen\\)").send("{tag} OK stored")
                .expect("UID MOVE 7:8 \"Done\"").send("* OK [COPYUID 7 7:8 3:4] moved", "* 6 EXPUNGE", "* 6 EXPUNGE",
                        "{tag} OK moved")
                .expect("UID STORE 5,9 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("UID EXPUNGE 5,9").send("* 3 EXPUNGE", "{tag} OK expunged")
                .start();
        ImapMailboxSession session = imap.open();
        Map<MessageRef, AfterProcessing> actions = new LinkedHashMap<>();
        actions.put(imap.ref(5), new AfterProcessing(true, true, null, null));
        actions.put(imap.ref(7), new AfterProcessing(false, false, "Done", null));
        actions.put(imap.ref(8), new AfterProcessing(false, true, "Done", null));
        actions.put(imap.ref(9), new AfterProcessing(true, true, null, "\u65e5\u672c\u8a9e"));
        session.apply(actions);
        // deletions are expunged when the poll commits them (one EXPUNGE per poll)
        session.commit();
        imap.assertScriptPlayed();
        assertEquals(8, imap.server().received().size()); // LIST, SELECT, five commands, LOGOUT
    }

    @Test
    void failedCopyNamesTheCommandAndDeletesNothing() throws Exception {
        imap.script("UIDPLUS MOVE")
                .expect("UID COPY 5 \"Missing\"").send("{tag} NO [TRYCREATE] no such mailbox")
                .start();
        ImapMailboxSession session = imap.open();
        ImapCommandException e = assertThrows(ImapCommandException.class,
                () -> session.apply(Map.of(imap.ref(5), new AfterProcessing(false, true, null, "Missing"))));
        assertEquals("UID COPY", e.command());
        assertTrue(e.getMessage().contains("no such mailbox"));
        imap.assertScriptPlayed();
    }

    @Test
    void listRendersTheFilterUsesEsearchAndOrdersByDate() throws Exception {
        imap.script("ESEARCH")
                .expect("UID SEARCH RETURN \\(ALL\\) CHARSET UTF-8 OR FROM \"bob\" \\(SUBJECT \\{6\\}r\u00e9sum NOT SEEN\\) "
                        + "SINCE 09-Mar-2024 HEADER \"X-Prio\" \"1\" KEYWORD \\$Work UNSEEN UNDELETED")
                .send("* ESEARCH (TAG \"{tag}\") UID ALL 2:4,9")
                .send("{tag} OK searched")
                .expect("UID FETCH 2:4,9 \\(UID INTERNALDATE RFC822\\.SIZE BODY\\.PEEK\\[HEADER\\.FIELDS \\(DATE\\)\\]\\)")
                .send("* 1 FETCH (UID 2 INTERNALDATE \"10-Mar-2024 09:00:00 +0000\" RFC822.SIZE 100)",
                        "* 2 FETCH (UID 3 INTERNALDATE \"08-Mar-2024 09:00:00 +0000\" RFC822.SIZE 300)",
                        "* 3 FETCH (UID 4 INTERNALDATE \"10-Mar-2024 09:00:00 +0000\" RFC822.SIZE 400)",
                        "* 3 FETCH (FLAGS (\\Seen))",
                        "{tag} OK fetched")
                .start();
        ImapMailboxSession session = imap.open();
        SearchKey key = new SearchKey.And(List.of(
                new SearchKey.Or(new SearchKey.HeaderContains("from", "bob"), new SearchKey.And(List.of(
                        new SearchKey.HeaderContains("Subject", "r\u00e9sum"),
                        new SearchKey.Not(new SearchKey.FlagKey("\\Seen", true))))),
                new SearchKey.DateKey(SearchKey.DateField.INTERNAL, SearchKey.DateComparison.SINCE,
                        new SearchKey.RelativeToNow(Duration.ofHours(-24))),
                new SearchKey.HeaderContains("X-Prio", "1"),
                new SearchKey.FlagKey("$Work", true)));
        List<MessageRef> refs = session.list(new SearchFilter(key), true, MessageOrder.DATE_DESCENDING, 2);
        // 9 vanished between SEARCH and FETCH; 2 and 4 share a date: UID breaks the tie, newest first
        assertEquals(List.of("4", "2"), refs.stream().map(MessageRef::id).toList());
        assertEquals(400, refs.get(0).size());
        assertEquals("imap://127.0.0.1:" + imap.server().port() + "/Entw%C3%BCrfe;UIDVALIDITY=42/;UID=4",
                refs.get(0).identity());
        imap.assertScriptPlayed();
    }

    @Test
    void aSessionWhoseConnectionWasClosedFailsNamingTheServer() throws Exception {
        // the text reaches the consumer's "Giving up the after-processing" ERROR: it said only "the IMAP session is
        // not open", no server
        imap.script("").start();
        ImapMailboxSession session = imap.open();
        session.abort();
        IOException e = assertThrows(IOException.class, session::idle);
        assertEquals("IMAP server 127.0.0.1:" + imap.server().port() + ": the session is not open (its connection was"
                     + " lost or closed)", e.getMessage());
    }
}
