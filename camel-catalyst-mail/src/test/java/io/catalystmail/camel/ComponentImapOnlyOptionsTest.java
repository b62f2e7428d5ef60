package io.catalystmail.camel;

import java.util.List;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Component-wide IMAP-only options (idle, moveTo, copyTo, moveFailedTo, folder, idempotentRemoveOnCommit) are meant
 * for the IMAP routes: a POP3 endpoint that does not name them itself reads INBOX on its schedule and says once what it did not take. Before, a
 * POP3 route under {@code camel.component.catalystmail.idle=true} stopped the application's start.
 */
class ComponentImapOnlyOptionsTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.POP3.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("bob", "bob", "s3cret"));

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        CatalystMailConfiguration shared = new CatalystMailConfiguration();
        shared.setIdle(true);
        shared.setMoveTo("Archive");
        shared.setCopyTo("Copies");
        shared.setMoveFailedTo("Failed");
        shared.setFolder("Work");
        // several IMAP nodes sharing a repository; a POP3 route remembers its UIDLs (RFC 1939 §7 lets copies share one)
        shared.setIdempotentEager(true);
        shared.setIdempotentRemoveOnCommit(true);
        CatalystMailComponent component = new CatalystMailComponent();
        component.setConfiguration(shared);
        camel.addComponent("catalystmail", component);
        return camel;
    }

    private String pop3(String options) {
        return "catalystmail:pop3:127.0.0.1:" + greenMail.getPop3().getPort() + "?username=bob&password=s3cret"
               + "&initialDelay=0&delay=100&delete=true" + options;
    }

    @Test
    void aPop3RouteReadsItsInboxOnScheduleUnderTheComponentsImapOnlyOptions() throws Exception {
        deliver(greenMail, "bob", textMessage("hello", "body"));
        MockEndpoint mock = getMockEndpoint("mock:pop3");
        mock.expectedMessageCount(1);
        try (CapturedLog log = new CapturedLog()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(pop3("")).routeId("pop3").to("mock:pop3");
                }
            });
            mock.setResultWaitTime(20_000);
            mock.assertIsSatisfied();
            Eventually.await(() -> messages(greenMail, "bob", "INBOX").isEmpty(),
                    () -> messages(greenMail, "bob", "INBOX").size() + " left in INBOX");
            String text = log.text();
            assertEquals(1, text.split("does not take the component's IMAP-only options", -1).length - 1, text);
            assertTrue(text.contains("[idle, moveTo, copyTo, moveFailedTo, folder, idempotentRemoveOnCommit]"), text);
            // true of a POP3 operations producer too, which never polls
            assertTrue(text.contains("a POP3 consumer polls on its schedule"), text);
        }
    }

    @Test
    void thePop3EndpointsOwnImapOnlyOptionIsStillRefused() {
        for (String own : List.of("&idle=true", "&moveTo=Archive")) {
            Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(pop3(own)).routeId("own" + own.hashCode()).to("mock:own");
                }
            }), own);
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            assertTrue(cause instanceof IllegalArgumentException, own + ": " + cause);
        }
    }
}
