package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The route users ask for: send with the SMTP producer, then file the same exchange in Sent with the IMAP producer;
 * both copies are checked with STATUS and FETCH through the producer itself.
 */
class SendThenFileInSentTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
            new com.icegreen.greenmail.util.ServerSetup[] { ServerSetupTest.SMTP.dynamicPort(),
                ServerSetupTest.IMAP.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.org", "joe", "secret"))
            .withPerMethodLifecycle(true);

    private static String imap(String options) {
        return "catalystmail:imap:127.0.0.1:" + GREEN_MAIL.getImap().getPort()
                + "?username=joe&password=secret&allowInsecureAuth=true&" + options;
    }

    @Test
    void theSentMailAndItsCopyInSentHaveTheSameMessageId() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send")
                        .to("catalystmail:smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort()
                                + "?from=joe@example.org&to=joe@example.org&subject=Minutes of the meeting")
                        .to(imap("operation=append&folder=Sent&flags=\\Seen&from=joe@example.org&to=joe@example.org"
                                + "&subject=Minutes of the meeting"));
            }
        });
        template.send(imap("operation=create&folder=Sent"), e -> { });
        Exchange sent = template.send("direct:send", e -> e.getIn().setBody("Decisions: none."));
        assertNull(sent.getException(), () -> String.valueOf(sent.getException()));
        String messageId = sent.getMessage().getHeader(CatalystMailConstants.MESSAGE_ID, String.class);
        assertNotNull(messageId);
        assertNotNull(sent.getMessage().getHeader(CatalystMailConstants.UID), "APPENDUID of the copy in Sent");
        assertTrue(GREEN_MAIL.waitForIncomingEmail(10_000, 1));

        for (String folder : List.of("INBOX", "Sent")) {
            Message status = template.send(imap("operation=status&folder=" + folder), e -> { }).getMessage();
            assertEquals(1L, status.getHeader(CatalystMailConstants.MESSAGES), folder);
            Exchange fetched = template.send(imap("operation=fetch&folder=" + folder
                    + "&search=SUBJECT \"Minutes\""), e -> { });
            assertNull(fetched.getException());
            @SuppressWarnings("unchecked")
            List<Message> messages = fetched.getMessage().getBody(List.class);
            assertEquals(1, messages.size(), folder);
            assertEquals(messageId, messages.get(0).getHeader("Message-ID"), folder);
            assertTrue(messages.get(0).getBody(String.class).contains("Decisions: none."), folder);
        }
        assertEquals(0L, template.send(imap("operation=status&folder=Sent"), e -> { }).getMessage()
                .getHeader(CatalystMailConstants.UNSEEN), "appended with \\Seen");
    }

    @Test
    void aConsumerOfSeveralFoldersIsRefusedWithTheReason() {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(imap("folder=INBOX,Support")).to("mock:never");
            }
        }));
        String messages = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages += t.getMessage() + " | ";
        }
        assertTrue(messages.contains("a consumer reads one folder; use one from() per folder"), messages);
    }
}
