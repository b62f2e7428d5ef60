package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.PollOutcomes;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * camel-mail routes moved over to catalystmail against GreenMail: missing folders, after-processing that fails,
 * options that share camel-mail's names, and idempotency keyed like camel-mail's.
 */
class MigratedConsumerRoutesTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(new com.icegreen.greenmail.util.ServerSetup[] {
            ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.POP3.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    /** Counts finished polls, so a test can wait for "several polls later" without sleeping. */
    private final AtomicInteger polls = new AtomicInteger();

    @Override
    protected void bindToRegistry(org.apache.camel.spi.Registry registry) {
        registry.bind("countingPolls", PollOutcomes.onEveryPoll(polls::incrementAndGet));
    }

    private String imap(int port, String options) {
        return "catalystmail:imap:127.0.0.1:" + port + "?username=alice&password=s3cret&initialDelay=0"
               + (options.contains("delay=") ? "" : "&delay=50") + "&pollStrategy=#countingPolls&" + options;
    }

    private String imap(String options) {
        return imap(greenMail.getImap().getPort(), options);
    }

    private void route(String uri, org.apache.camel.Processor step) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("mail").process(step).to("mock:result");
            }
        });
    }

    private void awaitPolls(int count) {
        int target = polls.get() + count;
        Eventually.await(() -> polls.get() >= target, () -> "polls: " + polls.get() + " of " + target);
    }

    private static MailFolder existing(String name) throws Exception {
        return greenMail.getManagers().getImapHostManager()
                .getFolder(greenMail.getUserManager().getUser("alice"), name);
    }

    private static boolean existsUnchecked(String name) {
        try {
            return existing(name) != null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> subjects(String folder) {
        List<String> out = new ArrayList<>();
        for (StoredMessage m : messages(greenMail, "alice", folder)) {
            out.add(subjectOf(m));
        }
        Collections.sort(out);
        return out;
    }

    private List<String> routedSubjects() {
        List<String> out = new ArrayList<>();
        for (Exchange e : getMockEndpoint("mock:result").getReceivedExchanges()) {
            out.add(e.getMessage().getHeader("Subject", String.class));
        }
        Collections.sort(out);
        return out;
    }

    @Test
    void aMissingMoveToFolderIsCreatedAndEachMessageRoutedOnce() throws Exception {
        for (int i = 1; i <= 5; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "x"));
        }
        assertNull(existing("Processed"));
        route(imap("moveTo=Processed"), e -> { });
        // looked at only once it exists: GreenMailboxes.folder would create it
        Eventually.await(() -> existsUnchecked("Processed") && subjects("Processed").size() == 5,
                () -> "moved: " + (existsUnchecked("Processed") ? subjects("Processed") : "no folder"));
        awaitPolls(10);
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), routedSubjects(), "each message routed exactly once");
        assertTrue(subjects("INBOX").isEmpty());
    }

    @Test
    void withoutAutoCreateAMissingFolderStopsTheRouteFromStartingAndNamesIt() {
        Exception e = assertThrows(Exception.class,
                () -> route(imap("moveTo=Archive&autoCreateFolders=false"), x -> { }));
        assertTrue(context.getRouteController().getRouteStatus("mail") == null
                   || !context.getRouteController().getRouteStatus("mail").isStarted(), "the route did not start");
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("Folder 'Archive' does not exist on 127.0.0.1:"), root.getMessage());
    }

    @Test
    void aMissingFolderWithALongNameIsNamedCutAfter60CharactersAsInTheLog() {
        String name = "Archive-" + "x".repeat(300);
        Exception e = assertThrows(Exception.class,
                () -> route(imap("moveTo=" + name + "&autoCreateFolders=false"), x -> { }));
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().startsWith("Folder '" + name.substring(0, 60) + "…' (308 characters) does not"
                + " exist on 127.0.0.1:"), root.getMessage());
        assertFalse(root.getMessage().contains(name.substring(0, 61)), root.getMessage());
    }

    @Test
    void anActionThatFailsForeverNeverReRoutesAndIsGivenUpAfterTheBoundedAttempts() throws Exception {
        for (int i = 1; i <= 3; i++) {
            deliver(greenMail, "alice", textMessage("stuck" + i, "x"));
        }
        java.io.StringWriter log = new java.io.StringWriter();
        org.apache.logging.log4j.core.Appender appender = captureErrors(log);
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // the route moves every message to a folder that does not exist and may not be created: each attempt of
            // the action fails (the folder is looked up, LIST finds nothing), poll after poll
            route(imap(proxy.port(), "autoCreateFolders=false&afterProcessingAttempts=3"),
                    e -> e.getMessage().setHeader(CatalystMailConstants.MOVE_TO, "Nowhere"));
            String lookup = "LIST \"\" \"Nowhere\"";
            // first poll: one look-up for the round; then 2 retries for each of the 3 messages, one at a time
            Eventually.await(() -> proxy.timesSent(lookup) >= 7, () -> "look-ups: " + proxy.timesSent(lookup));
            awaitPolls(10);
            assertEquals(7, proxy.timesSent(lookup), "given up after 3 attempts per message");
            assertEquals(List.of("stuck1", "stuck2", "stuck3"), routedSubjects(), "each message routed exactly once");
            assertEquals(List.of("stuck1", "stuck2", "stuck3"), subjects("INBOX"), "the messages stay where they are");
            assertNull(existing("Nowhere"));
        } finally {
            org.apache.logging.log4j.core.LoggerContext ctx =
                    (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
            ctx.getConfiguration().getLoggerConfig("io.catalystmail").removeAppender("capture-errors");
            ctx.updateLoggers();
            appender.stop();
        }
        // the three are given up in the same poll: one ERROR naming the cause (with the server) and each message
        List<String> errors = log.toString().lines().filter(l -> l.startsWith("ERROR|Giving up")).toList();
        assertEquals(1, errors.size(), "one ERROR for the poll:\n" + log);
        assertTrue(errors.get(0).matches("ERROR\\|Giving up the after-processing of 3 message\\(s\\) after 3 failed"
                + " attempts each, the first failing last with: .*does not exist on 127\\.0\\.0\\.1:\\d+.*"
                + "UID \\d+ in INBOX \\([^)]*move to 'Nowhere'\\), UID \\d+ in INBOX \\([^)]*move to 'Nowhere'\\), UID \\d+ in"
                + " INBOX \\([^)]*move to 'Nowhere'\\)"), errors.get(0));
    }

    private static org.apache.logging.log4j.core.Appender captureErrors(java.io.StringWriter target) {
        org.apache.logging.log4j.core.LoggerContext ctx =
                (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
        org.apache.logging.log4j.core.Appender appender = org.apache.logging.log4j.core.appender.WriterAppender
                .createAppender(org.apache.logging.log4j.core.layout.PatternLayout.newBuilder().withPattern("%p|%m%n")
                        .build(), null, target, "capture-errors", false, true);
        appender.start();
        ctx.getConfiguration().addAppender(appender);
        ctx.getConfiguration().getLoggerConfig("io.catalystmail")
                .addAppender(appender, org.apache.logging.log4j.Level.WARN, null);
        ctx.updateLoggers();
        return appender;
    }

    @Test
    void copiesArriveUnseenForTheNextRouteWhileTheOriginalsAreMarkedSeen() throws Exception {
        deliver(greenMail, "alice", textMessage("work", "x"));
        route(imap("copyTo=Work"), e -> { });
        Eventually.await(() -> existsUnchecked("Work") && subjects("Work").equals(List.of("work")), () -> "copies");
        Eventually.await(() -> messages(greenMail, "alice", "INBOX").get(0).isSet(Flags.Flag.SEEN), () -> "original seen");
        assertTrue(!messages(greenMail, "alice", "Work").get(0).isSet(Flags.Flag.SEEN), "the copy must be unseen");
    }

    @Test
    void moveToWithoutDeleteLeavesTheMovedMessageSeenAsCamelMailDoes() throws Exception {
        deliver(greenMail, "alice", textMessage("done", "x"));
        route(imap("moveTo=Done"), e -> { });
        Eventually.await(() -> existsUnchecked("Done") && subjects("Done").equals(List.of("done")), () -> "moved");
        assertTrue(messages(greenMail, "alice", "Done").get(0).isSet(Flags.Flag.SEEN), "moved with markSeen=true: seen");
    }

    @Test
    void moveToWithDeleteLeavesTheMovedMessageUnseenAsCamelMailDoes() throws Exception {
        deliver(greenMail, "alice", textMessage("done", "x"));
        route(imap("moveTo=Done&delete=true"), e -> { });
        Eventually.await(() -> existsUnchecked("Done") && subjects("Done").equals(List.of("done")), () -> "moved");
        assertTrue(!messages(greenMail, "alice", "Done").get(0).isSet(Flags.Flag.SEEN), "moved with delete=true: unseen");
    }

    @Test
    void fetchSizeCapsThePollAsInCamelMail() throws Exception {
        for (int i = 1; i <= 5; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "x"));
        }
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(2);
        route(imap("fetchSize=2&delay=60000"), e -> { });
        mock.assertIsSatisfied();
        // the first poll may already have ended here: wait for it to have ended, not for one more
        Eventually.await(() -> polls.get() >= 1, () -> "polls: " + polls.get() + " of 1");
        assertEquals(2, mock.getReceivedExchanges().size(), "one poll of fetchSize=2 routes two messages");
        assertEquals(2, mock.getReceivedExchanges().get(0).getProperty(Exchange.BATCH_SIZE, Integer.class));
    }

    @Test
    void messageIdKeysFindARepositoryFilledByCamelMail() throws Exception {
        byte[] known = ("From: a@example.test\r\nTo: alice@example.test\r\nSubject: known\r\n"
                        + "Message-ID: <seen-by-camel-mail@example.test>\r\n\r\nx\r\n").getBytes();
        byte[] fresh = ("From: a@example.test\r\nTo: alice@example.test\r\nSubject: fresh\r\n"
                        + "Message-ID: <new@example.test>\r\n\r\nx\r\n").getBytes();
        deliver(greenMail, "alice", known);
        deliver(greenMail, "alice", fresh);
        MemoryIdempotentRepository repository = (MemoryIdempotentRepository) MemoryIdempotentRepository
                .memoryIdempotentRepository();
        repository.add("<seen-by-camel-mail@example.test>");
        context.getRegistry().bind("repo", repository);
        route(imap("idempotentRepository=#repo&idempotentKey=MESSAGE_ID"), e -> { });
        Eventually.await(() -> messages(greenMail, "alice", "INBOX").stream().allMatch(m -> m.isSet(Flags.Flag.SEEN)),
                () -> "both seen");
        awaitPolls(3);
        assertEquals(List.of("fresh"), routedSubjects(), "the message camel-mail processed is not routed again");
        assertTrue(repository.contains("<new@example.test>"), "the new message is remembered by its Message-ID");
        assertEquals("<new@example.test>", getMockEndpoint("mock:result").getReceivedExchanges().get(0).getMessage()
                .getHeader(CatalystMailConstants.MESSAGE_KEY));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = { "imap", "pop3" })
    void dateOrdersFollowTheDateHeaderLikeImapSort(String protocol) throws Exception {
        // arrival order b, c, a; Date headers say a, b; c has none readable: IMAP takes its arrival date (now, so
        // last), POP3 has no arrival date and puts it first
        deliver(greenMail, "alice", dated("b", "Mon, 2 Nov 2026 10:00:00 +0000"));
        deliver(greenMail, "alice", dated("c", "not a date"));
        deliver(greenMail, "alice", dated("a", "1 Nov 2026 23:30:00 -0200")); // 2 Nov 01:30 UTC
        MockEndpoint mock = getMockEndpoint("mock:result");
        if (protocol.equals("imap")) {
            mock.expectedBodiesReceived("a\r\n", "b\r\n", "c\r\n");
        } else {
            mock.expectedBodiesReceived("c\r\n", "a\r\n", "b\r\n");
        }
        String uri = protocol.equals("imap") ? imap("sortOrder=DATE_ASCENDING&delay=60000")
                : "catalystmail:pop3:127.0.0.1:" + greenMail.getPop3().getPort()
                  + "?username=alice&password=s3cret&initialDelay=0&delay=60000&sortOrder=DATE_ASCENDING";
        route(uri, e -> { });
        mock.assertIsSatisfied();
    }

    private static byte[] dated(String subject, String date) {
        return ("From: a@example.test\r\nTo: alice@example.test\r\nSubject: " + subject + "\r\nDate: " + date
                + "\r\nMessage-ID: <" + subject + "." + System.nanoTime() + "@example.test>\r\n\r\n" + subject + "\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
