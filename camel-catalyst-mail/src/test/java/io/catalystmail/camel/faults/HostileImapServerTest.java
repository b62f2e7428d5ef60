package io.catalystmail.camel.faults;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.HostileBytes;
import jakarta.mail.Flags;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.catalystmail.camel.testsupport.FaultProxy.tagOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.subjectOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static io.catalystmail.camel.testsupport.HostileBytes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IMAP rows of the hostile-server suite: a {@link FaultProxy} in front of GreenMail answers one command the
 * way a broken or hostile server would, once; GreenMail serves everything else and the next connection. Each
 * case shows the error names server, command and limit, nothing is marked that was not processed, the consumer
 * goes on polling and delivers the next good message, and the context stops in time.
 */
class HostileImapServerTest {

    @RegisterExtension
    static GreenMailExtension greenMail = HostileServerRun.greenMail(ServerSetupTest.IMAP, "ivy");

    private static String uri(FaultProxy proxy, String options) {
        return HostileServerRun.uri("imap", proxy.port(), "ivy", options);
    }

    private static boolean seen(String subject) {
        return messages(greenMail, "ivy", "INBOX").stream().filter(m -> subjectOf(m).equals(subject))
                .anyMatch(m -> m.getFlags().contains(Flags.Flag.SEEN));
    }

    @Test
    void searchAnswerWithUidZeroSkipsItAndDeliversTheValidOnes() throws Exception {
        deliver(greenMail, "ivy", textMessage("one", "body one"));
        deliver(greenMail, "ivy", textMessage("two", "body two"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("UID SEARCH", line -> text("* SEARCH 0 1 2\r\n" + tagOf(line) + " OK SEARCH done\r\n"), 0);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=5000")).start()) {
                run.awaitProcessed("one");
                run.awaitProcessed("two");
                assertTrue(proxy.fired());
                assertEquals(1, proxy.connections(), "the invalid entry costs no reconnect");
                assertFalse(run.errorText().contains("not a UID"), run.errorText());
            }
        }
    }

    /** RFC 3501 §9: UIDVALIDITY is a non-zero 32-bit number; the idempotent keys and UID sets are built on it. */
    @ParameterizedTest(name = "UIDVALIDITY {0}")
    @ValueSource(strings = { "0", "-17", "4294967296" })
    void selectAnsweredWithAnUnusableUidValidityFailsThePollNamingServerCommandAndValue(String value) throws Exception {
        deliver(greenMail, "ivy", textMessage("valid", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("SELECT", line -> text("* 1 EXISTS\r\n* OK [UIDVALIDITY " + value + "] v\r\n" + tagOf(line)
                    + " OK [READ-WRITE] selected\r\n"), 0);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=5000")).start()) {
                run.awaitFailedPollThenOnly("valid", "127.0.0.1:" + proxy.port(), "SELECT",
                        "with an unusable UIDVALIDITY '" + value + "'");
            }
        }
    }

