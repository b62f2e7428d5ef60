package io.catalystmail.camel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A From whose display name is an encoded-word holding a comma (RFC 2047 section 5(3)), consumed over IMAP and
 * copied by the route into the To of a reply sent through the producer: the reply reaches that one mailbox, under
 * the decoded name. Decoded as plain text ({@code Müller, Jörg <m@...>}) the value was no longer one mailbox and
 * the producer refused it ("The To recipients is not a valid address list", before AddressFieldDecoder).
 */
class DecodedFromRepliedToTest extends CamelTestSupport {

    private static final String MUELLER = "mueller@example.test";

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] { ServerSetupTest.IMAP, ServerSetupTest.SMTP }))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("erin", "erin", "s3cret"));

    @Test
    void theReplyReachesTheOneSenderUnderTheDecodedName() throws Exception {
        deliver(greenMail, "erin", Files.readAllBytes(
                Path.of("src/test/resources/messages/differential/ew-in-from-comma-unquoted.eml")));
        MockEndpoint replied = getMockEndpoint("mock:replied");
        replied.expectedMessageCount(1);
        List<String> failures = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).handled(true).process(e -> failures.add(e.getProperty(
                        Exchange.EXCEPTION_CAUGHT, Exception.class).toString()));
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort()
                        + "?username=erin&password=s3cret&initialDelay=0&delay=100")
                        .process(e -> {
                            var message = e.getMessage();
                            message.setHeader(CatalystMailConstants.TO, message.getHeader("From"));
                            message.setHeader(CatalystMailConstants.FROM, "erin@example.test");
                            message.setHeader(CatalystMailConstants.SUBJECT, "Re: " + message.getHeader("Subject"));
                        })
                        .to("catalystmail:smtp:127.0.0.1:" + greenMail.getSmtp().getPort())
                        .to("mock:replied");
            }
        });
        Eventually.await(Duration.ofSeconds(20), () -> replied.getReceivedCounter() > 0 || !failures.isEmpty(),
                () -> "nothing consumed");
        assertEquals(List.of(), failures);
        replied.assertIsSatisfied();
        assertEquals("\"Müller, Jörg\" <" + MUELLER + ">",
                replied.getReceivedExchanges().get(0).getMessage().getHeader(CatalystMailConstants.TO));

        Eventually.await(Duration.ofSeconds(10), () -> greenMail.getUserManager().getUserByEmail(MUELLER) != null,
                () -> "no reply delivered");
        var users = greenMail.getUserManager().listUser().stream().map(u -> u.getEmail()).sorted().toList();
        assertEquals(List.of("erin", MUELLER), users, "one recipient: the sender, nobody called \"Müller\"");
        List<StoredMessage> replies = messages(greenMail, MUELLER, "INBOX");
        assertEquals(1, replies.size());
        MimeMessage reply = replies.get(0).getMimeMessage();
        Address[] to = reply.getRecipients(RecipientType.TO);
        assertEquals(1, to.length, "one mailbox in the written To");
        InternetAddress mailbox = (InternetAddress) to[0];
        assertEquals(MUELLER, mailbox.getAddress());
        assertEquals("Müller, Jörg", mailbox.getPersonal());
        assertEquals("Re: unquoted comma", reply.getSubject());
    }
}
