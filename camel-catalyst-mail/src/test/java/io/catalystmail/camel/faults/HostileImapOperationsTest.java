package io.catalystmail.camel.faults;

import java.time.Duration;
import java.util.List;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.operations.MailboxOperationException;
import io.catalystmail.camel.operations.MailboxOperationFailedException;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.HostileBytes;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static io.catalystmail.camel.testsupport.HostileBytes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IMAP operations producer (operation=status, list, search, fetch) meets a hostile server: a {@link FaultProxy} in
 * front of GreenMail replaces one answer, once. Each case shows the exchange fails naming server, command and what
 * was wrong, within its deadline, and that the next exchange works: on the same connection after a refusal (the
 * answer was read whole), on a fresh one after anything else (the proxy counts the connections).
 */
class HostileImapOperationsTest {

    @RegisterExtension
    static GreenMailExtension greenMail = HostileServerRun.greenMail(ServerSetupTest.IMAP, "ops");

    /** Far beyond what a test waits: where a test needs the answer cut, this deadline is not what cuts it. */
    private static final Duration NO_LONGER = Duration.ofSeconds(60);

    private final DefaultCamelContext context = new DefaultCamelContext();
    private ProducerTemplate template;

    @AfterEach
    void stop() {
        context.stop();
    }

    private Exchange request(FaultProxy proxy, String options) {
        return request(proxy, options, e -> { });
    }

    private Exchange request(FaultProxy proxy, String options, Processor headers) {
        if (template == null) {
            context.start();
            template = context.createProducerTemplate();
        }
        return template.send(HostileServerRun.uri("imap", proxy.port(), "ops", options), headers);
    }

    /** Every message of the chain, the outermost first. */
    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    private static void assertNames(Throwable failure, String... parts) {
        String text = messages(failure);
        for (String part : parts) {
            assertTrue(text.contains(part), () -> "'" + part + "' missing from: " + text);
        }
    }

    /** The next status exchange succeeds, over as many connections in all as {@code connections}. */
    private void assertNextStatusWorks(FaultProxy proxy, int connections) {
        Exchange next = request(proxy, "operation=status&folder=INBOX&fetchTimeout=5000");
        assertNull(next.getException(), () -> messages(next.getException()));
        assertEquals(connections, proxy.connections());
    }

