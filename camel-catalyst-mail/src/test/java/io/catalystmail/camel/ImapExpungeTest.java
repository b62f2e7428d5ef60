package io.catalystmail.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import jakarta.mail.Flags;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.subjectOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deletion over IMAP: messages are flagged \Deleted right after their round and expunged on a second connection
 * while the first goes on fetching (parallelExpunge), by the first one when the second is refused or turned off,
 * and a message flagged \Deleted is never routed.
 */
class ImapExpungeTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    private final Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();

    private void consume(int port, String options) throws Exception {
        String uri = "catalystmail:imap:127.0.0.1:" + port + "?username=alice&password=s3cret&initialDelay=0&delay=100"
                     + "&fetchSize=20&" + options;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("mail").process(e -> routed
                        .computeIfAbsent(e.getMessage().getHeader("Subject", String.class), s -> new AtomicInteger())
                        .incrementAndGet());
            }
        });
    }

    private void deliverMany(int count) {
        for (int i = 1; i <= count; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "body " + i));
        }
    }

    private void awaitAllRoutedOnceAndGone(int count) {
        Eventually.await(() -> routed.size() == count && messages(greenMail, "alice", "INBOX").isEmpty(),
                () -> routed.size() + " of " + count + " routed, " + messages(greenMail, "alice", "INBOX").size()
                      + " left on the server");
        routed.forEach((subject, times) -> assertEquals(1, times.get(), subject + " routed more than once"));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void deletionsAreExpungedOnASecondConnectionInBatchesWhileTheFirstFetches() throws Exception {
        deliverMany(230);
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            consume(proxy.port(), "delete=true");
            awaitAllRoutedOnceAndGone(230);
            context.getRouteController().stopRoute("mail");
            String sent = proxy.clientText();
            assertEquals(2, proxy.connections(), "one connection fetching, one expunging");
            // each round is flagged as soon as it was routed; two batches of 100 went to the second connection,
            // the last 30 were expunged by the first at the end of the poll
            assertTrue(count(sent, "+FLAGS.SILENT (\\Deleted)") >= 230 / 20, sent);
            assertEquals(3, count(sent, "UID EXPUNGE"), sent);
            assertEquals(2, count(sent, "SELECT"), "both connections select the folder");
        }
    }

    @Test
    void withParallelExpungeOffOneConnectionDoesItAll() throws Exception {
        deliverMany(120);
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            consume(proxy.port(), "delete=true&parallelExpunge=false");
            awaitAllRoutedOnceAndGone(120);
            context.getRouteController().stopRoute("mail");
            assertEquals(1, proxy.connections());
            assertEquals(1, count(proxy.clientText(), "UID EXPUNGE"), "one expunge at the end of the poll");
        }
    }

    @Test
    void whenTheSecondConnectionIsRefusedTheFirstExpungesEverything() throws Exception {
        deliverMany(150);
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // a server that allows one connection per account
            proxy.limitConnections(1);
            consume(proxy.port(), "delete=true");
            awaitAllRoutedOnceAndGone(150);
            context.getRouteController().stopRoute("mail");
            assertEquals(2, proxy.connections(), "a second connection was tried, once");
            assertEquals(2, count(proxy.clientText(), "UID EXPUNGE"),
                    "the first connection expunged the 100 handed back, then the last 50");
        }
    }

    @Test
    void aMessageFlaggedDeletedIsNotRouted() throws Exception {
        deliverMany(3);
        StoredMessage second = messages(greenMail, "alice", "INBOX").stream()
                .filter(m -> subjectOf(m).equals("m2")).findFirst().orElseThrow();
        // another client flagged it for deletion and has not expunged yet
        second.setFlag(Flags.Flag.DELETED, true);
        consume(greenMail.getImap().getPort(), "markSeen=true");
        Eventually.await(() -> routed.keySet().equals(java.util.Set.of("m1", "m3")), () -> "routed " + routed.keySet());
        context.getRouteController().stopRoute("mail");
        assertEquals(List.of("m1", "m2", "m3"), messages(greenMail, "alice", "INBOX").stream()
                .map(m -> subjectOf(m)).sorted().toList());
    }
}
