package io.catalystmail.camel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idempotency key holds the folder as configured, not as the server names it (receiving.adoc, "The key names the
 * mailbox as configured"): two spellings of one GreenMail folder (delimiter '.') give two keys for one message. Pinned
 * because keys are persisted: deriving them from the resolved name would re-route, after an upgrade, everything a
 * repository already knows.
 */
class IdempotencyKeySpellingTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("kim", "kim", "s3cret"));

    @Test
    void twoSpellingsOfOneFolderGiveTwoKeysForOneMessage() throws Exception {
        long uid = deliver(greenMail, "kim", "Archiv.2026", textMessage("filed", "body"));
        Map<String, String> keys = new ConcurrentHashMap<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String folder : new String[] { "Archiv/2026", "Archiv.2026" }) {
                    from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=kim&password=s3cret"
                         + "&folder=" + folder + "&markSeen=false&unseen=false&initialDelay=0&delay=60000")
                            .process(e -> keys.put(folder,
                                    e.getMessage().getHeader(CatalystMailConstants.MESSAGE_KEY, String.class)));
                }
            }
        });
        Eventually.await(() -> keys.size() == 2, () -> "keys so far: " + keys);

        String prefix = "imap://kim@127.0.0.1:" + greenMail.getImap().getPort() + "/";
        String slash = keys.get("Archiv/2026");
        String dot = keys.get("Archiv.2026");
        assertTrue(slash.startsWith(prefix + "Archiv/2026;UIDVALIDITY="), slash);
        assertTrue(dot.startsWith(prefix + "Archiv.2026;UIDVALIDITY="), dot);
        assertEquals(slash.substring(slash.indexOf(";UIDVALIDITY=")), dot.substring(dot.indexOf(";UIDVALIDITY=")),
                "one message: the same UIDVALIDITY and UID");
        assertTrue(slash.endsWith("/;UID=" + uid), slash);
    }
}