    @Test
    void aTaggedAnswerForAnotherTagDropsTheConnection() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("STATUS", line -> text("* STATUS INBOX (MESSAGES 1)\r\nX999 OK done\r\n"), 0);
            Exchange failed = request(proxy, "operation=status&folder=INBOX&fetchTimeout=5000");
            assertInstanceOf(MailboxOperationFailedException.class, failed.getException());
            assertNames(failed.getException(), "127.0.0.1:" + proxy.port(), "STATUS", "unknown tag 'X999'");
            assertNextStatusWorks(proxy, 2);
        }
    }

    /**
     * A BYE in place of the answer (RFC 3501 §7.1.5: the server is about to close) is no refusal: a COPY the server
     * may have carried out first leaves its outcome unknown, as a cut connection does, or a retrying route would copy
     * twice after reading "refused".
     */
    @Test
    void aByeInsteadOfTheAnswerNamesTheServersReasonAndLeavesACopysOutcomeUnknown() throws Exception {
        deliver(greenMail, "ops", textMessage("copied", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("UID COPY", line -> HostileBytes.thenCut("* BYE shutting down for maintenance\r\n"), 0);
            Exchange failed = request(proxy, "operation=copy&folder=INBOX&destination=Archive&fetchTimeout=5000",
                    e -> e.getMessage().setHeader(CatalystMailConstants.UIDS, 1L));
            MailboxOperationFailedException e = assertInstanceOf(MailboxOperationFailedException.class,
                    failed.getException());
            assertTrue(e.commandSent());
            assertEquals("copy on imap://127.0.0.1:" + proxy.port() + " (folder 'INBOX', destination 'Archive'):"
                    + " outcome unknown, the command was sent and the server may have carried it out before the answer"
                    + " was lost (check before retrying: a retry may do it twice): IMAP server 127.0.0.1:" + proxy.port()
                    + " ended the session (BYE) during UID COPY: shutting down for maintenance", e.getMessage());
            assertNextStatusWorks(proxy, 2);
        }
    }

    /** A literal far beyond any a non-body item may have is refused from its announcement, not read. */
    @Test
    void aTwoGigabyteLiteralAnnouncedInAStatusAnswerIsRefusedUnread() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("STATUS", line -> HostileBytes.repeat("* STATUS {2147483648}\r\n", "x",
                    HostileBytes.ENDLESS, ""), 0);
            Exchange failed = assertTimeoutPreemptively(NO_LONGER,
                    () -> request(proxy, "operation=status&folder=INBOX&fetchTimeout=300000"));
            assertNames(failed.getException(), "127.0.0.1:" + proxy.port(), "STATUS", "2147483648");
            assertNextStatusWorks(proxy, 2);
        }
    }

    @Test
    void aFetchCutInsideTheMessagesLiteralNamesTheMessage() throws Exception {
        deliver(greenMail, "ops", textMessage("cut", "a body long enough to be cut in the middle of it"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.arm(FaultProxy.Direction.SERVER_TO_CLIENT, "BODY[] {", 40, FaultProxy.Fault.CUT);
            Exchange failed = request(proxy, "operation=fetch&folder=INBOX&search=ALL&fetchTimeout=5000");
            assertNames(failed.getException(), "127.0.0.1:" + proxy.port(), "UID FETCH",
                    "closed the connection");
            assertNextStatusWorks(proxy, 2);
        }
    }

    /**
     * A SEARCH answer cannot name more messages than the folder holds (its EXISTS) plus the consumer's default
     * maxListedMessages, for mail arriving meanwhile (SearchOnAKeptConnectionTest): one without end is cut there, not read until fetchTimeout (it was: memory stayed
     * bounded, the UIDs being one range, but the exchange waited out the deadline, 10 minutes by default).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "search, operation=search&folder=INBOX", "fetch, operation=fetch&folder=INBOX&search=ALL" })
    void anEndlessSearchAnswerIsCutAtTheFoldersSize(String operation, String options) throws Exception {
        deliver(greenMail, "ops", textMessage("one", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("UID SEARCH", line -> HostileBytes.of("* SEARCH", i -> " " + (i + 1),
                    HostileBytes.ENDLESS, ""), 0);
            // a deadline far beyond the wait: the answer must end at the bound
            Exchange failed = assertTimeoutPreemptively(NO_LONGER,
                    () -> request(proxy, options + "&fetchTimeout=300000"));
            MailboxOperationFailedException e = assertInstanceOf(MailboxOperationFailedException.class,
                    failed.getException());
            assertEquals(operation + " on imap://127.0.0.1:" + proxy.port() + " (folder 'INBOX') failed: IMAP server"
                    + " 127.0.0.1:" + proxy.port() + " broke the protocol answering UID SEARCH: its SEARCH answer names"
                    + " more messages than the 1 the folder holds (EXISTS) plus 50000 (the consumer's default"
                    + " maxListedMessages) for mail arriving meanwhile; the answer was abandoned there; the connection"
                    + " is dropped",
                    e.getMessage());
            assertNextStatusWorks(proxy, 2);
        }
    }

    /**
     * An answer trickled a few bytes a second, each read well within readTimeout, ends at the operation's deadline
     * (fetchTimeout), naming the operation and the command it was stuck at.
     */
    @Test
    void anAnswerDrippedJustUnderReadTimeoutEndsAtFetchTimeout() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("STATUS", line -> HostileBytes.repeat("* STATUS INBOX (", "X 1 ", HostileBytes.ENDLESS, ""),
                    20);
            Exchange failed = assertTimeoutPreemptively(NO_LONGER,
                    () -> request(proxy, "operation=status&folder=INBOX&readTimeout=1000&fetchTimeout=2000"));
            assertEquals("status on imap://127.0.0.1:" + proxy.port() + " (folder 'INBOX') failed: IMAP server"
                    + " 127.0.0.1:" + proxy.port() + " did not complete status (at STATUS) within 2000 ms (fetchTimeout);"
                    + " the connection was dropped", failed.getException().getMessage());
            assertNextStatusWorks(proxy, 2);
        }
    }

    /** A LIST without end keeps MAX_FOLDERS folders, counts the rest and ends at fetchTimeout. */
    @Test
    void anEndlessListEndsAtFetchTimeout() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("\"*\"", line -> HostileBytes.of("", i -> "* LIST () \"/\" \"folder " + i + "\"\r\n",
                    HostileBytes.ENDLESS, ""), 0);
            Exchange failed = assertTimeoutPreemptively(NO_LONGER,
                    () -> request(proxy, "operation=list&fetchTimeout=2000"));
            assertEquals("list on imap://127.0.0.1:" + proxy.port() + " failed: IMAP server 127.0.0.1:" + proxy.port()
                    + " did not complete list (at LIST) within 2000 ms (fetchTimeout); the connection was dropped",
                    failed.getException().getMessage());
            assertNextStatusWorks(proxy, 2);
        }
    }

    /** A refusal is read whole: the exchange fails naming it, and the connection serves the next exchange. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "NO|NO (the server gave no text)|NO: (the server gave no text)",
            "BAD|BAD (the server gave no text)|BAD: (the server gave no text)",
            "NO [OVERQUOTA] no room|NO [OVERQUOTA] no room|NO [OVERQUOTA]: no room" })
    void aRefusalWithOrWithoutTextFailsTheExchangeAndKeepsTheConnection(String answer, String shown, String answered)
            throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("STATUS", line -> HostileBytes.text(FaultProxy.tagOf(line) + " " + answer + "\r\n"), 0);
            Exchange refused = request(proxy, "operation=status&folder=INBOX&fetchTimeout=5000");
            MailboxOperationException e = assertInstanceOf(MailboxOperationException.class, refused.getException());
            assertEquals("status (STATUS) on imap://127.0.0.1:" + proxy.port() + " (folder 'INBOX') refused: "
                    + shown, e.getMessage());
            assertEquals("IMAP server 127.0.0.1:" + proxy.port() + " answered STATUS with " + answered,
                    e.getCause().getMessage());
            assertNextStatusWorks(proxy, 1);
        }
    }

    /**
     * Folder names of a megabyte each (literals, within the reader's bound of one response): the folders kept stop at
     * MAX_FOLDER_CHARS (16 MiB), not at MAX_FOLDERS of them (which would be gigabytes), and the rest are counted.
     */
    @Test
    void aListOfMegabyteFolderNamesKeepsNoMoreThanItsBudget() throws Exception {
        String name = "n".repeat(1_000_000 - 8);
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort());
             CapturedLog log = new CapturedLog()) {
            proxy.answer("\"*\"", line -> HostileBytes.of("", i -> "* LIST () \"/\" {1000000}\r\n"
                    + String.format("%08d", i) + name + "\r\n", 40, FaultProxy.tagOf(line) + " OK listed\r\n"), 0);
            Exchange listed = request(proxy, "operation=list&fetchTimeout=30000");
            assertNull(listed.getException(), () -> messages(listed.getException()));
            // 17 names of 1,000,000 characters reach 16 MiB: the 18th and later are counted, not kept
            assertEquals(17, listed.getMessage().getBody(List.class).size());
            assertTrue(log.text().contains("IMAP server 127.0.0.1:" + proxy.port() + " listed 23 more folders than the"
                    + " 17 kept for LIST (at most 10000 folders and 16777216 characters of names and attributes)"),
                    log.text());
            assertNextStatusWorks(proxy, 1);
        }
    }

    /**
     * ESEARCH lines without end (RFC 4731 answers a command with one) count against the same bound: they were kept in
     * a list until the tagged answer, read until fetchTimeout.
     */
    @Test
    void endlessEsearchLinesAreCutAtTheFoldersSize() throws Exception {
        deliver(greenMail, "ops", textMessage("one", "body"));
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("UID SEARCH", line -> HostileBytes.repeat("", "* ESEARCH (TAG \"" + FaultProxy.tagOf(line)
                    + "\") UID ALL 1\r\n", HostileBytes.ENDLESS, ""), 0);
            Exchange failed = assertTimeoutPreemptively(NO_LONGER,
                    () -> request(proxy, "operation=search&folder=INBOX&fetchTimeout=300000"));
            assertEquals("search on imap://127.0.0.1:" + proxy.port() + " (folder 'INBOX') failed: IMAP server"
                    + " 127.0.0.1:" + proxy.port() + " broke the protocol answering UID SEARCH: its SEARCH answer names"
                    + " more messages than the 1 the folder holds (EXISTS) plus 50000 (the consumer's default"
                    + " maxListedMessages) for mail arriving meanwhile; the answer was abandoned there; the connection"
                    + " is dropped",
                    failed.getException().getMessage());
            assertNextStatusWorks(proxy, 2);
        }
    }
}
