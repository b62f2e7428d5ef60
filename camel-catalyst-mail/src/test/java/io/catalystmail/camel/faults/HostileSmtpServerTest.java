package io.catalystmail.camel.faults;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.smtp.SmtpException;
import io.catalystmail.camel.smtp.SmtpUncertainDeliveryException;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.HostileBytes;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SMTP rows of the hostile-server suite: a {@link FaultProxy} in front of GreenMail replaces one reply, once.
 * A send the server did not accept is never reported as sent, the error names server, command and limit, and the
 * next send goes through on a fresh connection.
 */
class HostileSmtpServerTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static Exchange send(ProducerTemplate template, String uri, String subject) {
        return template.send(uri + "&from=sender@example.org&to=rcpt@example.org&subject=" + subject,
                e -> e.getMessage().setBody("body of " + subject));
    }

    @Test
    void acceptanceBeforeTheDataWasSentIsNoAcceptance() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getSmtp().getPort());
             DefaultCamelContext context = new DefaultCamelContext()) {
            // 354 and a 250 in one write, before a byte of content: the 250 cannot be about this message
            proxy.answer("DATA", line -> new ByteArrayInputStream("354 go ahead\r\n250 2.0.0 queued\r\n"
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            context.start();
            String uri = "catalystmail:smtp:127.0.0.1:" + proxy.port() + "?readTimeout=2000";
            ProducerTemplate template = context.createProducerTemplate();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                Exchange failed = send(template, uri, "early");
                assertInstanceOf(SmtpException.class, failed.getException());
                assertFalse(failed.getException() instanceof SmtpUncertainDeliveryException);
                String error = failed.getException().getMessage();
                assertTrue(error.contains("127.0.0.1:" + proxy.port()) && error.contains("not sent")
                           && error.contains("before the end of the message data"), error);
                assertFalse(proxy.clientText().contains("\r\n.\r\n"), "the final dot never followed");

                Exchange next = send(template, uri, "next");
                assertNull(next.getException());
            });
            assertTrue(greenMail.waitForIncomingEmail(5000, 1));
            assertEquals(1, greenMail.getReceivedMessages().length, "only the second message arrived");
            assertEquals("next", greenMail.getReceivedMessages()[0].getSubject());
        }
    }

    @Test
    void replyDrippingOneByteASecondHitsSendTimeout() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getSmtp().getPort());
             DefaultCamelContext context = new DefaultCamelContext()) {
            proxy.answer("MAIL FROM", line -> HostileBytes.repeat("250", "-", HostileBytes.ENDLESS, ""), 1);
            context.start();
            String uri = "catalystmail:smtp:127.0.0.1:" + proxy.port() + "?readTimeout=2000&sendTimeout=3000";
            ProducerTemplate template = context.createProducerTemplate();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                Exchange failed = send(template, uri, "drip");
                assertInstanceOf(SmtpException.class, failed.getException());
                String error = failed.getException().getMessage();
                assertTrue(error.contains("127.0.0.1:" + proxy.port()) && error.contains("(sendTimeout)")
                           && error.contains("not sent"), error);
                assertNull(send(template, uri, "after").getException());
            });
            assertTrue(greenMail.waitForIncomingEmail(5000, 1));
            assertEquals("after", greenMail.getReceivedMessages()[0].getSubject());
        }
    }
}
