package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failures the producer decides from answers it read whole leave the pooled connection in step: the next exchange
 * is served over it, without a second connection and LOGIN (counted at a proxy in front of GreenMail). They used to
 * be plain IOExceptions, and the pool closed the connection after each.
 */
class InStepFailuresKeepTheConnectionTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.org", "joe", "secret"))
            .withPerMethodLifecycle(true);

    private static String imap(int port, String options) {
        return "catalystmail:imap:127.0.0.1:" + port + "?username=joe&password=secret&allowInsecureAuth=true&"
               + "maxMessageSize=10000&maxHeaderLineLength=200&" + options;
    }

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
            Exchange failed = template.send(imap(proxy.port(), options), input::accept);
            assertInstanceOf(expected, failed.getException());

            Exchange next = template.send(imap(proxy.port(), "operation=status"), e -> { });
            assertNull(next.getException(), () -> String.valueOf(next.getException()));
            assertEquals(1, proxy.connections(), "the second exchange logged in again: " + failed.getException());
        }
    }
}
