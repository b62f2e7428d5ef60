package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.FetchedMessage;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.RoutedActions;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The actions of the round in the route, handed to the fetch of the next round ({@link RoutedActions}): the exact
 * commands on the wire, in the order a server must see them, with a scripted peer that sends the next response only
 * after the commands it expects (so a client that waits for the end of the round fails the script).
 */
class RoutedActionsPipelineTest {

    private static final String BODY_FETCH = " \\(UID FLAGS INTERNALDATE RFC822\\.SIZE BODY\\.PEEK\\[\\]\\)";
    private static final AfterProcessing DELETE = new AfterProcessing(false, true, null, null);

    private ScriptedImapServer server;
    private ImapMailboxSession session;

    @AfterEach
    void stop() throws Exception {
        if (session != null) {
            session.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static ScriptedImapServer opening() {
        return opening("");
    }

    private static ScriptedImapServer opening(String moreCapabilities) {
        return new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS LITERAL+" + moreCapabilities + "] logged in already")
                .expect("LIST \"\" \"\"")
                .send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK done")
                .expect("SELECT \"?INBOX\"?")
                .send("* 9 EXISTS", "* OK [UIDVALIDITY 42] UIDs valid", "{tag} OK [READ-WRITE] selected");
    }

    private void open() throws IOException {
        session = new ImapMailboxSession(ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofSeconds(20)),
                Credentials.NONE, "INBOX");
        session.open();
    }

    private MessageRef ref(long uid) {
        return new MessageRef(Long.toString(uid), 0, -1, null, session.identity(uid));
    }

    private static String body(FetchedMessage m) throws IOException {
        return new String(m.content().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theRoutedRoundsFlagGoesOutBetweenTwoResponsesWithTheRoundAfterBehindItAndIsAnsweredBeforeTheFetchReturns()
            throws Exception {
        server = opening()
                .expect("UID FETCH 3:4" + BODY_FETCH)
                .send("* 3 FETCH (UID 3 BODY[] {1}\r\nc)")
                // the route of messages 1 and 2 ended while message 3 was read: their flag goes out now, with the
                // round after next behind it (never in front: its answer would wait for those bodies)
                .expect("UID STORE 1:2 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)")
                .expect("UID FETCH 5:6" + BODY_FETCH)
                .send("* 4 FETCH (UID 4 BODY[] {1}\r\nd)", "{tag-2} OK done", "{tag-1} OK stored",
                        "* 5 FETCH (UID 5 BODY[] {1}\r\ne)", "* 6 FETCH (UID 6 BODY[] {1}\r\nf)", "{tag} OK done")
                .start();
        open();
        RoutedActions routed = new RoutedActions(false);
        List<String> got = new ArrayList<>();
        List<Boolean> posted = new ArrayList<>();
        session.fetch(List.of(ref(3), ref(4)), List.of(ref(5), ref(6)), m -> {
            got.add(body(m));
            if (got.size() == 1) {
                // what the route's thread does when its round is done, at this moment of the fetch
                posted.add(routed.post(Map.of(ref(1), DELETE, ref(2), DELETE)));
            }
        }, routed);
        assertEquals(List.of(true), posted);
        assertEquals(List.of("c", "d"), got);
        // the round after was announced behind the flag: it is on its way already
        List<String> next = new ArrayList<>();
        session.fetch(List.of(ref(5), ref(6)), List.of(), m -> next.add(body(m)));
        assertEquals(List.of("e", "f"), next);
        session.close();
        server.awaitEnd();
        assertEquals(List.of(), server.problems());
    }

    @Test
    void aRouteSlowerThanTheFetchGetsTheHandOverClosedAndNothingIsAnnounced() throws Exception {
        server = opening()
                .expect("UID FETCH 3:4" + BODY_FETCH)
                .send("* 3 FETCH (UID 3 BODY[] {1}\r\nc)", "* 4 FETCH (UID 4 BODY[] {1}\r\nd)", "{tag} OK done")
                // the route applies its actions itself, in step; round 5:6 was never announced
                .expect("UID STORE 1:2 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("UID FETCH 5:6" + BODY_FETCH)
                .send("* 5 FETCH (UID 5 BODY[] {1}\r\ne)", "* 6 FETCH (UID 6 BODY[] {1}\r\nf)", "{tag} OK done")
                .start();
        open();
        RoutedActions routed = new RoutedActions(false);
        List<String> got = new ArrayList<>();
        session.fetch(List.of(ref(3), ref(4)), List.of(ref(5), ref(6)), m -> got.add(body(m)), routed);
        assertEquals(List.of("c", "d"), got);
        Map<MessageRef, AfterProcessing> actions = Map.of(ref(1), DELETE, ref(2), DELETE);
        assertFalse(routed.post(actions), "the fetch is over: the route must apply its actions itself");
        session.apply(actions);
        List<String> next = new ArrayList<>();
        session.fetch(List.of(ref(5), ref(6)), List.of(), m -> next.add(body(m)));
        assertEquals(List.of("e", "f"), next);
        session.close();
        server.awaitEnd();
        assertEquals(List.of(), server.problems());
    }

    @Test
    void aMoveToAFolderNotLookedUpYetWaitsUntilTheRoundIsReadThenGoesOutInStep() throws Exception {
        server = opening(" MOVE")
                .expect("UID FETCH 3" + BODY_FETCH)
                .send("* 3 FETCH (UID 3 BODY[] {1}\r\nc)", "{tag} OK done")
                // the target is looked up once the round is read (the answer must not be mixed with bodies)
                .expect("LIST \"\" \"?Archive\"?").send("* LIST () \"/\" Archive", "{tag} OK listed")
                .expect("UID MOVE 1 \"?Archive\"?")
                .expect("UID FETCH 5" + BODY_FETCH)
                .send("* 1 EXPUNGE", "{tag-1} OK moved", "* 4 FETCH (UID 5 BODY[] {1}\r\ne)", "{tag} OK done")
                .start();
        open();
        RoutedActions routed = new RoutedActions(false);
        List<String> got = new ArrayList<>();
        session.fetch(List.of(ref(3)), List.of(ref(5)), m -> {
            got.add(body(m));
            routed.post(Map.of(ref(1), new AfterProcessing(false, false, "Archive", null)));
        }, routed);
        assertEquals(List.of("c"), got);
        session.close();
        server.awaitEnd();
        assertEquals(List.of(), server.problems());
    }

    @Test
    void aCutAfterTheFlagWentOutWithTheRoundAfterBehindItFailsTheFetchWithNothingHandedOnTwice() throws Exception {
        server = opening()
                .expect("UID FETCH 3:4" + BODY_FETCH)
                .send("* 3 FETCH (UID 3 BODY[] {1}\r\nc)")
                .expect("UID STORE 1:2 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)")
                .expect("UID FETCH 5:6" + BODY_FETCH)
                .cut()
                .start();
        open();
        RoutedActions routed = new RoutedActions(false);
        List<String> got = new ArrayList<>();
        assertThrows(IOException.class, () -> session.fetch(List.of(ref(3), ref(4)), List.of(ref(5), ref(6)), m -> {
            got.add(body(m));
            routed.post(Map.of(ref(1), DELETE, ref(2), DELETE));
        }, routed));
        // the fetch failed: its round is not routed (the consumer releases what arrived), the flag is unconfirmed
        // (the consumer retries it), and the session is done with the connection
        assertEquals(List.of("c"), got);
        assertFalse(session.isAlive());
        assertTrue(routed.closeOrTake() == null, "the actions were taken by the fetch that sent them");
        server.awaitEnd();
        assertEquals(List.of(), server.problems());
    }
}
