package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.catalystmail.camel.imap.AppendOutcomeUnknownException;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * An APPEND whose message went out whole and whose answer never came may have stored the message: the exchange
 * fails with {@link AppendOutcomeUnknownException} (server, folder, the cause), so a route can look before it
 * appends again. A connection lost before the message was sent stored nothing and fails as before.
 */
class AppendAnswerLostTest extends CamelTestSupport {

    private static final String MAIL = "Subject: hi\r\n\r\nbody\r\n";
    private static final String APPEND = "APPEND \"Archiv\" \\{" + MAIL.length() + "\\}" + MAIL;

    @Test
    void aConnectionClosedAfterTheWholeMessageLeavesTheOutcomeUnknown() throws Exception {
        try (ScriptedImapServer server = script().expect(APPEND).cut().start()) {
            Exception failure = append(server, "");
            AppendOutcomeUnknownException unknown = assertInstanceOf(AppendOutcomeUnknownException.class, failure,
                    () -> String.valueOf(failure));
            assertEquals("Archiv", unknown.folder());
            assertTrue(unknown.getMessage().startsWith("IMAP server 127.0.0.1:" + server.port() + ": the message for"
                    + " APPEND to 'Archiv' was sent whole, but the answer was lost ("), unknown.getMessage());
            assertTrue(unknown.getMessage().endsWith("the server may have stored it; look for it before appending it"
                    + " again"), unknown.getMessage());
        }
    }

    @Test
    void aServerSilentAfterTheWholeMessageLeavesTheOutcomeUnknownAtTheDeadline() throws Exception {
        try (ScriptedImapServer server = script().expect(APPEND).stall().start()) {
            Exception failure = append(server, "&fetchTimeout=1s");
            AppendOutcomeUnknownException unknown = assertInstanceOf(AppendOutcomeUnknownException.class, failure,
                    () -> String.valueOf(failure));
            assertNotNull(unknown.getCause());
            assertTrue(unknown.getMessage().contains("fetchTimeout"), unknown.getMessage());
        }
    }

    @Test
    void aByeInPlaceOfTheAnswerLeavesTheOutcomeUnknown() throws Exception {
        try (ScriptedImapServer server = script().expect(APPEND).send("* BYE shutting down").cut().start()) {
            Exception failure = append(server, "");
            AppendOutcomeUnknownException unknown = assertInstanceOf(AppendOutcomeUnknownException.class, failure,
                    () -> String.valueOf(failure));
            assertTrue(unknown.getMessage().contains("BYE"), unknown.getMessage());
        }
    }

    @Test
    void aConnectionClosedBeforeTheMessageWasSentIsNoUnknownOutcome() throws Exception {
        try (ScriptedImapServer server = script().expectLine("\\S+ APPEND \"Archiv\" \\{\\d+\\}").cut().start()) {
            Exception failure = append(server, "");
            assertNotNull(failure);
            assertFalse(failure instanceof AppendOutcomeUnknownException, () -> String.valueOf(failure));
        }
    }

    @Test
    void aRefusalAfterTheMessageIsARefusal() throws Exception {
        try (ScriptedImapServer server = script().expect(APPEND).send("{tag} NO [OVERQUOTA] quota exceeded").start()) {
            Exception failure = append(server, "");
            MailboxOperationException refused = assertInstanceOf(MailboxOperationException.class, failure,
                    () -> String.valueOf(failure));
            assertTrue(refused.getMessage().contains("NO [OVERQUOTA] quota exceeded"), refused.getMessage());
        }
    }

    private static ScriptedImapServer script() {
        return new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS] logged in")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK listed");
    }

    private Exception append(ScriptedImapServer server, String options) throws Exception {
        String uri = "catalystmail:imap:127.0.0.1:" + server.port() + "?username=joe&password=secret"
                + "&allowInsecureAuth=true&operation=append&raw=true&folder=Archiv" + options;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:append").to(uri);
            }
        });
        Exchange done = template.send("direct:append", e -> e.getIn().setBody(MAIL));
        return done.getException();
    }
}
