package io.catalystmail.camel.interop;

import static io.catalystmail.camel.interop.InteropServers.HOST;
import static io.catalystmail.camel.interop.InteropServers.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.imap.ImapConnection;
import io.catalystmail.camel.imap.ImapFolderOperations;
import io.catalystmail.camel.imap.ImapMessageOperations;
import io.catalystmail.camel.imap.ImapMessageOperations.StoreMode;
import io.catalystmail.camel.mailbox.SearchKey;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.testsupport.Eventually;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

/**
 * A store and an expunge of 16,384 scattered UIDs (every other message of 32,768) on the real server: spelt out in
 * one command that is about 93 KB, past Dovecot's imap_max_line_length of 64 KiB; sent in pieces of at most 8,000
 * octets, every other message is flagged and expunged and the rest stay. Then a consumer takes the 16,384 left, as
 * scattered, in one round (fetchRoundSize=16384) with moveTo: its UID FETCH and UID MOVE go in pieces as well.
 */
class LongUidSetsInteropIT extends InteropTestSupport {

    private static final String USER = "carol";
    private static final String FOLDER = "LongUidSets";
    private static final String DONE = "LongUidSetsDone";
    private static final int MESSAGES = 1 << 15;

    @Test
    void aStoreAndExpungeOfSixteenThousandScatteredUidsRemoveExactlyThoseAndOneConsumerRoundTakesTheRest()
            throws Exception {
        Mailboxes.empty(USER);
        Mailboxes.createFolder(USER, FOLDER);
        Mailboxes.createFolder(USER, DONE);
        MimeMessage m = new MimeMessage((Session) null);
        m.setSubject("one of many");
        m.setText("a small body");
        Mailboxes.append(USER, FOLDER, List.of(m));
        ConnectionSettings settings = new ConnectionSettings(HOST, InteropServers.IMAP, false, StartTlsMode.REQUIRED,
                InteropServers.trust().createSSLContext(context), true, Duration.ofSeconds(60),
                Duration.ofSeconds(60), false);
        try (ImapConnection c = ImapConnection.connect(settings)) {
            c.authenticate(new Credentials(USER, PASSWORD, null, null));
            ImapFolderOperations folders = new ImapFolderOperations(c);
            ImapMessageOperations messages = new ImapMessageOperations(c);
            folders.select(FOLDER);
            // doubled by copies of the whole folder into itself: UIDs 1..32768, one range each time
            for (long held = 1; held < MESSAGES; held *= 2) {
                messages.copy(range(1, held), FOLDER);
            }
            folders.select(FOLDER);
            assertEquals(MESSAGES, c.exists());
            List<Long> even = new ArrayList<>();
            for (long uid = 2; uid <= MESSAGES; uid += 2) {
                even.add(uid);
            }
            messages.store(even, StoreMode.ADD, List.of("\\Deleted"));
            assertTrue(messages.expunge(even));
            folders.select(FOLDER);
            assertEquals(MESSAGES / 2, c.exists());
            assertEquals(0, messages.searchUids(new SearchKey.All(), Instant.now(), 1, "DELETED").total());
            assertEquals(List.of(1L, 3L, 5L), messages.searchUids(new SearchKey.All(), Instant.now(), 3).uids());
        }
        AtomicInteger routed = new AtomicInteger();
        getMockEndpoint("mock:result").setRetainFirst(0);
        try (ProtocolLog log = new ProtocolLog()) {
            route("catalystmail:imaps:" + HOST + ":" + InteropServers.IMAPS + "?username=" + USER + "&password=RAW("
                  + PASSWORD + ")&sslContextParameters=#" + InteropServers.TLS_BEAN + "&folder=" + FOLDER
                  + "&moveTo=" + DONE + "&fetchRoundSize=" + MESSAGES / 2 + "&maxMessagesPerPoll=" + MESSAGES / 2
                  + "&initialDelay=0&delay=1000", e -> routed.incrementAndGet());
            Eventually.await(Duration.ofSeconds(120), () -> Mailboxes.count(USER, DONE) == MESSAGES / 2,
                    () -> routed.get() + " routed, " + Mailboxes.count(USER, DONE) + " moved");
            context.getRouteController().stopRoute("mail");
            assertEquals(MESSAGES / 2, routed.get(), "each message routed once");
            assertEquals(0, Mailboxes.count(USER, FOLDER));
            // one round of 16,384 UIDs of five digits and commas: about 96 KB spelt out, sent as 12 or 13 pieces
            int fetches = log.count(" UID FETCH ");
            int moves = log.count(" UID MOVE ");
            assertTrue(fetches >= 12 && moves >= 12, () -> fetches + " FETCH, " + moves + " MOVE commands");
        }
        Mailboxes.empty(USER);
    }

    private static List<Long> range(long from, long to) {
        List<Long> uids = new ArrayList<>();
        for (long uid = from; uid <= to; uid++) {
            uids.add(uid);
        }
        return uids;
    }
}
