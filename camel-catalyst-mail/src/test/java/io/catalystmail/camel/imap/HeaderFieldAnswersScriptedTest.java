package io.catalystmail.camel.imap;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.mailbox.HeaderAnswerTooLargeException;
import io.catalystmail.camel.mailbox.MessageIdValues;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.testsupport.ScriptedImapSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a session learns from header-field answers (the Message-IDs before a fetch, the Date of a listing in date
 * order), including answers no real server gives on demand.
 */
class HeaderFieldAnswersScriptedTest {

    @RegisterExtension
    final ScriptedImapSession imap = ScriptedImapSession.inbox();

    /** The listing's FETCH of the Date fields, as the script expects it. */
    private static final String DATE_FETCH =
            "UID FETCH 3:4 \\(UID INTERNALDATE RFC822\\.SIZE BODY\\.PEEK\\[HEADER\\.FIELDS \\(DATE\\)\\]\\)";

    private static String literal(String content) {
        return "{" + content.getBytes(StandardCharsets.UTF_8).length + "}\r\n" + content;
    }

    @Test
    void oneFetchOfTheHeaderFieldReadsEachAnswerAsTheExchangeWould() throws Exception {
        String folded = "Message-ID:\r\n <folded@example.test>\r\n\r\n";
        String repeated = "Message-ID: \r\nMessage-ID: <second@example.test>\r\n\r\n";
        String tooLong = "Message-ID: <" + "x".repeat(1000) + "@example.test>\r\n\r\n";
        imap.script("")
                .expect("UID FETCH 3:7 \\(UID BODY\\.PEEK\\[HEADER\\.FIELDS \\(MESSAGE-ID\\)\\]\\)")
                .send("* 1 FETCH (UID 3 BODY[HEADER.FIELDS (MESSAGE-ID)] " + literal(folded) + ")")
                .send("* 2 FETCH (UID 4 BODY[HEADER.FIELDS (\"MESSAGE-ID\")] " + literal("\r\n") + ")")
                .send("* 3 FETCH (UID 5 BODY[HEADER.FIELDS (MESSAGE-ID)] " + literal(repeated) + ")")
                .send("* 4 FETCH (UID 6 BODY[HEADER.FIELDS (MESSAGE-ID)] " + literal(tooLong) + ")")
                // UID 7 vanished: no answer; an answer for a UID not asked about is no answer either
                .send("* 8 FETCH (UID 99 BODY[HEADER.FIELDS (MESSAGE-ID)] " + literal("Message-ID: <x@y>\r\n\r\n") + ")")
                .send("{tag} OK done")
                .start();
        ImapMailboxSession session = imap.open();
        Map<String, String> ids = session.messageIds(List.of(imap.ref(7), imap.ref(3), imap.ref(4), imap.ref(5),
                imap.ref(6)));
        assertEquals(Map.of(imap.ref(3).identity(), "<folded@example.test>",
                imap.ref(4).identity(), MessageIdValues.NONE,
                imap.ref(5).identity(), "<second@example.test>"), ids);
        imap.assertScriptPlayed();
    }

    /**
     * A sender can write a Message-ID field of most of a megabyte; its answer is passed over, not read into memory
     * (past the reader's 8 MiB it failed the command, and so every poll, and nothing behind it was routed): the
     * message is fetched in full and checked as before, and the others are learned.
     */
    @Test
    void aHugeFieldIsPassedOverAndTheOthersAreLearned() throws Exception {
        String huge = "Message-ID: <" + "x\r\n ".repeat(250_000) + "@example.test>\r\n\r\n";
        imap.script("")
                .expect("UID FETCH 3:4 \\(UID BODY\\.PEEK\\[HEADER\\.FIELDS \\(MESSAGE-ID\\)\\]\\)")
                .send("* 1 FETCH (UID 3 BODY[HEADER.FIELDS (MESSAGE-ID)] " + literal(huge) + ")")
                .send("* 2 FETCH (UID 4 BODY[HEADER.FIELDS (MESSAGE-ID)] " + literal("Message-ID: <b@y>\r\n\r\n") + ")")
                .send("{tag} OK done")
                .start();
        ImapMailboxSession session = imap.open();
        assertEquals(Map.of(imap.ref(4).identity(), "<b@y>"), session.messageIds(List.of(imap.ref(3), imap.ref(4))));
        imap.assertScriptPlayed();
    }

