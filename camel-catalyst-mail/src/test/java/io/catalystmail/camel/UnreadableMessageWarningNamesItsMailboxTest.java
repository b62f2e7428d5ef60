package io.catalystmail.camel;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The WARN for a message that cannot be made into an exchange names the mailbox and the UID, as the WARN for a
 * message that failed in the route does ("imap://host:port/INBOX: message UID n failed in the route"). An outside
 * trial on Dovecot (a message of 10,050 header fields, maxHeaderCount 10000) logged only "Message 1217 could not be
 * read (...); it is moved to Failed. Exchange[]": no server, no folder, and a number that does not say it is a UID,
 * so with several consumers in one application the line cannot be traced to a mailbox.
 */
class UnreadableMessageWarningNamesItsMailboxTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] { ServerSetupTest.IMAP }))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("erin", "erin", "s3cret"));

    @Test
    void theWarningNamesServerFolderAndUid() throws Exception {
        long uid = deliver(greenMail, "erin", ("From: a@example.test\r\nTo: erin@example.test\r\nSubject: many fields\r\n"
                + "X-One: 1\r\nX-Two: 2\r\nX-Three: 3\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
        int port = greenMail.getImap().getPort();
        try (CapturedLog log = new CapturedLog()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + port + "?username=erin&password=s3cret&maxHeaderCount=3"
                         + "&initialDelay=0&delay=200")
                            .to("mock:routed");
                }
            });
            Eventually.await(() -> warning(log) != null, log::text);
            String warning = warning(log);
            assertTrue(warning.contains("imap://127.0.0.1:" + port + "/INBOX"), warning);
            assertTrue(warning.contains("UID " + uid), warning);
        }
    }

    private static String warning(CapturedLog log) {
        List<String> lines = log.text().lines().filter(l -> l.startsWith("WARN|") && l.contains("could not be read"))
                .toList();
        return lines.isEmpty() ? null : lines.get(0);
    }
}
