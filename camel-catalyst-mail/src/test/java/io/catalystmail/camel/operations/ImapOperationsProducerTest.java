package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.imap.MissingFolderException;
import io.catalystmail.camel.mailbox.MessageTooLargeException;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The producer's connection keeping and its checks of bad input, through real sockets. */
class ImapOperationsProducerTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.org", "joe", "secret"))
            .withPerMethodLifecycle(true);

    private static final String LIMITS = "maxMessageSize=10000&maxHeaderLineLength=200&";

    private static String imap(int port, String options) {
        return "catalystmail:imap:127.0.0.1:" + port + "?username=joe&password=secret&allowInsecureAuth=true&"
                + options;
    }

    @Test
    void oneConnectionServesSuccessiveExchangesAndOneTheServerDroppedIsReplaced() throws Exception {
        try (FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort())) {
            String uri = imap(proxy.port(), "operation=status&folder=INBOX");
            for (int i = 0; i < 3; i++) {
                assertNull(template.send(uri, e -> { }).getException());
            }
            assertEquals(1, proxy.connections(), "the login is done once and the connection kept");
            proxy.dropAll(); // the server hangs up while the connection is idle
            Exchange afterDrop = template.send(uri, e -> { });
            assertNull(afterDrop.getException(), () -> String.valueOf(afterDrop.getException()));
            assertEquals(0L, afterDrop.getMessage().getHeader(CatalystMailConstants.MESSAGES));
            assertEquals(2, proxy.connections(), "the dropped connection was replaced");
        }
    }

    @Test
    void endpointsOfTheSameLoginShareTheirConnections() throws Exception {
        try (FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort())) {
            for (String options : java.util.List.of("operation=create&folder=A", "operation=status&folder=A",
                    "operation=search&folder=A", "operation=list", "operation=delete&folder=A")) {
                Exchange result = template.send(imap(proxy.port(), options), e -> { });
                assertNull(result.getException(), () -> options + ": " + result.getException());
            }
            assertEquals(1, proxy.connections(), "five endpoints, one login: a server's per-user limit is not hit");
        }
    }

    /** A port nobody listens on: an exchange that got as far as connecting would fail with a connect error. */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Exception refused(int port, String options, Consumer<Message> setup) {
        Exchange result = template.send(imap(port, options), e -> setup.accept(e.getIn()));
        return assertInstanceOf(IllegalArgumentException.class, result.getException(),
                () -> "expected a refusal before connecting, got " + result.getException());
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSent() throws Exception {
        int port = closedPort();
        assertTrue(refused(port, "folder=INBOX", m -> m.setHeader(CatalystMailConstants.OPERATION, "frobnicate"))
                .getMessage().contains("Unknown IMAP operation 'frobnicate'"));
        assertTrue(refused(port, "operation=store&flags=\\Seen", m -> { }).getMessage()
                .contains("store needs the UIDs"));
        assertTrue(refused(port, "operation=move", m -> m.setHeader(CatalystMailConstants.UIDS, 3))
                .getMessage().contains("needs a destination folder"));
        assertTrue(refused(port, "operation=create", m -> m.setHeader(CatalystMailConstants.OPERATION_FOLDER,
                "Evil\r\nA1 DELETE INBOX")).getMessage().contains("control character"));
        assertTrue(refused(port, "operation=create&folder=Reports*", m -> { }).getMessage().contains("wildcard"));
        assertTrue(refused(port, "operation=store", m -> {
            m.setHeader(CatalystMailConstants.UIDS, "4");
            m.setHeader(CatalystMailConstants.STORE_FLAGS, "\\Seen\r\nA1 LOGOUT");
        }).getMessage().contains("control character"));
        assertTrue(refused(port, "operation=store", m -> {
            m.setHeader(CatalystMailConstants.UIDS, "4");
            m.setHeader(CatalystMailConstants.STORE_FLAGS, java.util.List.of("two words"));
        }).getMessage().contains("not a valid IMAP flag"));
        assertTrue(refused(port, "operation=copy&destination=Archiv", m -> m.setHeader(CatalystMailConstants.UIDS,
                "1:*")).getMessage().contains("not a set of UIDs"));
        assertTrue(refused(port, "operation=fetch", m -> { }).getMessage().contains("fetch needs the UIDs"));
    }

    @Test
    void aTypoInTheOperationOptionFailsWhenTheProducerStarts() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> context.getEndpoint(
                imap(GREEN_MAIL.getImap().getPort(), "operation=apend")).createProducer().start());
        String messages = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages += t.getMessage() + " | ";
        }
        assertTrue(messages.contains("Unknown IMAP operation 'apend'"), messages);
    }

    /**
     * Failures the producer decides from answers it read whole leave the pooled connection in step: the next exchange
     * is served over it, without a second connection and LOGIN (counted at the proxy). They used to be plain
     * IOExceptions, and the pool closed the connection after each.
     */
    @Test
    void aMissingSpecialUseFolderKeepsTheConnection() throws Exception {
        failsThenStatusOverTheSameConnection("operation=status&folder=\\Junk", e -> { }, MissingFolderException.class);
    }

    @Test
    void aSingleUidAboveMaxMessageSizeKeepsTheConnection() throws Exception {
        long large = GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("large", "y".repeat(30_000)));
        failsThenStatusOverTheSameConnection("operation=fetch",
                e -> e.getIn().setHeader(CatalystMailConstants.UIDS, large), MessageTooLargeException.class);
    }

    @Test
    void aMessageThatCannotBeMappedKeepsTheConnection() throws Exception {
        String raw = "From: a@example.test\r\nSubject: long\r\nX-Long: " + "z".repeat(500) + "\r\n\r\nbody\r\n";
        long broken = GreenMailboxes.deliver(GREEN_MAIL, "joe", raw.getBytes(StandardCharsets.US_ASCII));
        failsThenStatusOverTheSameConnection("operation=fetch",
                e -> e.getIn().setHeader(CatalystMailConstants.UIDS, broken), UnmappableMessagesException.class);
    }

    private void failsThenStatusOverTheSameConnection(String options, Consumer<Exchange> input,
            Class<? extends Exception> expected) throws Exception {
        try (FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort())) {
            Exchange failed = template.send(imap(proxy.port(), LIMITS + options), input::accept);
            assertInstanceOf(expected, failed.getException());

            Exchange next = template.send(imap(proxy.port(), "operation=status"), e -> { });
            assertNull(next.getException(), () -> String.valueOf(next.getException()));
            assertEquals(1, proxy.connections(), "the second exchange logged in again: " + failed.getException());
        }
    }
}
