package io.catalystmail.camel.pop3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.auth.AccountTag;
import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.net.TlsFailureException;
import io.catalystmail.camel.testsupport.GreenMailCertificates;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end against GreenMail's POP3 and POP3S servers. */
class Pop3GreenMailTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Credentials ANNA = new Credentials("anna", "s3cret", null, null);

    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(
            new com.icegreen.greenmail.util.ServerSetup[] { ServerSetupTest.POP3.dynamicPort(),
                    ServerSetupTest.POP3S.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("anna@example.org", "anna", "s3cret"));

    private static byte[] message(String subject, String from, String body, String transferEncoding) {
        return ("From: " + from + "\r\nTo: anna@example.org\r\nSubject: " + subject
                + "\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\nMessage-ID: <" + subject.hashCode() + "@example.org>"
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: "
                + transferEncoding + "\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void deliver(byte[] raw) throws Exception {
        GreenMailUser anna = GREENMAIL.getUserManager().getUser("anna");
        anna.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
    }

    private static Pop3MailboxSession plainSession(Credentials credentials) {
        return new Pop3MailboxSession(ConnectionSettings.plain("127.0.0.1", GREENMAIL.getPop3().getPort(), TIMEOUT),
                credentials);
    }

    private static Map<String, byte[]> fetch(Pop3MailboxSession session, List<MessageRef> refs) throws IOException {
        Map<String, byte[]> got = new LinkedHashMap<>();
        assertEquals(Map.of(), session.fetch(refs, m -> got.put(m.ref().id(), m.content().readAllBytes())));
        return got;
    }

    @Test
    void listFetchByteExactAndDeleteAtQuit() throws Exception {
        byte[] first = message("first", "alice@example.org", "Hello.\r\n.leading dot\r\n..two dots", "7bit");
        byte[] eightBit = message("8-bit", "bob@example.org", "Grüße, naïve café – ½ € ✓", "8bit");
        byte[] third = message("third", "carol@example.org", "three", "7bit");
        for (byte[] m : List.of(first, eightBit, third)) {
            deliver(m);
        }
        List<MessageRef> refs;
        try (Pop3MailboxSession session = plainSession(ANNA)) {
            session.open();
            refs = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
            assertEquals(3, refs.size());
            assertEquals(List.of(1, 2, 3), refs.stream().map(MessageRef::number).toList());
            assertTrue(refs.stream().allMatch(r -> r.identity().startsWith("pop://anna@127.0.0.1:"
                    + GREENMAIL.getPop3().getPort() + "/;UIDL=")));
            Map<String, byte[]> got = fetch(session, refs);
            assertArrayEquals(first, got.get(refs.get(0).id()));
            assertArrayEquals(eightBit, got.get(refs.get(1).id()));
            assertArrayEquals(third, got.get(refs.get(2).id()));
            session.apply(Map.of(refs.get(0), new AfterProcessing(false, true, null, null),
                    refs.get(1), new AfterProcessing(false, true, null, null)));
            assertEquals(3, GREENMAIL.getReceivedMessages().length, "nothing is removed before QUIT");
            session.close();
            assertTrue(session.quitSucceeded());
        }
        try (Pop3MailboxSession session = plainSession(ANNA)) {
            session.open();
            List<MessageRef> left = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
            assertEquals(List.of(refs.get(2).id()), left.stream().map(MessageRef::id).toList());
            assertArrayEquals(third, fetch(session, left).get(refs.get(2).id()));
        }
    }

    @Test
    void headerFilterThroughTop() throws Exception {
        deliver(message("Invoice 42", "billing@shop.example", "pay", "7bit"));
        deliver(message("=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= from home", "mum@family.example", "hi", "7bit"));
        deliver(message("Invoice 43", "billing@shop.example", "pay more", "7bit"));
        try (Pop3MailboxSession session = plainSession(ANNA)) {
            session.open();
            List<MessageRef> all = session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0);
            List<MessageRef> invoices = session.list(SearchFilter.parse("FROM billing SUBJECT invoice"), true,
                    MessageOrder.UID_DESCENDING, 0);
            assertEquals(List.of(all.get(2).id(), all.get(0).id()), invoices.stream().map(MessageRef::id).toList());
            List<MessageRef> greetings = session.list(SearchFilter.fromOptions(null, null, "anna", "grüße", null,
                    null, null), true, MessageOrder.UID_ASCENDING, 0);
            assertEquals(List.of(all.get(1).id()), greetings.stream().map(MessageRef::id).toList());
            assertEquals(1, session.list(SearchFilter.parse("NOT FROM billing"), true, MessageOrder.UID_ASCENDING, 0)
                    .size());
        }
    }

    @Test
    void wrongPasswordIsRefused() {
        Pop3MailboxSession session = plainSession(new Credentials("anna", "wrong", null, null));
        AuthenticationException e = assertThrows(AuthenticationException.class, session::open);
        assertTrue(e.getMessage().contains("refused AUTH PLAIN for account " + AccountTag.of("anna")), e.getMessage());
        assertFalse(e.getMessage().contains("wrong"));
        session.close();
        assertFalse(session.quitSucceeded());
    }

    private static ConnectionSettings pop3s(boolean verifyHostname) throws Exception {
        return new ConnectionSettings("localhost", GREENMAIL.getPop3s().getPort(), true, StartTlsMode.DISABLED,
                GreenMailCertificates.trustingClientContext(), verifyHostname, TIMEOUT, TIMEOUT, false);
    }

    @Test
    void pop3sRefusesACertificateNotNamingTheHostThenWorksWithoutHostnameCheck() throws Exception {
        byte[] raw = message("over TLS", "tls@example.org", "secret stuff ✓", "8bit");
        deliver(raw);
        // GreenMail's certificate is issued to "GreenMail selfsigned Test Certificate", not to localhost
        Pop3MailboxSession verifying = new Pop3MailboxSession(pop3s(true), ANNA);
        TlsFailureException e = assertThrows(TlsFailureException.class, verifying::open);
        assertTrue(e.getMessage().contains("does not name this host"), e.getMessage());
        verifying.close();

        // an untrusted certificate is refused as well, even without the host name check
        Pop3MailboxSession untrusting = new Pop3MailboxSession(new ConnectionSettings("localhost",
                GREENMAIL.getPop3s().getPort(), true, StartTlsMode.DISABLED, null, false, TIMEOUT, TIMEOUT, false), ANNA);
        TlsFailureException untrusted = assertThrows(TlsFailureException.class, untrusting::open);
        assertTrue(untrusted.getMessage().contains("not trusted"), untrusted.getMessage());
        untrusting.close();

        try (Pop3MailboxSession session = new Pop3MailboxSession(pop3s(false), ANNA)) {
            session.open();
            List<MessageRef> refs = session.list(SearchFilter.parse("SUBJECT tls"), true, MessageOrder.UID_ASCENDING, 0);
            assertEquals(1, refs.size());
            assertArrayEquals(raw, fetch(session, refs).get(refs.get(0).id()));
        }
    }
}
