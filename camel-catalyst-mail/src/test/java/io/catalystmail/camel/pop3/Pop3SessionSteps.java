package io.catalystmail.camel.pop3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer's steps on a {@link Pop3MailboxSession} against a {@link ScriptedPop3Server} whose messages say
 * "body N" (N from their UIDL "uN"), for tests of rounds sent ahead.
 */
final class Pop3SessionSteps {

    private static final Credentials ANNA = new Credentials("anna", "s3cret!", null, null);
    private static final AfterProcessing DELETE = new AfterProcessing(false, true, null, null);

    private Pop3SessionSteps() {
    }

    static Pop3MailboxSession open(ScriptedPop3Server server, Duration timeout, List<AutoCloseable> toClose)
            throws IOException {
        Pop3MailboxSession session = new Pop3MailboxSession(
                ConnectionSettings.plain("127.0.0.1", server.port(), timeout), ANNA);
        toClose.add(session);
        session.open();
        return session;
    }

    static List<MessageRef> listed(Pop3MailboxSession session) throws IOException {
        return session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
    }

    /** Fetches {@code round} announcing {@code upcoming}; returns the UIDLs delivered, in order. */
    static List<String> fetch(Pop3MailboxSession session, List<MessageRef> round, List<MessageRef> upcoming)
            throws IOException {
        List<String> got = new ArrayList<>();
        Map<MessageRef, Exception> failures = session.fetch(round, upcoming, m -> {
            String text = new String(m.content().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(text.contains("body " + m.ref().id().substring(1) + "\r\n"), m.ref().id() + " got " + text);
            got.add(m.ref().id());
        });
        assertEquals(Map.of(), failures);
        return got;
    }

    static void delete(Pop3MailboxSession session, List<MessageRef> refs) throws IOException {
        Map<MessageRef, AfterProcessing> actions = new LinkedHashMap<>();
        refs.forEach(r -> actions.put(r, DELETE));
        session.apply(actions);
    }

    /** The commands from the first RETR on. */
    static List<String> fromFirstRetr(ScriptedPop3Server server) {
        List<String> all = server.commands();
        int first = 0;
        while (first < all.size() && !all.get(first).startsWith("RETR")) {
            first++;
        }
        return all.subList(first, all.size());
    }
}
