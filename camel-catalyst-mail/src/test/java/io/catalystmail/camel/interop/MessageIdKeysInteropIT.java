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
 * On the real server: {@code idempotentKey=MESSAGE_ID} with a listing that keeps processed messages reads their
 * Message-IDs from the header fields (IMAP) or TOP (POP3), and never downloads a processed message again
 * (MessageIdKeysBeforeFetchTest shows it on GreenMail).
 */
class MessageIdKeysInteropIT extends InteropTestSupport {

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
