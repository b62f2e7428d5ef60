package io.catalystmail.camel.pop3;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.MessageIdValues;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Message-IDs a POP3 session learns with TOP n 0, pipelined, before anything is retrieved. */
class Pop3MessageIdsScriptedTest {

    private static String mail(String messageIdField, String body) {
        return "From: someone@example.org\r\nSubject: s\r\n" + messageIdField + "\r\n" + body + "\r\n";
    }

    @Test
    void topReadsEachHeaderAndARefusedTopLeavesTheMessageOut() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server()
                .add("u1", mail("Message-ID:\r\n\t<one@example.org>\r\n", "a body that is not read"))
                .add("u2", mail("", "no Message-ID"))
                .add("u3", mail("Message-ID: <three@example.org>\r\n", "gone before its TOP"))
                .holdReplies("TOP", 3).start();
                Pop3MailboxSession session = new Pop3MailboxSession(
                        ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofSeconds(5)),
                        new Credentials("anna", "s3cret!", null, null))) {
            session.open();
            List<MessageRef> refs = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
            server.remove("u3"); // another client's deletion: TOP 3 is refused
            Map<String, String> ids = session.messageIds(refs);
            assertEquals(Map.of(refs.get(0).identity(), "<one@example.org>",
                    refs.get(1).identity(), MessageIdValues.NONE), ids);
            assertTrue(server.commands().containsAll(List.of("TOP 1 0", "TOP 2 0", "TOP 3 0")), server.commands().toString());
            assertTrue(server.commands().stream().noneMatch(c -> c.startsWith("RETR")), server.commands().toString());
            session.close();
            assertEquals(List.of(), server.errors());
        }
    }

    /**
     * A filter reads each header with TOP n 0 already: the Message-IDs of the messages it kept come from that read.
     * Before, each was TOPped twice per poll (once for the filter, once for the key).
     */
    @Test
    void aFilteredListingsHeadersAreNotReadAgainForTheirMessageIds() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server()
                .add("u1", mail("Message-ID: <one@example.org>\r\n", "kept by the filter"))
                .add("u2", "From: someone@example.org\r\nSubject: other\r\nMessage-ID: <two@example.org>\r\n"
                           + "\r\nleft out by the filter\r\n")
                .add("u3", mail("", "kept, no Message-ID"))
                .start();
                Pop3MailboxSession session = new Pop3MailboxSession(
                        ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofSeconds(5)),
                        new Credentials("anna", "s3cret!", null, null))) {
            session.open();
            List<MessageRef> refs = session.list(SearchFilter.parse("SUBJECT s"), true, MessageOrder.UID_ASCENDING, 0);
            assertEquals(List.of("u1", "u3"), refs.stream().map(MessageRef::id).toList());
            Map<String, String> ids = session.messageIds(refs);
            assertEquals(Map.of(refs.get(0).identity(), "<one@example.org>",
                    refs.get(1).identity(), MessageIdValues.NONE), ids);
            List<String> tops = server.commands().stream().filter(c -> c.startsWith("TOP")).toList();
            assertEquals(List.of("TOP 1 0", "TOP 2 0", "TOP 3 0"), tops, "each header read once");
            session.close();
            assertEquals(List.of(), server.errors());
        }
    }
}
