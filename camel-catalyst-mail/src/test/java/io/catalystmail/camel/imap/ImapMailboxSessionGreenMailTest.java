package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.mailbox.SearchKey;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.TlsFailureException;
import io.catalystmail.camel.testsupport.GreenMailCertificates;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The session end to end against GreenMail's IMAP and IMAPS servers. */
class ImapMailboxSessionGreenMailTest {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
            new com.icegreen.greenmail.util.ServerSetup[] {ServerSetupTest.IMAP.dynamicPort(),
                ServerSetupTest.IMAPS.dynamicPort()})
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.org", "joe", "se\"cr\\et"))
            .withPerMethodLifecycle(true);

    private static final Credentials JOE = new Credentials("joe", "se\"cr\\et", null, null);
    private static final Session MAIL = Session.getInstance(new Properties());

    private static ConnectionSettings imap() {
        return ConnectionSettings.plain("127.0.0.1", GREEN_MAIL.getImap().getPort(), Duration.ofSeconds(10));
    }

    private static GreenMailUser user() {
        return GREEN_MAIL.getUserManager().getUser("joe");
    }

    private static MailFolder inbox() throws Exception {
        return GREEN_MAIL.getManagers().getImapHostManager().getInbox(user());
    }

    private static byte[] raw(int n, String from, String subject) {
        return ("From: " + from + "\r\nTo: joe@example.org\r\nSubject: " + subject + "\r\nMessage-ID: <" + n
                + "@test.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nMessage " + n + " f\u00fcr Joe.\r\n" + "line\r\n".repeat(n % 7))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void append(MailFolder folder, byte[] raw, Instant arrival, Flags flags) throws Exception {
        folder.appendMessage(new MimeMessage(MAIL, new ByteArrayInputStream(raw)), flags, Date.from(arrival));
    }

    private static List<String> ids(List<MessageRef> refs) {
        return refs.stream().map(MessageRef::id).toList();
    }

    @Test
    void listsWithFiltersOrdersAndLimitsThenFetchesAndAppliesActions() throws Exception {
        MailFolder inbox = inbox();
        Map<String, byte[]> stored = new HashMap<>();
        String[][] mails = {
            {"alice@example.org", "Invoice 1", "2023-05-01T10:00:00Z"},
            {"bob@example.org", "Lunch", "2023-01-01T10:00:00Z"},
            {"alice@example.org", "Invoice 2", "2024-02-01T10:00:00Z"},
            {"carol@example.org", "Invoice 3", "2022-01-01T10:00:00Z"},
        };
        for (int i = 0; i < mails.length; i++) {
            byte[] raw = raw(i, mails[i][0], mails[i][1]);
            append(inbox, raw, Instant.parse(mails[i][2]), i == 1 ? new Flags(Flags.Flag.SEEN) : new Flags());
            stored.put(mails[i][1], raw);
        }
        try (ImapMailboxSession session = new ImapMailboxSession(imap(), JOE, "INBOX")) {
            session.open();
            assertEquals(inbox.getUidValidity(), session.uidValidity());
            List<MessageRef> all = session.list(SearchFilter.ALL, false, MessageOrder.UID_ASCENDING, 0);
            assertEquals(4, all.size());
            List<String> uids = ids(all);
            assertTrue(all.get(0).identity().startsWith("imap://joe@127.0.0.1:" + GREEN_MAIL.getImap().getPort()
                    + "/INBOX;UIDVALIDITY=" + inbox.getUidValidity() + "/;UID="));
            assertEquals(List.of(uids.get(0), uids.get(2), uids.get(3)),
                    ids(session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0)));
            // GreenMail compares FROM with a whole address (RFC 3501 asks for a substring), so give it one
            assertEquals(List.of(uids.get(2), uids.get(0)), ids(session.list(new SearchFilter(
                    new SearchKey.HeaderContains("FROM", "alice@example.org")), false, MessageOrder.UID_DESCENDING, 0)));
            SearchKey invoicesNotFromCarol = new SearchKey.And(List.of(new SearchKey.HeaderContains("subject", "invoice"),
                    new SearchKey.Not(new SearchKey.HeaderContains("from", "carol@example.org"))));
            assertEquals(List.of(uids.get(0), uids.get(2)),
                    ids(session.list(new SearchFilter(invoicesNotFromCarol), false, MessageOrder.UID_ASCENDING, 0)));
            SearchKey since2023 = new SearchKey.DateKey(SearchKey.DateField.INTERNAL, SearchKey.DateComparison.SINCE,
                    new SearchKey.AbsoluteDay(java.time.LocalDate.of(2023, 1, 1)));
            assertEquals(List.of(uids.get(1), uids.get(0), uids.get(2)),
                    ids(session.list(new SearchFilter(since2023), false, MessageOrder.DATE_ASCENDING, 0)));
            assertEquals(List.of(uids.get(2), uids.get(0)),
                    ids(session.list(SearchFilter.ALL, false, MessageOrder.DATE_DESCENDING, 2)));

            Map<String, byte[]> fetched = new LinkedHashMap<>();
            Map<MessageRef, Exception> failures = session.fetch(all, m -> {
                byte[] bytes = m.content().readAllBytes();
                assertEquals(m.size(), bytes.length);
                fetched.put(m.ref().id(), bytes);
            });
            assertEquals(Map.of(), failures);
            assertEquals(uids, new ArrayList<>(fetched.keySet()));
            for (int i = 0; i < mails.length; i++) {
                assertArrayEquals(stored.get(mails[i][1]), fetched.get(uids.get(i)), mails[i][1]);
            }
            // BODY.PEEK: fetching changed nothing
            assertEquals(3, session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0).size());

            session.apply(Map.of(all.get(0), new AfterProcessing(true, false, null, null),
                    all.get(3), new AfterProcessing(false, true, null, null)));
            session.commit(); // deletions become final once per poll
            assertEquals(List.of(uids.get(2)), ids(session.list(SearchFilter.ALL, true, MessageOrder.UID_ASCENDING, 0)));
            assertEquals(List.of(uids.get(0), uids.get(1), uids.get(2)),
                    ids(session.list(SearchFilter.ALL, false, MessageOrder.UID_ASCENDING, 0)));
            assertEquals(3, inbox.getMessageCount());
        }
    }

    @Test
    void movesAndCopiesIntoAFolderWithANonAsciiName() throws Exception {
        MailFolder inbox = inbox();
        for (int i = 0; i < 3; i++) {
            append(inbox, raw(i, "dave@example.org", "Move me " + i), Instant.parse("2024-01-0" + (i + 1) + "T00:00:00Z"),
                    new Flags());
        }
        String drafts = "Entw\u00fcrfe \u65e5\u672c & Co";
        try (ImapConnection c = ImapConnection.connect(imap())) {
            c.authenticate(JOE);
            c.execute(new ImapCommand("CREATE").mailbox(drafts), null, null);
            c.logout();
        }
        try (ImapMailboxSession session = new ImapMailboxSession(imap(), JOE, "INBOX")) {
            session.open();
            List<MessageRef> refs = session.list(SearchFilter.ALL, false, MessageOrder.UID_ASCENDING, 0);
            Map<MessageRef, AfterProcessing> actions = new LinkedHashMap<>();
            actions.put(refs.get(0), new AfterProcessing(true, false, drafts, null));
            actions.put(refs.get(1), new AfterProcessing(false, false, null, drafts));
            session.apply(actions);
            assertEquals(List.of(refs.get(1).id(), refs.get(2).id()),
                    ids(session.list(SearchFilter.ALL, false, MessageOrder.UID_ASCENDING, 0)));
        }
        try (ImapMailboxSession target = new ImapMailboxSession(imap(), JOE, drafts)) {
            target.open();
            List<MessageRef> there = target.list(SearchFilter.ALL, false, MessageOrder.UID_ASCENDING, 0);
            assertEquals(2, there.size());
            List<String> subjects = new ArrayList<>();
            target.fetch(there, m -> subjects.add(new String(m.content().readAllBytes(), StandardCharsets.UTF_8)
                    .lines().filter(l -> l.startsWith("Subject: ")).findFirst().orElseThrow() + " " + m.flags()));
            // copies go before moves, so the copied message arrived first
            assertEquals(List.of("Subject: Move me 1 []", "Subject: Move me 0 [\\Seen]"), subjects);
            assertTrue(there.get(0).identity().contains("/Entw%C3%BCrfe%20%E6%97%A5%E6%9C%AC%20%26%20Co;UIDVALIDITY="),
                    there.get(0).identity());
        }
    }

    @Test
    void thousandMessagesListedAndFetchedInRoundsOfFifty() throws Exception {
        MailFolder inbox = inbox();
        List<byte[]> stored = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] raw = raw(i, "bulk@example.org", "Bulk " + i);
            stored.add(raw);
            append(inbox, raw, Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i), new Flags());
        }
        try (ImapMailboxSession session = new ImapMailboxSession(imap(), JOE, "INBOX")) {
            session.open();
            List<MessageRef> refs = session.list(SearchFilter.ALL, true, MessageOrder.DATE_ASCENDING, 0);
            assertEquals(1000, refs.size());
            List<byte[]> fetched = new ArrayList<>();
            for (int from = 0; from < refs.size(); from += 50) {
                Map<MessageRef, Exception> failures = session.fetch(refs.subList(from, from + 50),
                        m -> fetched.add(m.content().readAllBytes()));
                assertEquals(Map.of(), failures);
            }
            assertEquals(1000, fetched.size());
            for (int i = 0; i < 1000; i++) {
                assertArrayEquals(stored.get(i), fetched.get(i), "message " + i);
            }
            assertTrue(session.isAlive());
        }
    }

    @Test
    void imapsTrustsTheTestCertificateButItNamesNoHost() throws Exception {
        ConnectionSettings verified = new ConnectionSettings("localhost", GREEN_MAIL.getImaps().getPort(), true,
                io.catalystmail.camel.net.StartTlsMode.DISABLED, GreenMailCertificates.trustingClientContext(), true,
                Duration.ofSeconds(10), Duration.ofSeconds(10), false);
        ImapMailboxSession refused = new ImapMailboxSession(verified, JOE, "INBOX");
        TlsFailureException e = assertThrows(TlsFailureException.class, refused::open);
        assertTrue(e.getMessage().contains("does not name this host"), e.getMessage());

        append(inbox(), raw(1, "tls@example.org", "Over TLS"), Instant.now(), new Flags());
        ConnectionSettings unverifiedName = new ConnectionSettings("localhost", GREEN_MAIL.getImaps().getPort(), true,
                io.catalystmail.camel.net.StartTlsMode.DISABLED, GreenMailCertificates.trustingClientContext(), false,
                Duration.ofSeconds(10), Duration.ofSeconds(10), false);
        try (ImapMailboxSession session = new ImapMailboxSession(unverifiedName, JOE, "INBOX")) {
            session.open();
            assertEquals(inbox().getUidValidity(), session.uidValidity());
            List<MessageRef> refs = session.list(SearchFilter.ALL, false, MessageOrder.UID_ASCENDING, 0);
            assertEquals(1, refs.size());
            List<byte[]> bodies = new ArrayList<>();
            session.fetch(refs, m -> bodies.add(m.content().readAllBytes()));
            assertArrayEquals(raw(1, "tls@example.org", "Over TLS"), bodies.get(0));
        }
    }
}