    /**
     * A SEARCH answer cannot name more messages than the folder holds (its EXISTS, plus maxListedMessages for mail
     * arriving meanwhile): one without end, on one line or over many, is cut there, not read until fetchTimeout.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "one line", "many lines" })
    void endlessSearchAnswerIsCutAtTheFoldersSize(String shape) throws Exception {
        deliver(greenMail, "ivy", textMessage("listed next time", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("UID SEARCH", line -> shape.equals("one line")
                    ? HostileBytes.of("* SEARCH", i -> " " + (i + 1), HostileBytes.ENDLESS, "")
                    : HostileBytes.repeat("", "* SEARCH 1\r\n", HostileBytes.ENDLESS, ""), 0);
            // a deadline far beyond the wait: the listing must end at the bound, not at fetchTimeout
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=300000")).start()) {
                run.awaitFailedPollThenOnly("listed next time", "127.0.0.1:" + proxy.port(), "UID SEARCH",
                        "more messages than the 1 the folder holds (EXISTS) plus maxListedMessages=50000");
            }
        }
    }

    /**
     * The EXISTS that bounds a SEARCH answer is the server's word too: after a forged {@code * 4294967295 EXISTS} an
     * endless answer is still cut, at what an EXISTS is believed for (20 x maxListedMessages, at least a million).
     */
    @Test
    void endlessSearchAnswerAfterAHugeExistsIsCutAtWhatAnExistsIsBelievedFor() throws Exception {
        deliver(greenMail, "ivy", textMessage("listed next time", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("SELECT", line -> text("* 4294967295 EXISTS\r\n* OK [UIDVALIDITY 7] v\r\n" + tagOf(line)
                    + " OK [READ-WRITE] selected\r\n"), 0)
                    .thenAnswer("UID SEARCH", line -> HostileBytes.of("* SEARCH", i -> " " + (i + 1),
                            HostileBytes.ENDLESS, ""));
            // a deadline far beyond the wait: the listing must end at the bound, not at fetchTimeout
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=300000")).start()) {
                run.awaitFailedPollThenOnly("listed next time", "127.0.0.1:" + proxy.port(), "UID SEARCH",
                        "more messages than the 1000000 the folder is believed to hold (it said 4294967295 EXISTS;"
                        + " believed up to 20 x maxListedMessages, at least 1000000) plus maxListedMessages=50000");
            }
        }
    }

    @Test
    void protocolViolationDropsTheConnectionNamingServerAndCommand() throws Exception {
        deliver(greenMail, "ivy", textMessage("after", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("UID SEARCH", line -> text("* SEARCH 1\r\n" + tagOf(line) + " MAYBE what\r\n"), 0);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=5000")).start()) {
                String error = run.awaitError("127.0.0.1:" + proxy.port(), "UID SEARCH", "broke the protocol");
                run.awaitProcessed("after");
                assertTrue(proxy.connections() >= 2, "a fresh connection after the violation");
                // the broken connection got no LOGOUT: it would only have cost a readTimeout
                assertEquals(0, proxy.timesSent("LOGOUT"), error);
                run.assertStillPolling();
            }
        }
    }

    @Test
    void serverDrippingItsFetchAnswerHitsFetchTimeout() throws Exception {
        deliver(greenMail, "ivy", textMessage("slow", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // two bytes a second: every read gets data well within readTimeout, the round never ends
            proxy.answer("UID FETCH", line -> HostileBytes.repeat("* 1 FETCH (UID 1 FLAGS () BODY[] {100000}\r\n", "x",
                    HostileBytes.ENDLESS, ""), 2);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=3000")).start()) {
                run.awaitFailedPollThenOnly("slow", "127.0.0.1:" + proxy.port(), "UID FETCH",
                        "within 3000 ms (fetchTimeout)");
            }
        }
    }

