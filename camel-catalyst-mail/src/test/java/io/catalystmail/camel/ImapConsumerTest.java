package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import jakarta.mail.Flags;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.subjectOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IMAP consumer end to end against GreenMail: what reaches the route and what happens on the server. */
class ImapConsumerTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    private String imap(String options) {
        return "catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=alice&password=s3cret"
               + "&initialDelay=0" + (options.contains("delay=") ? "" : "&delay=100") + (options.isEmpty() ? "" : "&" + options);
    }

    private void route(String uri, org.apache.camel.Processor step) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("mail").process(step).to("mock:result");
            }
        });
    }

    private List<String> subjects(String folder) {
        List<String> out = new ArrayList<>();
        for (StoredMessage m : messages(greenMail, "alice", folder)) {
            out.add(subjectOf(m));
        }
        Collections.sort(out);
        return out;
    }

    private static boolean seen(StoredMessage m) {
        return m.isSet(Flags.Flag.SEEN);
    }

    @Test
    void deliversEachMessageWithHeadersAndMarksItSeenAfterSuccess() throws Exception {
        for (int i = 1; i <= 3; i++) {
            deliver(greenMail, "alice", textMessage("hello " + i, "body " + i));
        }
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(3);
        mock.expectedBodiesReceived("body 1\r\n", "body 2\r\n", "body 3\r\n");
        route(imap(""), e -> { });
        mock.setResultWaitTime(20_000);
        mock.assertIsSatisfied();

        Exchange first = mock.getReceivedExchanges().get(0);
        assertEquals("hello 1", first.getMessage().getHeader("Subject"));
        assertEquals("INBOX", first.getMessage().getHeader(CatalystMailConstants.FOLDER));
        assertTrue(first.getMessage().getHeader(CatalystMailConstants.UID, Long.class) > 0);
        assertEquals(3, first.getProperty(Exchange.BATCH_SIZE, Integer.class));
        assertEquals(0, first.getProperty(Exchange.BATCH_INDEX, Integer.class));
        assertTrue(mock.getReceivedExchanges().get(2).getProperty(Exchange.BATCH_COMPLETE, Boolean.class));
        Eventually.await(() -> messages(greenMail, "alice", "INBOX").stream().allMatch(ImapConsumerTest::seen),
                () -> "all messages seen");
    }

    /** Delivers one message to the GreenMail folder {@code stored} and returns its exchange, consumed from there. */
    private Exchange consumedFrom(String stored, String folderOption) throws Exception {
        deliver(greenMail, "alice", stored, textMessage("one", "x"));
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(1);
        route(imap("folder=" + folderOption), e -> { });
        mock.setResultWaitTime(20_000);
        mock.assertIsSatisfied();
        return mock.getReceivedExchanges().get(0);
    }

    @Test
    void theFolderHeaderOfANonAsciiFolderIsTheDecodedNameNotTheWireSpelling() throws Exception {
        // on the wire the name is "Entw&APw-rfe" (modified UTF-7, RFC 3501 §5.1.3); GreenMail stores it decoded
        Exchange consumed = consumedFrom("Entwürfe", "Entwürfe");
        assertEquals("Entwürfe", consumed.getMessage().getHeader(CatalystMailConstants.FOLDER));
    }

    /**
     * One folder, one name: the consumer's header is the server's name of its folder, as the producer's is for the
     * folder an operation worked on. GreenMail's hierarchy delimiter is '.', so folder=Projects/2026 is the mailbox
     * Projects.2026; before, the consumer said "Projects/2026" and the producer "Projects.2026".
     */
    @Test
    void theFolderHeaderIsTheServersNameOfTheFolderAsTheProducerSaysIt() throws Exception {
        Exchange consumed = consumedFrom("Projects.2026", "Projects/2026");
        Exchange status = template.request("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort()
                + "?username=alice&password=s3cret&operation=status&folder=Projects/2026", e -> { });
        assertEquals("Projects.2026", status.getMessage().getHeader(CatalystMailConstants.FOLDER), "the producer");
        assertEquals("Projects.2026", consumed.getMessage().getHeader(CatalystMailConstants.FOLDER), "the consumer");
    }

    @Test
    void failedExchangesLeaveExactlyThoseMessagesUnseenAndTheRestOfTheBatchGoesOn() throws Exception {
        for (String s : List.of("ok 1", "fail 2", "ok 3", "fail 4", "ok 5")) {
            deliver(greenMail, "alice", textMessage(s, s));
        }
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(3);
        route(imap("delete=true"), e -> {
            if (e.getMessage().getHeader("Subject", String.class).startsWith("fail")) {
                throw new IllegalStateException("route refuses " + e.getMessage().getHeader("Subject"));
            }
        });
        mock.setResultWaitTime(20_000);
        mock.assertIsSatisfied();
        Eventually.await(() -> subjects("INBOX").equals(List.of("fail 2", "fail 4")), () -> "left: " + subjects("INBOX"));
        context.getRouteController().stopRoute("mail");
        assertTrue(messages(greenMail, "alice", "INBOX").stream().noneMatch(ImapConsumerTest::seen),
                "failed messages must stay unseen");
    }

    @Test
    void movesToAFolderWithANonAsciiNameAndFailedOnesToTheFailureFolder() throws Exception {
        deliver(greenMail, "alice", textMessage("keep", "x"));
        deliver(greenMail, "alice", textMessage("broken", "x"));
        // GreenMail's hierarchy delimiter is ".": the "/" of the option becomes it (MailboxNames)
        io.catalystmail.camel.testsupport.GreenMailboxes.folder(greenMail, "alice", "Archiv.Bestätigt");
        io.catalystmail.camel.testsupport.GreenMailboxes.folder(greenMail, "alice", "Failed");
        long brokenUid = messages(greenMail, "alice", "INBOX").get(1).getUid();
        try (CapturedLog log = new CapturedLog()) {
            route(imap("moveTo=Archiv/Bestätigt&moveFailedTo=Failed"), e -> {
                if ("broken".equals(e.getMessage().getHeader("Subject"))) {
                    throw new IllegalStateException("broken");
                }
            });
            Eventually.await(() -> subjects("Archiv.Bestätigt").equals(List.of("keep"))
                                   && subjects("Failed").equals(List.of("broken")) && subjects("INBOX").isEmpty(),
                    () -> "INBOX " + subjects("INBOX") + " archive " + subjects("Archiv.Bestätigt") + " failed "
                          + subjects("Failed"));
            // the WARN names the mailbox and the message as the server does, so that it can be found there
            String warn = "imap://127.0.0.1:" + greenMail.getImap().getPort() + "/INBOX: message UID " + brokenUid
                          + " failed in the route; it is moved to Failed";
            assertTrue(log.text().contains(warn), log.text());
        }
    }

    @Test
    void copyToKeepsTheOriginalAndPerExchangeHeadersOverrideTheAction() throws Exception {
        deliver(greenMail, "alice", textMessage("copy me", "x"));
        deliver(greenMail, "alice", textMessage("delete me", "x"));
        io.catalystmail.camel.testsupport.GreenMailboxes.folder(greenMail, "alice", "Copies");
        route(imap("copyTo=Copies"), e -> {
            if ("delete me".equals(e.getMessage().getHeader("Subject"))) {
                e.getMessage().setHeader(CatalystMailConstants.DELETE, true);
                e.getMessage().setHeader(CatalystMailConstants.COPY_TO, "");
            }
        });
        Eventually.await(() -> subjects("INBOX").equals(List.of("copy me")) && subjects("Copies").equals(List.of("copy me")),
                () -> "INBOX " + subjects("INBOX") + " copies " + subjects("Copies"));
    }

    /**
     * A route that sets an action header to a value that is no boolean ("yes", "") gets its exchange's action refused,
     * reported once through the exception handler, and the message stays as it is, routed once. Before, the value
     * became null and its unboxing threw out of the round: the poll failed after the route had succeeded, the message
     * stayed unseen and unremembered, and every later poll routed it again and failed again.
     */
    @Test
    void anActionHeaderThatIsNoBooleanIsRefusedAndTheMessageRoutedOnce() throws Exception {
        deliver(greenMail, "alice", textMessage("said yes", "x"));
        deliver(greenMail, "alice", textMessage("plain", "x"));
        io.catalystmail.camel.testsupport.CapturedExceptions refused = new io.catalystmail.camel.testsupport.CapturedExceptions();
        context.getRegistry().bind("refused", refused);
        MockEndpoint mock = getMockEndpoint("mock:result");
        route(imap("exceptionHandler=#refused"), e -> {
            if ("said yes".equals(e.getMessage().getHeader("Subject"))) {
                e.getMessage().setHeader(CatalystMailConstants.DELETE, "yes");
                e.getMessage().setHeader(CatalystMailConstants.MARK_SEEN, "");
            }
        });
        Eventually.await(() -> messages(greenMail, "alice", "INBOX").stream().filter(ImapConsumerTest::seen).count() == 1
                && mock.getReceivedCounter() >= 2, () -> mock.getReceivedCounter() + " routed");
        Throwable failure = refused.next(java.time.Duration.ofSeconds(5));
        assertTrue(String.valueOf(failure).contains(CatalystMailConstants.MARK_SEEN + " is neither true nor false"),
                String.valueOf(failure));
        // a few more polls: neither message routed again, the one with the header left as it was (unseen, kept)
        long polls = ((CatalystMailConsumer) context.getRoute("mail").getConsumer()).statistics().polls();
        Eventually.await(() -> ((CatalystMailConsumer) context.getRoute("mail").getConsumer()).statistics().polls()
                >= polls + 3, () -> "no more polls");
        assertEquals(2, mock.getReceivedCounter(), "each routed once");
        assertEquals(List.of("plain", "said yes"), subjects("INBOX"));
        assertEquals(0, ((CatalystMailConsumer) context.getRoute("mail").getConsumer()).statistics().failedPolls());
    }

    @Test
    void searchFilterAndSubjectOptionSelectMessagesOnTheServer() throws Exception {
        deliver(greenMail, "alice", textMessage("[spam] buy now", "x"));
        deliver(greenMail, "alice", textMessage("invoice 42", "x"));
        deliver(greenMail, "alice", textMessage("invoice 43 [spam]", "x"));
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(1);
        route(imap("search=NOT SUBJECT \"[spam]\"&searchSubject=invoice"), e -> { });
        mock.setResultWaitTime(20_000);
        mock.assertIsSatisfied();
        assertEquals("invoice 42", mock.getReceivedExchanges().get(0).getMessage().getHeader("Subject"));
    }

    @Test
    void badSearchSyntaxStopsTheRouteFromStartingWithTheReason() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> route(imap("search=SINCE yesterday"), x -> { }));
        assertTrue(rootMessage(e).contains("SINCE"), rootMessage(e));
    }

    @Test
    void badSearchSyntaxAndContradictoryOptionsFailAConsumerTemplateReceiveWithTheReasonToo() {
        deliver(greenMail, "alice", textMessage("would match anything", "x"));
        for (String term : new String[] { "SINCE yesterday", "SUBJECT", "FROM a OR" }) {
            String reason = receiveFailure("search=" + term);
            assertTrue(reason.startsWith("search: expected "), term + ": " + reason);
        }
        String reason = receiveFailure("idempotentEager=true");
        assertTrue(reason.startsWith("idempotentEager=true needs an idempotentRepository"), reason);
        assertEquals(1, messages(greenMail, "alice", "INBOX").size(), "nothing was touched");
    }

    /** Camel's polling consumer ignores what its consumer throws at start: the options must fail it before. */
    private String receiveFailure(String options) {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> consumer.receive(imap(options), 5_000), options + " was accepted");
        return rootMessage(e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Test
    void maxMessagesPerPollAndDescendingOrder() throws Exception {
        for (int i = 1; i <= 5; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "x"));
        }
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMinimumMessageCount(2);
        route(imap("maxMessagesPerPoll=2&sortOrder=UID_DESCENDING&delay=60000"), e -> { });
        mock.setResultWaitTime(20_000);
        mock.assertIsSatisfied();
        assertEquals("m5", mock.getReceivedExchanges().get(0).getMessage().getHeader("Subject"));
        assertEquals("m4", mock.getReceivedExchanges().get(1).getMessage().getHeader("Subject"));
        assertEquals(2, mock.getReceivedExchanges().get(0).getProperty(Exchange.BATCH_SIZE, Integer.class));
    }

    @Test
    void rawModeHandsOverTheStoredBytes() throws Exception {
        byte[] raw = textMessage("raw one", "line one\r\nline two");
        deliver(greenMail, "alice", raw);
        byte[] stored = io.catalystmail.camel.testsupport.GreenMailboxes.bytesOf(messages(greenMail, "alice", "INBOX").get(0));
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(1);
        route(imap("raw=true"), e -> { });
        mock.setResultWaitTime(20_000);
        mock.assertIsSatisfied();
        byte[] got = mock.getReceivedExchanges().get(0).getMessage().getBody(byte[].class);
        org.junit.jupiter.api.Assertions.assertArrayEquals(stored, got);
        assertEquals("raw one", mock.getReceivedExchanges().get(0).getMessage().getHeader("Subject"));
    }

    @Test
    void idempotentRepositoryPreventsASecondRunWhenTheServerWasNotUpdated() throws Exception {
        deliver(greenMail, "alice", textMessage("once", "x"));
        MemoryIdempotentRepository repo = new MemoryIdempotentRepository();
        context.getRegistry().bind("repo", repo);
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(1);
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // markSeen=false: the server is never updated, as if the connection had been lost after processing
            route("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=alice&password=s3cret&initialDelay=0"
                  + "&delay=50&markSeen=false&idempotentRepository=#repo", e -> { });
            mock.setResultWaitTime(20_000);
            mock.assertIsSatisfied();
            Eventually.await(() -> repo.getCacheSize() == 1, () -> "key recorded");
            String key = mock.getReceivedExchanges().get(0).getMessage().getHeader(CatalystMailConstants.MESSAGE_KEY,
                    String.class);
            assertTrue(repo.contains(key), key);
            assertTrue(key.contains("UIDVALIDITY="), key);
            // the message is still listed at every poll; wait for three more polls: still exactly one exchange
            int searchesSoFar = proxy.timesSent("UID SEARCH");
            Eventually.await(() -> proxy.timesSent("UID SEARCH") >= searchesSoFar + 3, () -> "three more polls");
            mock.assertIsSatisfied();
            assertEquals(1, mock.getReceivedCounter());
        }
    }


    @Test
    void aThousandMessageMailboxIsDrainedInRounds() throws Exception {
        int n = 1000;
        for (int i = 0; i < n; i++) {
            deliver(greenMail, "alice", textMessage("bulk " + i, "payload " + i));
        }
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(n);
        route(imap("delete=true&fetchRoundSize=50"), e -> { });
        mock.setResultWaitTime(60_000);
        mock.assertIsSatisfied();
        Eventually.await(() -> messages(greenMail, "alice", "INBOX").isEmpty(),
                () -> messages(greenMail, "alice", "INBOX").size() + " left");
        assertEquals(n, mock.getReceivedExchanges().stream().map(x -> x.getMessage().getHeader("Subject")).distinct().count());
    }
}
