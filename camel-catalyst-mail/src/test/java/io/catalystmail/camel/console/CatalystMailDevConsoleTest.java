package io.catalystmail.camel.console;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.console.DevConsole;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The catalystmail dev console, found the way Camel finds consoles, after one poll and one send. */
class CatalystMailDevConsoleTest extends CamelTestSupport {

    private static final String PASSWORD = "Console-s3cret-77";

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(new com.icegreen.greenmail.util.ServerSetup[] {
            ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("carol@example.test", "carol", PASSWORD));

    @Test
    @SuppressWarnings("unchecked")
    void showsConnectionLastPollUidValidityCapabilitiesAndPoolsButNoSecret() throws Exception {
        deliver(greenMail, "carol", textMessage("for the console", "hello"));
        int imap = greenMail.getImap().getPort();
        int smtp = greenMail.getSmtp().getPort();
        MockEndpoint received = getMockEndpoint("mock:received");
        received.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + imap + "?username=carol&password=" + PASSWORD
                     + "&initialDelay=0&delay=60000").to("mock:received");
                from("direct:send").to("catalystmail:smtp:127.0.0.1:" + smtp + "?username=carol&password=" + PASSWORD
                                       + "&from=carol@example.test&to=carol@example.test");
            }
        });
        received.assertIsSatisfied();
        template.sendBody("direct:send", "sent while watched");

        DevConsole console = PluginHelper.getDevConsoleResolver(context).resolveDevConsole("catalystmail");
        // the poll's summary is written when the poll ends, just after the route got the message
        Eventually.await(() -> ((String) console.call(DevConsole.MediaType.TEXT)).contains("lastPoll: Polled"),
                () -> "no poll summary");
        String text = (String) console.call(DevConsole.MediaType.TEXT);
        Map<String, Object> json = (Map<String, Object>) console.call(DevConsole.MediaType.JSON);

        assertTrue(text.contains("imap://127.0.0.1:" + imap + "\n"), text);
        assertTrue(text.contains("connection: connected"), text);
        assertTrue(text.contains("capabilities: IMAP4REV1"), text);
        assertTrue(text.contains("capabilities: AUTH LOGIN PLAIN"), text);
        assertTrue(text.contains("lastPoll: Polled imap://127.0.0.1:" + imap + "/INBOX: 1 listed, 1 routed"), text);
        assertTrue(text.contains("smtp://127.0.0.1:" + smtp), text);
        assertTrue(text.contains("messagesSent: 1"), text);
        assertTrue(text.contains("idleSessions: 1"), text);
        assertFalse(text.contains(PASSWORD) || text.contains("carol"), text);

        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) json.get("endpoints");
        Map<String, Object> consumer = endpoints.stream().filter(e -> e.containsKey("uidValidity")).findFirst().orElseThrow();
        assertTrue(((Number) consumer.get("uidValidity")).longValue() > 0, consumer.toString());
        assertEquals(1L, ((Number) consumer.get("messagesRouted")).longValue());
        assertFalse(json.toString().contains(PASSWORD) || json.toString().contains("carol"), json.toString());
    }
}
