package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.List;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.imap.ImapCommandException;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A server that stops in the middle of a fetched message's literal fails the fetch as a timeout naming the server, the
 * command, where in the answer it stopped and the option that ran out, never as a message that "could not be mapped"
 * (the mapper's read fails, but the literal's stream keeps the socket's failure and the fetch ends with it). A
 * streamed fetch (fetchAs=iterator) fails a round as the operations producer fails a whole operation, with the
 * operation and folder named, where before its split saw the bare transport failure; and keeps or closes the
 * connection by the same rule ({@link FailedOperation}).
 */
class TimeoutInsideAFetchedLiteralTest extends CamelTestSupport {

    private static final String MESSAGE = "Subject: hi\r\n\r\nbody"; // 19 octets

    /** UID 3 whole, then UID 4 stopped after 20 of its 500 octets; in one UID FETCH, or a round each (streamed). */
    private static ScriptedImapServer stoppingInsideUid4(boolean streamed) {
        ScriptedImapServer script = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1] logged in")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \".\" \"\"", "{tag} OK listed")
                .expect("EXAMINE \"INBOX\"")
                .send("* 4 EXISTS", "* OK [UIDVALIDITY 7] ok", "{tag} OK [READ-ONLY] examined")
                .expect("UID SEARCH ALL UID 3:4 LARGER [0-9]+").send("* SEARCH", "{tag} OK searched")
                .expect("UID FETCH " + (streamed ? "3" : "3:4") + " .*")
                .send("* 1 FETCH (UID 3 RFC822.SIZE 19 BODY[] {19}", MESSAGE + ")");
        if (streamed) {
            script.send("{tag} OK fetched").expect("UID FETCH 4 .*");
        }
        return script.send("* 2 FETCH (UID 4 RFC822.SIZE 500 BODY[] {500}", "Subject: a longer one").stall();
    }

    private Exchange fetch(int port, String options, boolean streamed) throws Exception {
        String uri = "catalystmail:imap:127.0.0.1:" + port + "?username=joe&password=secret&allowInsecureAuth=true"
                     + "&operation=fetch&folder=INBOX&" + options + (streamed ? "&fetchAs=iterator&fetchRoundSize=1" : "");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fetch").to(uri).split(body()).streaming().to("mock:each");
            }
        });
        return template.send("direct:fetch", e -> e.getIn().setHeader(CatalystMailConstants.UIDS, List.of(3L, 4L)));
    }

    /** The exchange's failure; a split's iterator can only throw it unchecked. */
    private static Throwable failure(Exchange exchange) {
        Exception e = exchange.getException();
        return e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
    }

    // fetchTimeout covers LIST, EXAMINE and UID SEARCH too: 3 s leaves a loaded machine the time to reach UID FETCH,
    // where the server stalls, so the error names that command
    @ParameterizedTest(name = "streamed {0}, {1}")
    @CsvSource({ "false, readTimeout=500", "false, fetchTimeout=3000", "true, readTimeout=500",
                 "true, fetchTimeout=3000" })
    void aServerStoppingInsideAMessageIsATimeoutNamingServerCommandAndOption(boolean streamed, String options)
            throws Exception {
        try (ScriptedImapServer server = stoppingInsideUid4(streamed).start()) {
            Exchange fetched = fetch(server.port(), options, streamed);

            MailboxOperationFailedException failed = assertInstanceOf(MailboxOperationFailedException.class,
                    failure(fetched));
            String imap = "IMAP server 127.0.0.1:" + server.port();
            assertEquals("fetch on imap://127.0.0.1:" + server.port() + " (folder 'INBOX') failed: "
                    + (options.startsWith("read") ? imap + " did not answer UID FETCH (inside the answer for UID 4,"
                            + " message 2) within 500 ms (readTimeout)"
                    : imap + " did not complete fetch (at UID FETCH) within 3000 ms (fetchTimeout); the connection was"
                      + " dropped"),
                    failed.getMessage());
            assertFalse(failed.commandSent(), "a fetch changes nothing");
        }
    }

    /**
     * A round the server refuses (NO) is in step: the connection goes back to the pool, as after a whole operation
     * refused, not logged out; the failure names operation, folder and the server's answer.
     */
    @Test
    void aStreamedRoundTheServerRefusesKeepsTheConnectionAndNamesTheOperation() throws Exception {
        try (ScriptedImapServer server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1] logged in")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \".\" \"\"", "{tag} OK listed")
                .expect("EXAMINE \"INBOX\"")
                .send("* 4 EXISTS", "* OK [UIDVALIDITY 7] ok", "{tag} OK [READ-ONLY] examined")
                .expect("UID SEARCH ALL UID 3:4 LARGER [0-9]+").send("* SEARCH", "{tag} OK searched")
                .expect("UID FETCH 3 .*")
                .send("* 1 FETCH (UID 3 RFC822.SIZE 19 BODY[] {19}", MESSAGE + ")", "{tag} OK fetched")
                .expect("UID FETCH 4 .*").send("{tag} NO [UNAVAILABLE] try later")
                .start()) {
            Exchange fetched = fetch(server.port(), "readTimeout=5000", true);

            MailboxOperationException refused = assertInstanceOf(MailboxOperationException.class, failure(fetched));
            assertEquals("fetch (UID FETCH) on imap://127.0.0.1:" + server.port() + " (folder 'INBOX') refused: NO"
                    + " [UNAVAILABLE] try later", refused.getMessage());
            assertInstanceOf(ImapCommandException.class, refused.getCause());
            assertFalse(server.received().contains("LOGOUT"), server.received()::toString);
            context.stop(); // closes the pool, which logs the kept connection out
            server.awaitEnd();
            assertTrue(server.received().contains("LOGOUT"), server.received()::toString);
            assertEquals(List.of(), server.problems());
        }
    }
}
