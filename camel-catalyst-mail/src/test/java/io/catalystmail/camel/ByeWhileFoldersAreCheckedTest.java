package io.catalystmail.camel;

import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A server that ends the session (BYE, RFC 3501 §7.1.5) while the consumer looks up its moveTo folder has not
 * refused the folder: the connection is gone, as after a cut, and the log says so. Taking it for a refusal would
 * say "the server refuses the folder" and then keep quiet about every later such failure.
 */
class ByeWhileFoldersAreCheckedTest {

    @Test
    void aByeDuringTheLookupOfTheMoveToFolderIsALostConnectionNotARefusedFolder() throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        try (ScriptedImapServer server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1] logged in")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK listed")
                .expect("SELECT \"INBOX\"")
                .send("* 0 EXISTS", "* OK [UIDVALIDITY 7] ok", "{tag} OK [READ-WRITE] selected")
                .expect("LIST \"\" \"?Archive\"?").send("* BYE shutting down for maintenance").cut()
                .start();
             CapturedLog log = new CapturedLog()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + server.port() + "?username=sam&password=secret"
                         + "&moveTo=Archive&connectTimeout=2000&readTimeout=2000&initialDelay=60000")
                            .log("${header.Subject}");
                }
            });
            context.start();

            Eventually.await(() -> log.text().contains("shutting down for maintenance"),
                    () -> "the BYE is not told:\n" + log.text());
            assertFalse(log.text().contains("refuses the folder"), "a BYE is no refusal of the folder:\n" + log.text());
        } finally {
            context.stop();
        }
    }
}
