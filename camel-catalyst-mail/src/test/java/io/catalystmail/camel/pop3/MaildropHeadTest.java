package io.catalystmail.camel.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A poll that takes only the first messages of a maildrop at least twice that large lists those alone, with the
 * single-line UIDL n and LIST n ({@link MaildropHead}); a smaller maildrop, a filter or another order is listed whole.
 * The exact commands on the wire, against a scripted server.
 */
class MaildropHeadTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final Credentials ANNA = new Credentials("anna", "s3cret!", null, null);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private ScriptedPop3Server maildropOf(int messages, ScriptedPop3Server server) throws IOException {
        toClose.add(server);
        for (int i = 1; i <= messages; i++) {
            server.add("u" + i, "Subject: m" + i + "\r\n\r\n" + "x".repeat(i) + "\r\n");
        }
        return server.start();
    }

    private Pop3MailboxSession openSession(ScriptedPop3Server server) throws IOException {
        Pop3MailboxSession session = new Pop3MailboxSession(
                ConnectionSettings.plain("127.0.0.1", server.port(), TIMEOUT), ANNA);
        toClose.add(session);
        session.open();
        return session;
    }

    /** The commands after the login (the last CAPA), joined by '|'. */
    private static String afterLogin(ScriptedPop3Server server) {
        List<String> commands = server.commands();
        return String.join("|", commands.subList(commands.lastIndexOf("CAPA") + 1, commands.size()));
    }

    @Test
    void aPollTakingTwoOfFiveListsOnlyThoseTwo() throws Exception {
        ScriptedPop3Server server = maildropOf(5, new ScriptedPop3Server());
        Pop3MailboxSession session = openSession(server);
        List<MessageRef> refs = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 2);
        assertEquals(List.of("u1", "u2"), refs.stream().map(MessageRef::id).toList());
        assertEquals(List.of(1, 2), refs.stream().map(MessageRef::number).toList());
        assertEquals(List.of(18L, 19L), refs.stream().map(MessageRef::size).toList(), "LIST n's sizes");
        assertFalse(session.listedWholeMailbox(), "three messages were never listed");
        assertEquals("STAT|UIDL 1|UIDL 2|LIST 1|LIST 2", afterLogin(server));
        session.close();
        assertEquals(List.of(), server.errors());
    }

    @Test
    void aMaildropLessThanTwiceThePollIsListedWhole() throws Exception {
        ScriptedPop3Server server = maildropOf(3, new ScriptedPop3Server());
        Pop3MailboxSession session = openSession(server);
        List<MessageRef> refs = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 2);
        assertEquals(List.of("u1", "u2"), refs.stream().map(MessageRef::id).toList());
        assertEquals(List.of(18L, 19L), refs.stream().map(MessageRef::size).toList());
        // STAT is not asked twice: its count bounds the whole answers as before
        assertEquals("STAT|UIDL|LIST", afterLogin(server));
        session.close();
        assertEquals(List.of(), server.errors());
    }

    @Test
    void anotherOrderOrNoLimitListsTheWholeMaildropInOneRoundTrip() throws Exception {
        ScriptedPop3Server server = maildropOf(5, new ScriptedPop3Server());
        Pop3MailboxSession session = openSession(server);
        List<MessageRef> newest = session.list(SearchFilter.ALL, true, MessageOrder.UID_DESCENDING, 2);
        assertEquals(List.of("u5", "u4"), newest.stream().map(MessageRef::id).toList());
        List<MessageRef> all = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
        assertEquals(5, all.size());
        assertTrue(session.listedWholeMailbox());
        assertEquals("STAT|UIDL|LIST|STAT|UIDL|LIST", afterLogin(server));
        session.close();
    }

    @Test
    void aServerRefusingUidlNFailsTheListingAsARefusedUidlDoes() throws Exception {
        ScriptedPop3Server server = maildropOf(5, new ScriptedPop3Server().capabilities("USER", "TOP", "PIPELINING")
                .withoutUidl());
        Pop3MailboxSession session = openSession(server);
        IOException e = assertThrows(IOException.class,
                () -> session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 2));
        assertTrue(e.getMessage().contains("refused UIDL 1 (-ERR unknown command); the consumer needs UIDL"),
                e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
    }
}
