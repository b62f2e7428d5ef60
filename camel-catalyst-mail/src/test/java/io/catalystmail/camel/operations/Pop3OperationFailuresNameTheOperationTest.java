package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.catalystmail.camel.pop3.Pop3RefusedException;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The POP3 operations producer names the operation and the server as the IMAP one does: a connection lost or timed
 * out during the operation's command fails the exchange with a {@link MailboxOperationFailedException}, a -ERR with a
 * {@link MailboxOperationException}, each with the transport's failure (server and command) as its cause. Before, the
 * exchange failed with the bare transport error, which did not say which operation of a route failed.
 */
class Pop3OperationFailuresNameTheOperationTest extends CamelTestSupport {

    private Exchange run(ScriptedPop3Server server, String options) {
        return template.send("catalystmail:pop3:127.0.0.1:" + server.port() + "?username=anna&password=secret"
                + "&allowInsecureAuth=true&" + options, e -> { });
    }

    @Test
    void aConnectionLostDuringStatNamesTheOperation() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server().account("anna", "secret", null).cutOn("STAT")
                .start()) {
            Exchange stat = run(server, "operation=stat");

            MailboxOperationFailedException failed = assertInstanceOf(MailboxOperationFailedException.class,
                    stat.getException());
            assertEquals("stat on pop3://127.0.0.1:" + server.port() + " failed: " + failed.getCause().getMessage(),
                    failed.getMessage());
            assertEquals("stat", failed.operation());
            assertFalse(failed.commandSent(), "STAT changes nothing");
            assertTrue(failed.getCause().getMessage().startsWith("POP3 server 127.0.0.1:" + server.port()),
                    failed.getCause()::toString);
        }
    }

    @Test
    void aListTheServerDoesNotAnswerNamesTheOperationAndTheTimeout() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server().account("anna", "secret", null)
                .add("u1", "Subject: a\r\n\r\nb\r\n").stallOn("LIST").start()) {
            Exchange list = run(server, "operation=list&readTimeout=500");

            MailboxOperationFailedException failed = assertInstanceOf(MailboxOperationFailedException.class,
                    list.getException());
            assertEquals("list on pop3://127.0.0.1:" + server.port() + " failed: POP3 server 127.0.0.1:"
                    + server.port() + " did not answer within readTimeout=500 ms (during LIST)", failed.getMessage());
        }
    }

    @Test
    void aRefusedUidlNamesTheOperationAndTheServersAnswer() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server().account("anna", "secret", null).withoutUidl()
                .start()) {
            Exchange uidl = run(server, "operation=uidl");

            MailboxOperationException refused = assertInstanceOf(MailboxOperationException.class,
                    uidl.getException());
            assertEquals("uidl on pop3://127.0.0.1:" + server.port() + " refused: -ERR unknown command",
                    refused.getMessage());
            assertEquals("-ERR unknown command", refused.serverText());
            assertInstanceOf(Pop3RefusedException.class, refused.getCause());
        }
    }
}
