package io.catalystmail.camel.pop3;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.catalystmail.camel.mailbox.MessageRef;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rounds pipelined across calls (RFC 2449 §6.6): a fetch sends the next round's RETRs with its own, DELEs of routed
 * messages go out behind RETRs still unanswered, and nothing but what DELE marked is removed at QUIT (RFC 1939 §6).
 */
class Pop3RoundsSentAheadTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private ScriptedPop3Server sixMessages() throws IOException {
        ScriptedPop3Server server = new ScriptedPop3Server();
        toClose.add(server);
        for (int i = 1; i <= 6; i++) {
            server.add("u" + i, "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n");
        }
        return server;
    }

    @Test
    void theNextRoundsRetrsGoOutWithTheCurrentOnesAndEachMessageIsDeliveredOnce() throws Exception {
        // the server answers no RETR before four arrived: a session that waits for round 1 before asking for
        // round 2 times out
        ScriptedPop3Server server = sixMessages().holdReplies("RETR", 4).start();
        Pop3MailboxSession session = open(server, TIMEOUT, toClose);
        List<MessageRef> refs = listed(session);
        assertEquals(List.of("u1", "u2"), fetch(session, refs.subList(0, 2), refs.subList(2, 4)));
        delete(session, refs.subList(0, 2));
        assertEquals(List.of("u3", "u4"), fetch(session, refs.subList(2, 4), refs.subList(4, 6)));
        delete(session, refs.subList(2, 4));
        assertEquals(List.of("u5", "u6"), fetch(session, refs.subList(4, 6), List.of()));
        delete(session, refs.subList(4, 6));
        session.commit();
        session.close();
        assertEquals(List.of("RETR 1", "RETR 2", "RETR 3", "RETR 4", "DELE 1", "DELE 2", "RETR 5", "RETR 6",
                "DELE 3", "DELE 4", "DELE 5", "DELE 6", "QUIT"), fromFirstRetr(server));
        assertTrue(session.quitSucceeded());
        assertEquals(List.of(), server.maildropUidls());
        assertEquals(List.of(), server.errors());
    }

    @Test
    void closingWithARoundSentAheadReadsItPastAndQuitRemovesOnlyWhatWasDeleted() throws Exception {
        ScriptedPop3Server server = sixMessages().start();
        Pop3MailboxSession session = open(server, TIMEOUT, toClose);
        List<MessageRef> refs = listed(session);
        assertEquals(List.of("u1", "u2"), fetch(session, refs.subList(0, 2), refs.subList(2, 4)));
        delete(session, refs.subList(0, 2));
        // the consumer stops here: round 2 was sent ahead and is never asked for
        session.close();
        assertEquals(List.of("RETR 1", "RETR 2", "RETR 3", "RETR 4", "DELE 1", "DELE 2", "QUIT"),
                fromFirstRetr(server));
        assertTrue(session.quitSucceeded());
        assertEquals(List.of("u3", "u4", "u5", "u6"), server.maildropUidls());
    }

    @Test
    void aConnectionLostBehindARoundSentAheadRemovesNothingAndHandsOverNothingOfThatFetch() throws Exception {
        ScriptedPop3Server server = sixMessages().cutOn("DELE").start();
        Pop3MailboxSession session = open(server, TIMEOUT, toClose);
        List<MessageRef> refs = listed(session);
        assertEquals(List.of("u1", "u2"), fetch(session, refs.subList(0, 2), refs.subList(2, 4)));
        delete(session, refs.subList(0, 2));
        List<String> got = new ArrayList<>();
        // round 2's messages come before the DELEs' answers; the fetch fails on the lost connection, so the caller
        // (FetchedRound) releases what it mapped and routes none of it
        assertThrows(IOException.class, () -> session.fetch(refs.subList(2, 4), refs.subList(4, 6),
                m -> got.add(m.ref().id())));
        session.close();
        assertFalse(session.quitSucceeded());
        assertFalse(server.commands().contains("QUIT"), String.join("|", server.commands()));
        assertEquals(List.of("u1", "u2", "u3", "u4", "u5", "u6"), server.maildropUidls());
    }

    @Test
    void aDeleRefusedBehindARoundSentAheadIsThrownByCommitAndTheOtherDeletionsHold() throws Exception {
        ScriptedPop3Server server = sixMessages().refuseDele(2).start();
        Pop3MailboxSession session = open(server, TIMEOUT, toClose);
        List<MessageRef> refs = listed(session);
        fetch(session, refs.subList(0, 2), refs.subList(2, 4));
        delete(session, refs.subList(0, 2));
        assertEquals(List.of("u3", "u4"), fetch(session, refs.subList(2, 4), List.of()));
        Pop3RefusedException refused = assertThrows(Pop3RefusedException.class, session::commit);
        assertTrue(refused.getMessage().contains("message 2 (UIDL u2)"), refused.getMessage());
        session.close();
        assertTrue(session.quitSucceeded());
        assertEquals(List.of("u2", "u3", "u4", "u5", "u6"), server.maildropUidls());
    }

    @Test
    void withoutPipeliningNothingIsSentAhead() throws Exception {
        ScriptedPop3Server server = sixMessages().capabilities("UIDL", "TOP", "USER").start();
        Pop3MailboxSession session = open(server, TIMEOUT, toClose);
        List<MessageRef> refs = listed(session);
        fetch(session, refs.subList(0, 2), refs.subList(2, 4));
        delete(session, refs.subList(0, 2));
        session.close();
        assertEquals(List.of("RETR 1", "RETR 2", "DELE 1", "DELE 2", "QUIT"), fromFirstRetr(server));
        assertEquals(List.of("u3", "u4", "u5", "u6"), server.maildropUidls());
    }
}
