package io.catalystmail.camel.pop3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.catalystmail.camel.pop3.Pop3SessionSteps.delete;
import static io.catalystmail.camel.pop3.Pop3SessionSteps.fetch;
import static io.catalystmail.camel.pop3.Pop3SessionSteps.fromFirstRetr;
import static io.catalystmail.camel.pop3.Pop3SessionSteps.listed;
import static io.catalystmail.camel.pop3.Pop3SessionSteps.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounds of sending a round ahead (RFC 2449 §6.6): at most 1 MiB by LIST sizes and a window of commands, so
 * that what a poll that stops early must read past is bounded; a read past that brings more than LIST said drops
 * the connection without QUIT (RFC 1939 §6: nothing is removed); rounds too large for the whole next round to go
 * ahead send part of it, and rounds too large for any say so once.
 */
class Pop3SendAheadBoundsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private ScriptedPop3Server server(int messages, int padding) throws IOException {
        ScriptedPop3Server server = new ScriptedPop3Server();
        toClose.add(server);
        String pad = ("x".repeat(78) + "\r\n").repeat(padding / 80);
        for (int i = 1; i <= messages; i++) {
            server.add("u" + i, "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n" + pad);
        }
        return server;
    }

    /** The commands from the first RETR on, runs of one verb on consecutive numbers shortened: "RETR 1-5 | QUIT". */
    private static String runs(ScriptedPop3Server server) {
        List<String> out = new ArrayList<>();
        String verb = null;
        int first = 0;
        int last = 0;
        for (String command : fromFirstRetr(server)) {
            String[] parts = command.split(" ");
            int n = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
            if (parts[0].equals(verb) && n == last + 1) {
                last = n;
                continue;
            }
            if (verb != null) {
                out.add(verb + (first < 0 ? "" : first == last ? " " + first : " " + first + "-" + last));
            }
            verb = parts[0];
            first = n;
            last = n;
        }
        if (verb != null) {
            out.add(verb + (first < 0 ? "" : first == last ? " " + first : " " + first + "-" + last));
        }
        return String.join(" | ", out);
    }

    @Test
    void aRoundSentAheadStopsAtOneMebibyteByListAndTheFetchThatTakesItAsksForTheRest() throws Exception {
        // six messages of about 300 KB: three fit in 1 MiB, so a poll stopped after round 1 reads past three
        ScriptedPop3Server server = server(6, 300_000).start();
        Pop3MailboxSession session = open(server, TIMEOUT, toClose);
        List<MessageRef> refs = listed(session);
        assertEquals(List.of("u1", "u2"), fetch(session, refs.subList(0, 2), refs.subList(2, 6)));
        delete(session, refs.subList(0, 2));
        assertEquals(List.of("u3", "u4", "u5", "u6"), fetch(session, refs.subList(2, 6), List.of()));
        delete(session, refs.subList(2, 6));
        session.commit();
        session.close();
        assertEquals("RETR 1-5 | DELE 1-2 | RETR 6 | DELE 3-6 | QUIT", runs(server));
        assertEquals(List.of(), server.maildropUidls());
        assertEquals(List.of(), server.errors());
    }

    @Test
    void aMessageReadPastThatBringsMoreThanListAnnouncedDropsTheConnectionWithoutQuitAndRemovesNothing()
            throws Exception {
        ScriptedPop3Server server = server(6, 0);
        // message 3 is announced by LIST at about 25 octets but RETR sends 200 KB: read past, it would take all
        server.rawRetr(3, (("y".repeat(78) + "\r\n").repeat(2_500) + ".\r\n").getBytes(StandardCharsets.US_ASCII));
        server.start();
        Pop3MailboxSession session = open(server, TIMEOUT, toClose);
        List<MessageRef> refs = listed(session);
        try (CapturedLog log = new CapturedLog()) {
            assertEquals(List.of("u1", "u2"), fetch(session, refs.subList(0, 2), refs.subList(2, 4)));
            delete(session, refs.subList(0, 2));
            // the poll stops here: round 2 was sent ahead and is never asked for
            session.close();
            assertTrue(log.text().contains("message 3 (UIDL u3)") && log.text().contains("without QUIT"),
                    log.text());
        }
        assertFalse(session.quitSucceeded());
        assertFalse(server.commands().contains("QUIT"), String.join("|", server.commands()));
        assertEquals(List.of("u1", "u2", "u3", "u4", "u5", "u6"), server.maildropUidls());
    }

    @Test
    void roundsOfAHundredStillSendPartOfTheNextRoundAheadOnceDelesAreOutstanding() throws Exception {
        ScriptedPop3Server server = server(300, 0).start();
        Pop3MailboxSession session = open(server, TIMEOUT, toClose);
        List<MessageRef> refs = listed(session);
        assertEquals(100, fetch(session, refs.subList(0, 100), refs.subList(100, 200)).size());
        delete(session, refs.subList(0, 100));
        // 100 RETRs sent ahead and 100 DELEs behind them are unanswered: 56 of the next round still fit the window
        assertEquals(100, fetch(session, refs.subList(100, 200), refs.subList(200, 300)).size());
        delete(session, refs.subList(100, 200));
        assertEquals(100, fetch(session, refs.subList(200, 300), List.of()).size());
        delete(session, refs.subList(200, 300));
        session.commit();
        session.close();
        assertEquals("RETR 1-200 | DELE 1-100 | RETR 201-256 | DELE 101-200 | RETR 257-300 | DELE 201-300 | QUIT",
                runs(server));
        assertEquals(List.of(), server.maildropUidls());
    }

    @Test
    void roundsTooLargeForAnyRoomToSendAheadSaySoOnce() throws Exception {
        ScriptedPop3Server server = server(800, 0).start();
        Pop3MailboxSession session = open(server, TIMEOUT, toClose);
        List<MessageRef> refs = listed(session);
        try (CapturedLog log = new CapturedLog()) {
            for (int round = 0; round < 4; round++) {
                List<MessageRef> upcoming = round < 3 ? refs.subList(200 * (round + 1), 200 * (round + 2)) : List.of();
                assertEquals(200, fetch(session, refs.subList(200 * round, 200 * (round + 1)), upcoming).size());
                delete(session, refs.subList(200 * round, 200 * (round + 1)));
            }
            session.commit();
            String text = log.text();
            int first = text.indexOf("leave no room to send the next round's RETRs ahead");
            assertTrue(first >= 0 && text.contains("rounds of 200 messages") && text.contains("below 128"), text);
            assertEquals(-1, text.indexOf("leave no room", first + 1), "said once: " + text);
        }
        session.close();
        assertEquals(List.of(), server.maildropUidls());
    }
}