    @Test
    void endlessExistsLinesHitFetchTimeout() throws Exception {
        deliver(greenMail, "ivy", textMessage("busy", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("UID SEARCH", line -> HostileBytes.repeat("", "* 7 EXISTS\r\n", HostileBytes.ENDLESS, ""), 0);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=2000")).start()) {
                run.awaitError("127.0.0.1:" + proxy.port(), "UID SEARCH", "(fetchTimeout)");
                run.awaitProcessed("busy");
                run.assertStillPolling();
            }
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void endlessAnswerToTheLookupOfTheMoveToFolderHitsFetchTimeout() throws Exception {
        deliver(greenMail, "ivy", textMessage("moved at last", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort());
             CapturedLog log = new CapturedLog()) {
            // the route's start looks up the moveTo folder: an answer that never ends, dripped so that no single read
            // waits as long as readTimeout
            proxy.answer("Dripped", line -> HostileBytes.repeat("", "* LIST () \"/\" Dripped\r\n", HostileBytes.ENDLESS,
                    ""), 400);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "moveTo=Dripped&fetchTimeout=2000")).start()) {
                assertTrue(log.text().lines().anyMatch(l -> l.contains("127.0.0.1:" + proxy.port())
                        && l.contains("LIST") && l.contains("(fetchTimeout)")), "the start's check ended at the"
                        + " deadline, naming server, command and option:\n" + log.text());
                run.awaitProcessed("moved at last");
                Eventually.await(() -> messages(greenMail, "ivy", "Dripped").size() == 1, () -> "not moved");
                run.assertStillPolling();
            }
        }
    }

    @Test
    void endlessAnswerToTheSearchForOrphanedDeletionsHitsFetchTimeout() throws Exception {
        deliver(greenMail, "ivy", textMessage("routed before the search", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // after the rounds of a session's first poll, the messages flagged \Deleted and never expunged are looked
            // for (with a repository and delete=true): an answer that never ends, dripped below readTimeout
            proxy.answer("SEARCH DELETED", line -> HostileBytes.repeat("", "* SEARCH 1\r\n", HostileBytes.ENDLESS, ""),
                    400);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "delete=true&fetchTimeout=2000"
                    + "&idempotentRepository=#repository"))) {
                run.context().getRegistry().bind("repository", new MemoryIdempotentRepository());
                run.start();
                run.awaitProcessed("routed before the search");
                run.awaitError("127.0.0.1:" + proxy.port(), "UID SEARCH", "(fetchTimeout)");
                run.assertStillPolling();
            }
        }
    }

    /**
     * The search for orphaned deletions cannot name more messages than the folder holds either (plus
     * maxListedMessages): an answer without end, sent at full speed, is cut there, not read until fetchTimeout.
     */
    @Test
    void endlessAnswerToTheSearchForOrphanedDeletionsIsCutAtTheFoldersSize() throws Exception {
        deliver(greenMail, "ivy", textMessage("routed before the search", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("SEARCH DELETED", line -> HostileBytes.repeat("", "* SEARCH 1\r\n", HostileBytes.ENDLESS, ""),
                    0);
            // a deadline far beyond the wait: the search must end at the bound, not at fetchTimeout
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "delete=true&fetchTimeout=300000"
                    + "&idempotentRepository=#repository"))) {
                run.context().getRegistry().bind("repository", new MemoryIdempotentRepository());
                run.start();
                run.awaitProcessed("routed before the search");
                run.awaitError("127.0.0.1:" + proxy.port(), "UID SEARCH",
                        "more messages than the 1 the folder holds (EXISTS) plus maxListedMessages=50000");
                run.assertStillPolling();
            }
        }
    }

    @Test
    void readTimeoutNamesServerAndCommand() throws Exception {
        deliver(greenMail, "ivy", textMessage("patient", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("UID SEARCH", line -> text(""), 0); // swallowed: no answer
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "readTimeout=1000")).start()) {
                run.awaitError("IMAP server 127.0.0.1:" + proxy.port() + " did not answer UID SEARCH within 1000 ms"
                               + " (readTimeout)");
                run.awaitProcessed("patient");
            }
        }
    }

    @Test
    void fetchAnsweredWithoutTheMessagesIsLogged() throws Exception {
        deliver(greenMail, "ivy", textMessage("skipped once", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort());
             CapturedLog log = new CapturedLog()) {
            proxy.answer("UID FETCH", line -> text(tagOf(line) + " OK nothing for you\r\n"), 0);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=5000")).start()) {
                run.awaitProcessed("skipped once");
                assertTrue(log.text().contains("answered UID FETCH without the content of 1 message(s) asked for"
                                               + " (UIDs [1])"), log.text());
                assertEquals(List.of("skipped once"), run.processed());
            }
        }
    }

    @Test
    void loginThatNeverCompletesHitsLoginTimeout() throws Exception {
        deliver(greenMail, "ivy", textMessage("late", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("LOGIN", line -> HostileBytes.repeat("", "* OK still thinking\r\n", HostileBytes.ENDLESS, ""),
                    20);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "loginTimeout=2000")).start()) {
                run.awaitError("127.0.0.1:" + proxy.port(), "the login", "(loginTimeout)");
                run.awaitProcessed("late");
            }
        }
    }

    @Test
    void hugeLiteralAnnouncementIsRefusedBeforeItIsRead() throws Exception {
        deliver(greenMail, "ivy", textMessage("next", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // four 16 MiB literals in one response, items read into memory: refused at the first announcement
            proxy.answer("UID FETCH", line -> HostileBytes.of("* 1 FETCH (UID 1", i -> " X" + i + " {16777216}\r\n"
                    + "x".repeat(16), 4, ")\r\n" + tagOf(line) + " OK done\r\n"), 0);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=5000")).start()) {
                run.awaitError("127.0.0.1:" + proxy.port(), "UID FETCH", "exceeds the limit of 8388608");
                run.awaitProcessed("next");
            }
        }
    }

    @Test
    void roundAnsweredOutOfOrderIsRoutedInSortOrder() throws Exception {
        byte[] first = textMessage("first", "body 1");
        byte[] second = textMessage("second", "body 2");
        deliver(greenMail, "ivy", first);
        deliver(greenMail, "ivy", second);
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("UID FETCH", line -> text(fetch(2, second) + fetch(1, first) + tagOf(line) + " OK done\r\n"), 0);
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "fetchTimeout=5000")).start()) {
                run.awaitProcessed("second");
                assertEquals(List.of("first", "second"), run.processed().subList(0, 2));
            }
        }
    }

    private static String fetch(int uid, byte[] content) {
        return "* " + uid + " FETCH (UID " + uid + " FLAGS () RFC822.SIZE " + content.length + " BODY[] {" + content.length
               + "}\r\n" + new String(content, StandardCharsets.ISO_8859_1) + ")\r\n";
    }

    @Test
    void messageAboveMaxMessageSizeIsNotDownloadedAndStaysUnseen() throws Exception {
        deliver(greenMail, "ivy", textMessage("big", "x".repeat(5000)));
        deliver(greenMail, "ivy", textMessage("small", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "maxMessageSize=2000")).start()) {
                String error = run.awaitError("UID 1", "maxMessageSize=2000", "127.0.0.1:" + proxy.port());
                run.awaitProcessed("small");
                assertFalse(proxy.clientText().contains("UID FETCH 1 (UID FLAGS")
                            || proxy.clientText().contains("UID FETCH 1:"),
                        "the big message's content was never asked for: " + proxy.clientText());
                assertFalse(seen("big"), "stays unseen on the server");
                assertEquals(List.of("small"), run.processed(), error);
            }
        }
    }

    @Test
    void messageAboveMaxMessageSizeGoesToMoveFailedTo() throws Exception {
        deliver(greenMail, "ivy", textMessage("big", "x".repeat(5000)));
        io.catalystmail.camel.testsupport.GreenMailboxes.folder(greenMail, "ivy", "Failed");
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            try (HostileServerRun run = new HostileServerRun(uri(proxy, "maxMessageSize=2000&moveFailedTo=Failed"))
                    .start()) {
                run.awaitError("UID 1", "maxMessageSize=2000");
                io.catalystmail.camel.testsupport.Eventually.await(HostileServerRun.DEADLINE,
                        () -> messages(greenMail, "ivy", "Failed").size() == 1, () -> "moved to Failed");
                assertTrue(run.processed().isEmpty());
            }
        }
    }

    @Test
    void stopClosesTheSocketOfAPollStuckOnASilentServer() throws Exception {
        deliver(greenMail, "ivy", textMessage("stuck", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("UID FETCH", line -> text(""), 0); // swallowed: no answer ever comes
            HostileServerRun run = new HostileServerRun(uri(proxy, "readTimeout=60000&fetchTimeout=60000"));
            run.start();
            io.catalystmail.camel.testsupport.Eventually.await(HostileServerRun.DEADLINE, proxy::fired,
                    () -> "the FETCH was sent");
            run.close(); // within 10 s, not after readTimeout
            List<StoredMessage> inbox = messages(greenMail, "ivy", "INBOX");
            assertEquals(1, inbox.size());
            assertFalse(seen("stuck"), "nothing marked");
        }
    }
}
