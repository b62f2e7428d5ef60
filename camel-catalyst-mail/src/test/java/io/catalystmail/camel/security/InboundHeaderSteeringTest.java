package io.catalystmail.camel.security;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import jakarta.mail.Flags;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A received message cannot steer the route: header fields named like Camel's own headers or the component's
 * never become exchange headers, over IMAP and POP3, and the message is neither deleted nor moved because of
 * them.
 */
class InboundHeaderSteeringTest extends CamelTestSupport {

    private static final byte[] STEERING = ("From: attacker@example.net\r\n"
            + "To: alice@example.com\r\n"
            + "Subject: steer the route\r\n"
            + "Message-ID: <steer@example.net>\r\n"
            + "CamelCatalystMailDelete: true\r\n"
            + "CamelCatalystMailMoveTo: Trash\r\n"
            + "CamelCatalystMailCopyTo: Trash\r\n"
            + "CamelCatalystMailMarkSeen: false\r\n"
            + "CamelFileName: ../../etc/passwd\r\n"
            + "camelhttpuri: x\r\n"
            + "X-Harmless: kept\r\n"
            + "\r\n"
            + "nothing to see\r\n").getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
            new ServerSetup[] { ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.POP3.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice@example.com", "alice", "s3cret"));

    private void consume(String uri) throws Exception {
        consume(uri, 1);
    }

    /** Delivers the steering message, routes {@code messages} (any delivered before included), checks the first. */
    private void consume(String uri, int messages) throws Exception {
        GreenMailboxes.deliver(GREEN_MAIL, "alice", STEERING);
        MockEndpoint mock = getMockEndpoint("mock:steered");
        mock.expectedMessageCount(messages);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri + "&username=alice&password=s3cret&initialDelay=0&delay=100").routeId("steered").to("mock:steered");
            }
        });
        mock.assertIsSatisfied();
        context.getRouteController().stopRoute("steered");

        Message in = mock.getReceivedExchanges().get(0).getIn();
        assertEquals("kept", in.getHeader("X-Harmless"), "ordinary header fields do arrive");
        assertEquals("steer the route", in.getHeader("Subject"));
        for (String name : List.of(CatalystMailConstants.DELETE, CatalystMailConstants.MOVE_TO, CatalystMailConstants.COPY_TO,
                CatalystMailConstants.MARK_SEEN, Exchange.FILE_NAME, "camelhttpuri", Exchange.HTTP_URI)) {
            assertNull(in.getHeader(name), name + " came from the message");
        }
        for (String name : in.getHeaders().keySet()) {
            assertTrue(!name.toLowerCase().startsWith("camel") || name.startsWith(CatalystMailConstants.PREFIX),
                    "a Camel header from the message: " + name);
        }
    }

    @Test
    void imapMessageCannotDeleteOrMoveItself() throws Exception {
        consume("catalystmail:imap:127.0.0.1:" + GREEN_MAIL.getImap().getPort() + "?folder=INBOX");

        List<StoredMessage> inbox = GreenMailboxes.messages(GREEN_MAIL, "alice", "INBOX");
        assertEquals(1, inbox.size(), "still in INBOX");
        assertFalse(inbox.get(0).isSet(Flags.Flag.DELETED));
        assertTrue(inbox.get(0).isSet(Flags.Flag.SEEN), "the configured action (markSeen) was applied, not the message's");
        assertEquals(0, GreenMailboxes.messages(GREEN_MAIL, "alice", "Trash").size(), "nothing moved or copied to Trash");
    }

    /** No silent surprise: a route that expected such a header learns from the log why it is missing, once. */
    @Test
    void theFirstDroppedFieldIsNamedInTheLogOncePerConsumer() throws Exception {
        GreenMailboxes.deliver(GREEN_MAIL, "alice", STEERING);
        try (CapturedLog log = new CapturedLog()) {
            consume("catalystmail:imap:127.0.0.1:" + GREEN_MAIL.getImap().getPort() + "?folder=INBOX", 2);

            String note = "A received message's header field 'CamelCatalystMailDelete' was not set as an exchange"
                          + " header";
            assertEquals(1, log.text().split(Pattern.quote(note), -1).length - 1,
                    "named once for two messages: " + log.text());
            assertFalse(log.text().contains("CamelFileName"), "only the first dropped field is named");
        }
    }

    @Test
    void pop3MessageCannotDeleteItself() throws Exception {
        consume("catalystmail:pop3:127.0.0.1:" + GREEN_MAIL.getPop3().getPort() + "?delete=false");

        assertEquals(1, GreenMailboxes.messages(GREEN_MAIL, "alice", "INBOX").size(), "still in the maildrop");
    }
}
