package io.catalystmail.camel.interop;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.catalystmail.camel.interop.InteropServers.HOST;
import static io.catalystmail.camel.interop.InteropServers.PASSWORD;
import static io.catalystmail.camel.interop.InteropServers.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A From whose display name is an encoded-word holding a comma (RFC 2047 section 5(3)), stored in Dovecot, consumed
 * and copied by the route into the To of a reply sent through Postfix: Postfix delivers to that one mailbox and
 * the reply names it with the decoded display name. On James the reply is checked the same way, its delivery log
 * is not (James has none per recipient).
 */
class DecodedFromRepliedToInteropIT extends InteropTestSupport {

    private static final String USER = "bob";
    private static final String SENDER = "alice";
    private static final Pattern POSTFIX_RECEIVED = Pattern.compile("\\(Postfix\\)\\s+with \\S+ id (\\w+)");

    @BeforeEach
    void emptyMailboxes() {
        Mailboxes.empty(USER);
        Mailboxes.empty(SENDER);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "imaps, CATALYST_IMAPS_PORT", "pop3s, CATALYST_POP3S_PORT" })
    void theReplyReachesTheOneSenderUnderTheDecodedName(String scheme, String portVariable) throws Exception {
        String token = "ew-from-" + UUID.randomUUID();
        byte[] original = ("From: =?UTF-8?Q?M=C3=BCller=2C_J=C3=B6rg?= <" + address(SENDER) + ">\r\nTo: "
                           + address(USER) + "\r\nSubject: " + token + "\r\nMessage-ID: <" + token
                           + "@interop.example.test>\r\nDate: Tue, 1 Dec 2026 21:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                           + "Content-Type: text/plain; charset=utf-8\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        Mailboxes.append(USER, "INBOX", List.of(new MimeMessage(Mailboxes.session(), new ByteArrayInputStream(original))));

        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(1);
        mock.setResultWaitTime(30_000);
        String smtp = "catalystmail:smtp:" + HOST + ":" + InteropServers.SMTP + "?startTls=REQUIRED&sslContextParameters=#"
                      + InteropServers.TLS_BEAN + "&from=" + address(USER);
        String consumer = "catalystmail:" + scheme + ":" + HOST + ":" + System.getenv(portVariable) + "?username="
                          + USER + "&password=RAW(" + PASSWORD + ")&sslContextParameters=#" + InteropServers.TLS_BEAN
                          + "&delete=true&initialDelay=0&delay=200";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumer).process(e -> {
                    var message = e.getMessage();
                    message.setHeader(CatalystMailConstants.TO, message.getHeader("From"));
                    message.setHeader(CatalystMailConstants.SUBJECT, "Re: " + message.getHeader("Subject"));
                }).to(smtp).to("mock:result");
            }
        });
        mock.assertIsSatisfied();
        assertEquals("\"Müller, Jörg\" <" + address(SENDER) + ">",
                mock.getReceivedExchanges().get(0).getMessage().getHeader(CatalystMailConstants.TO));

        Eventually.await(Duration.ofSeconds(30), () -> !Mailboxes.stored(SENDER, "INBOX").isEmpty(), () -> "no reply");
        List<Mailboxes.Stored> replies = Mailboxes.stored(SENDER, "INBOX");
        assertEquals(1, replies.size());
        assertEquals("Re: " + token, replies.get(0).subject());
        MimeMessage reply = new MimeMessage(Mailboxes.session(), new ByteArrayInputStream(replies.get(0).bytes()));
        Address[] to = reply.getRecipients(RecipientType.TO);
        assertEquals(1, to.length, "one mailbox in the written To");
        assertEquals(address(SENDER), ((InternetAddress) to[0]).getAddress());
        assertEquals("Müller, Jörg", ((InternetAddress) to[0]).getPersonal());
        if (InteropServers.james()) {
            return; // Difference: James writes no Postfix queue id and logs no delivery per recipient
        }
        Matcher received = POSTFIX_RECEIVED.matcher(new String(replies.get(0).bytes(), StandardCharsets.UTF_8));
        assertTrue(received.find(), "Postfix's Received line");
        String queueId = received.group(1);
        Eventually.await(() -> !InteropServers.postfixLog(queueId + ": to=<").isEmpty(), () -> "log of " + queueId);
        List<String> deliveries = InteropServers.postfixLog(queueId + ": to=<");
        assertEquals(1, deliveries.size(), "Postfix delivered to one recipient: " + deliveries);
        assertTrue(deliveries.get(0).contains("to=<" + address(SENDER) + ">"), deliveries.get(0));
    }
}
