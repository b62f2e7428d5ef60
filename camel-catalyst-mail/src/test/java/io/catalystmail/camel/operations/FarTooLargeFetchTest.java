package io.catalystmail.camel.operations;

import static io.catalystmail.camel.testsupport.FaultProxy.tagOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import io.catalystmail.camel.testsupport.HostileBytes;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fetch operation meets a BODY[] literal announced far above maxMessageSize (more than 1 MiB over it) for a
 * message its SEARCH LARGER did not name: it drops the connection at the announcement, and the exchange fails naming
 * server, folder, UID, size and limit, instead of reading gigabytes until fetchTimeout; the next exchange logs in
 * again and works. A literal within 1 MiB above the limit is still read past, and its UID named as oversized.
 */
class FarTooLargeFetchTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.org", "joe", "secret"))
            .withPerMethodLifecycle(true);

    /** Without the drop, the fetch reads the endless literal until this deadline and fails with a timeout. */
    private static final String OPTIONS = "operation=fetch&folder=INBOX&maxMessageSize=100000&fetchTimeout=20000";

    private final AtomicLong served = new AtomicLong();

    private static String imap(int port, String options) {
        return "catalystmail:imap:127.0.0.1:" + port + "?username=joe&password=secret&allowInsecureAuth=true&"
                + options;
    }

    /** Three small messages, UIDs 1 to 3; the script makes the second one a 5 GB literal. */
    private static void deliverThree() {
        for (int i = 1; i <= 3; i++) {
            GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("message " + i, "body " + i));
        }
    }

    /**
     * The first whole-message fetch of the first connection is answered by the script: UID 2 announced as
     * {@code {5000000000}} and sent as fast as the client reads, without end; what it served is counted.
     */
    private FaultProxy fiveGigabytesForUid2() throws IOException {
        FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort());
        proxy.answer("BODY.PEEK[]", this::fiveGigabytes, 0);
        return proxy;
    }

    /** The 5 GB answer, made block by block as the proxy reads it: {@link #served} counts what was made. */
    private InputStream fiveGigabytes(String commandLine) {
        return fiveGigabytesAfter("* 2 FETCH (UID 2 FLAGS () INTERNALDATE \"01-Dec-2026 10:00:00 +0000\" RFC822.SIZE 60");
    }

    private InputStream fiveGigabytesAfter(String itemsBefore) {
        String block = "x".repeat(8192);
        return HostileBytes.of(itemsBefore + " BODY[] {5000000000}\r\n", i -> {
                    served.addAndGet(block.length());
                    return block;
                }, HostileBytes.ENDLESS, "");
    }

    /** The failure names what happened, and the 5 GB were not read. */
    private void droppedForUid2(Throwable failure, FaultProxy proxy) {
        droppedFor("UID 2", failure, proxy);
    }

    private void droppedFor(String message, Throwable failure, FaultProxy proxy) {
        assertNotNull(failure, "the exchange failed");
        assertTrue(served.get() < 64L << 20, () -> "served " + served.get() + " octets of the 5 GB literal, then: "
                + failure);
        FetchDroppedForSizeException dropped = dropped(failure);
        assertNotNull(dropped, () -> "failed for the size: " + failure);
        String text = dropped.getMessage();
        for (String part : List.of("fetch from INBOX", message + " on ", "IMAP server 127.0.0.1:" + proxy.port(),
                "5000000000 octets", "maxMessageSize=100000", "connection was dropped")) {
            assertTrue(text.contains(part), () -> "'" + part + "' in: " + text);
        }
        assertEquals(message, dropped.messageId());
    }

    /** The {@link FetchDroppedForSizeException} among the causes of {@code failure}, null when there is none. */
    private static FetchDroppedForSizeException dropped(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FetchDroppedForSizeException found) {
                return found;
            }
        }
        return null;
    }

    /** The next exchange logs in again (a second connection) and fetches normally. */
    private void nextExchangeWorks(FaultProxy proxy) {
        Exchange next = template.send(imap(proxy.port(), OPTIONS),
                e -> e.getIn().setHeader(CatalystMailConstants.UIDS, "1,3"));
        assertNull(next.getException(), () -> String.valueOf(next.getException()));
        assertEquals(List.of(1L, 3L), next.getMessage().getHeader(CatalystMailConstants.UIDS));
        assertEquals(2, next.getMessage().getBody(List.class).size());
        assertEquals(2, proxy.connections(), "the dropped connection and a new one");
        assertEquals(3, GreenMailboxes.messages(GREEN_MAIL, "joe", "INBOX").size(), "nothing was removed");
    }

    @Test
    void aFetchOfSeveralFailsAtTheFiveGigabyteLiteralAndTheNextExchangeLogsInAgain() throws Exception {
        deliverThree();
        try (FaultProxy proxy = fiveGigabytesForUid2()) {
            Exchange fetched = template.send(imap(proxy.port(), OPTIONS + "&search=ALL"), e -> { });

            droppedForUid2(fetched.getException(), proxy);
            String text = dropped(fetched.getException()).getMessage();
            assertTrue(text.contains("with the 2 other message(s) of its fetch"), text);
            nextExchangeWorks(proxy);
        }
    }

    /** The text says what is true of a fetch of one UID: no other message failed with it. */
    @Test
    void aFetchOfThatOneUidFailsTheSameWay() throws Exception {
        deliverThree();
        try (FaultProxy proxy = fiveGigabytesForUid2()) {
            Exchange fetched = template.send(imap(proxy.port(), OPTIONS),
                    e -> e.getIn().setHeader(CatalystMailConstants.UIDS, 2L));

            droppedForUid2(fetched.getException(), proxy);
            assertFalse(dropped(fetched.getException()).getMessage().contains("other message"),
                    () -> dropped(fetched.getException()).getMessage());
            nextExchangeWorks(proxy);
        }
    }

    /** A server that sends the body before the UID (RFC 3501 §7.4.2 fixes no order): named by its number. */
    @Test
    void withoutTheUidBeforeTheBodyTheFailureNamesTheMessageNumber() throws Exception {
        deliverThree();
        try (FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort())) {
            proxy.answer("BODY.PEEK[]", line -> fiveGigabytesAfter("* 2 FETCH (FLAGS ()"), 0);
            Exchange fetched = template.send(imap(proxy.port(), OPTIONS),
                    e -> e.getIn().setHeader(CatalystMailConstants.UIDS, 2L));

            droppedFor("message 2", fetched.getException(), proxy);
            nextExchangeWorks(proxy);
        }
    }

    /**
     * fetchAs=iterator, a round per message: the round of UID 2 fails the split (the splitter asks for it before it
     * routes message 1, the last of its round), and message 3 is not fetched.
     */
    @Test
    void aStreamedFetchFailsItsSplitAtThatRound() throws Exception {
        deliverThree();
        try (FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort())) {
            proxy.answer("UID FETCH 2 (", this::fiveGigabytes, 0);
            List<Long> routed = new CopyOnWriteArrayList<>();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:fetch")
                            .to(imap(proxy.port(), OPTIONS + "&search=ALL&fetchAs=iterator&fetchRoundSize=1"))
                            .split(body()).streaming()
                            .process(e -> routed.add(e.getMessage().getHeader(CatalystMailConstants.UID, Long.class)));
                }
            });
            Exchange fetched = template.send("direct:fetch", e -> { });

            droppedForUid2(fetched.getException(), proxy);
            assertEquals(List.of(), routed);
            assertFalse(proxy.clientText().contains("UID FETCH 3 ("), "nothing fetched after the failed round");
            nextExchangeWorks(proxy);
        }
    }

    /** Within 1 MiB above the limit the literal is read past as before: the connection serves the next exchange. */
    @Test
    void aLiteralLittleAboveTheLimitIsReadPastAndNamedOversized() throws Exception {
        deliverThree();
        try (FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort())) {
            proxy.answer("BODY.PEEK[]", line -> HostileBytes.repeat("* 2 FETCH (UID 2 FLAGS () INTERNALDATE"
                    + " \"01-Dec-2026 10:00:00 +0000\" RFC822.SIZE 60 BODY[] {150000}\r\n", "x".repeat(1000), 150,
                    ")\r\n" + tagOf(line) + " OK FETCH completed\r\n"), 0);
            Exchange fetched = template.send(imap(proxy.port(), OPTIONS), e -> e.getIn().setHeader(
                    CatalystMailConstants.UIDS, "2,3"));

            assertNull(fetched.getException(), () -> String.valueOf(fetched.getException()));
            assertEquals(List.of(2L), fetched.getMessage().getHeader(CatalystMailConstants.OVERSIZED_UIDS));
            List<?> messages = fetched.getMessage().getBody(List.class);
            assertTrue(messages.isEmpty(), "the script answered for UID 2 only: " + messages);
            Exchange next = template.send(imap(proxy.port(), OPTIONS),
                    e -> e.getIn().setHeader(CatalystMailConstants.UIDS, 3L));
            assertNull(next.getException(), () -> String.valueOf(next.getException()));
            assertEquals("message 3", next.getMessage().getHeader("Subject"));
            assertEquals(1, proxy.connections(), "the connection stayed in step and served both");
        }
    }
}
