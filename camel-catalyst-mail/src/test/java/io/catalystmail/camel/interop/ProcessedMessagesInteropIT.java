package io.catalystmail.camel.interop;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FinishedPolls;
import org.apache.camel.BindToRegistry;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.catalystmail.camel.interop.InteropServers.HOST;
import static io.catalystmail.camel.interop.InteropServers.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On the real server: with {@code unseen=false} and an idempotent repository, the messages processed before are
 * listed by every poll, and the one UID SEARCH UID set SEEN that asks which are \Seen already keeps the consumer from
 * storing \Seen again, or copying again, poll after poll (ProcessedSeenMessagesLeftAloneTest shows it on GreenMail).
 * With {@code idempotentKey=MESSAGE_ID} such a listing has the Message-IDs read from the header fields (IMAP) or TOP
 * (POP3), and no processed message is downloaded again (MessageIdKeysBeforeFetchTest on GreenMail).
 */
class ProcessedMessagesInteropIT extends InteropTestSupport {

    private static final String USER = "carol";

    private final String run = UUID.randomUUID().toString();

    @BindToRegistry("processed")
    private final MemoryIdempotentRepository processed = new MemoryIdempotentRepository();

    @BindToRegistry("polls")
    private final FinishedPolls polls = new FinishedPolls();

    @BeforeEach
    void emptyMailbox() {
        Mailboxes.empty(USER);
    }

    private void append(String subject) throws Exception {
        Mailboxes.appendText(USER, "INBOX", subject + " " + run, "text of " + subject);
    }

    @Test
    void messagesProcessedAndSeenGetNoStoreAndNoCopyInLaterPolls() throws Exception {
        Mailboxes.createFolder(USER, "Copies");
        append("first");
        append("second");
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(2);
        mock.setResultWaitTime(20_000);
        try (ProtocolLog log = new ProtocolLog()) {
            route("catalystmail:imap:" + HOST + ":" + InteropServers.IMAP + "?username=" + USER + "&password=RAW("
                  + PASSWORD + ")&initialDelay=0&delay=100&unseen=false&copyTo=Copies&idempotentRepository=#processed"
                  + "&pollStrategy=#polls&sslContextParameters=#" + InteropServers.TLS_BEAN, e -> { });
            io.catalystmail.camel.testsupport.Eventually.await(java.time.Duration.ofSeconds(20),
                    () -> mock.getReceivedCounter() == 2, () -> "routed " + mock.getReceivedCounter() + "; the log: "
                            + log.text().substring(Math.max(0, log.text().length() - 3000)));
            polls.await(1);
            int before = log.text().length();
            polls.await(5);
            List<String> later = log.text().substring(before).lines()
                    .filter(l -> l.contains("C: ")).toList();
            assertTrue(later.stream().anyMatch(l -> l.contains("UID SEARCH") && l.endsWith(" SEEN")),
                    "later polls asked which are \\Seen: " + later);
            assertEquals(List.of(), later.stream().filter(l -> l.contains("STORE") || l.contains("COPY")).toList());
            assertEquals(2, Mailboxes.count(USER, "Copies"), "one copy each");
            assertEquals(2, mock.getReceivedCounter(), "routed once each");
        }
    }

    @Test
    void imapDownloadsNoProcessedMessageAgain() throws Exception {
        laterPollsDownloadNothing("imap", InteropServers.IMAP, "&unseen=false", "BODY.PEEK[]", "HEADER.FIELDS");
    }

    @Test
    void pop3RetrievesNoProcessedMessageAgain() throws Exception {
        laterPollsDownloadNothing("pop3", InteropServers.POP3, "", "RETR", "TOP");
    }

    private void laterPollsDownloadNothing(String protocol, int port, String options, String download, String header)
            throws Exception {
        Mailboxes.appendText(USER, "INBOX", "first " + run, "text of first");
        Mailboxes.appendText(USER, "INBOX", "second " + run, "text of second");
        MockEndpoint mock = getMockEndpoint("mock:result");
        try (ProtocolLog log = new ProtocolLog()) {
            route("catalystmail:" + protocol + ":" + HOST + ":" + port + "?username=" + USER + "&password=RAW("
                  + PASSWORD + ")&initialDelay=0&delay=100&idempotentKey=MESSAGE_ID&idempotentRepository=#processed"
                  + "&pollStrategy=#polls&sslContextParameters=#" + InteropServers.TLS_BEAN + options, e -> { });
            Eventually.await(Duration.ofSeconds(20), () -> mock.getReceivedCounter() == 2,
                    () -> "routed " + mock.getReceivedCounter());
            polls.await(1);
            int before = log.text().length();
            polls.await(5);
            List<String> later = log.text().substring(before).lines().filter(l -> l.contains("C: ")).toList();
            assertTrue(later.stream().anyMatch(l -> l.contains(header)), "later polls read the headers: " + later);
            assertEquals(List.of(), later.stream().filter(l -> l.contains(download)).toList());
            assertEquals(2, mock.getReceivedCounter(), "routed once each");
        }
    }
}