    /** The same for the Date field of a listing in date order: the message's sent date is its INTERNALDATE. */
    @Test
    void aHugeDateFieldIsPassedOverAndTheListingSortsByArrival() throws Exception {
        String huge = "Date: Mon, 1 Jan 2024 00:00:00 +0000" + "\r\n x".repeat(250_000) + "\r\n\r\n";
        imap.script("")
                .expect("UID SEARCH ALL UNDELETED")
                .send("* SEARCH 3 4", "{tag} OK searched")
                .expect(DATE_FETCH)
                .send("* 1 FETCH (UID 3 INTERNALDATE \"09-Mar-2024 09:00:00 +0000\" RFC822.SIZE 100 "
                      + "BODY[HEADER.FIELDS (DATE)] " + literal(huge) + ")")
                .send("* 2 FETCH (UID 4 INTERNALDATE \"10-Mar-2024 09:00:00 +0000\" RFC822.SIZE 100 "
                      + "BODY[HEADER.FIELDS (DATE)] " + literal("Date: Tue, 2 Jan 2024 00:00:00 +0000\r\n\r\n") + ")")
                .send("{tag} OK fetched")
                .start();
        ImapMailboxSession session = imap.open();
        List<MessageRef> refs = session.list(SearchFilter.ALL, false, MessageOrder.DATE_ASCENDING, 0);
        assertEquals(List.of("4", "3"), refs.stream().map(MessageRef::id).toList());
        assertEquals(Instant.parse("2024-03-09T09:00:00Z"), refs.get(1).date());
        imap.assertScriptPlayed();
    }

    /**
     * An answer announced far above what is passed over (50,000,000 octets; more than 8 KiB + 1 MiB) is not read at
     * all: the connection is dropped at its announcement and the fetch fails naming the server, the command, the
     * message and the size. Before, it was streamed past, bounded only by fetchTimeout.
     */
    @Test
    void aFieldAnnouncedFarAboveTheBoundCostsTheConnectionNotTheOctets() throws Exception {
        imap.script("")
                .expect("UID FETCH 3:4 \\(UID BODY\\.PEEK\\[HEADER\\.FIELDS \\(MESSAGE-ID\\)\\]\\)")
                .send("* 1 FETCH (UID 3 BODY[HEADER.FIELDS (MESSAGE-ID)] {50000000}")
                .sendBytes("Message-ID: <".getBytes(StandardCharsets.US_ASCII))
                .stall()
                .start();
        ImapMailboxSession session = imap.open();
        HeaderAnswerTooLargeException failure = assertThrows(HeaderAnswerTooLargeException.class,
                () -> session.messageIds(List.of(imap.ref(3), imap.ref(4))));
        for (String named : List.of("127.0.0.1:" + imap.server().port(), "UID FETCH", "UID 3", "50000000 octets",
                "connection was dropped")) {
            assertTrue(failure.getMessage().contains(named), named + " in: " + failure.getMessage());
        }
        assertEquals(imap.ref(3).identity(), failure.identity());
        assertFalse(session.isAlive(), "the connection was dropped");
    }

    /** The same for the Date field of a listing in date order: the listing fails, naming what was asked. */
    @Test
    void aDateFieldAnnouncedFarAboveTheBoundFailsTheListingAtOnce() throws Exception {
        imap.script("")
                .expect("UID SEARCH ALL UNDELETED")
                .send("* SEARCH 3 4", "{tag} OK searched")
                .expect(DATE_FETCH)
                .send("* 1 FETCH (UID 3 INTERNALDATE \"09-Mar-2024 09:00:00 +0000\" RFC822.SIZE 100 "
                      + "BODY[HEADER.FIELDS (DATE)] {5000000000}")
                .stall()
                .start();
        ImapMailboxSession session = imap.open();
        HeaderAnswerTooLargeException failure = assertThrows(HeaderAnswerTooLargeException.class,
                () -> session.list(SearchFilter.ALL, false, MessageOrder.DATE_ASCENDING, 0));
        for (String named : List.of("127.0.0.1:" + imap.server().port(), "HEADER.FIELDS (DATE)", "UID 3",
                "5000000000 octets")) {
            assertTrue(failure.getMessage().contains(named), named + " in: " + failure.getMessage());
        }
        assertFalse(session.isAlive(), "the connection was dropped");
    }
}
