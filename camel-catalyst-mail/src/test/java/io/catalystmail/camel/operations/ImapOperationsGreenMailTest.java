package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.imap.MailFolder;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import jakarta.mail.Flags;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every IMAP operation of the producer, and POP3 stat/list/uidl, against GreenMail through real sockets. */
class ImapOperationsGreenMailTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
            new com.icegreen.greenmail.util.ServerSetup[] { ServerSetupTest.IMAP.dynamicPort(),
                ServerSetupTest.POP3.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.org", "joe", "secret"))
            .withPerMethodLifecycle(true);

    private static String imap(String options) {
        return "catalystmail:imap:127.0.0.1:" + GREEN_MAIL.getImap().getPort()
                + "?username=joe&password=secret&allowInsecureAuth=true&" + options;
    }

    private Exchange send(String options, java.util.function.Consumer<Message> setup) {
        return template.send(imap(options), e -> setup.accept(e.getIn()));
    }

    private Exchange ok(String options, java.util.function.Consumer<Message> setup) {
        Exchange result = send(options, setup);
        assertNull(result.getException(), () -> String.valueOf(result.getException()));
        return result;
    }

    @SuppressWarnings("unchecked")
    private List<String> folderNames(String operation) {
        List<MailFolder> folders = ok("operation=" + operation, m -> { }).getMessage().getBody(List.class);
        return folders.stream().map(MailFolder::name).toList();
    }

    @Test
    void foldersWithNonAsciiNamesAreCreatedListedRenamedSubscribedAndDeleted() {
        ok("operation=create&folder=Проекты", m -> { });
        assertTrue(folderNames("list").contains("Проекты"), folderNames("list").toString());
        ok("operation=rename&folder=Проекты&destination=Entwürfe 2026", m -> { });
        assertTrue(folderNames("list").contains("Entwürfe 2026"));
        assertTrue(!folderNames("list").contains("Проекты"));
        ok("operation=subscribe&folder=Entwürfe 2026", m -> { });
        assertTrue(folderNames("lsub").contains("Entwürfe 2026"), folderNames("lsub").toString());
        ok("operation=unsubscribe&folder=Entwürfe 2026", m -> { });
        assertTrue(!folderNames("lsub").contains("Entwürfe 2026"));
        ok("operation=delete&folder=Entwürfe 2026", m -> { });
        assertTrue(!folderNames("list").contains("Entwürfe 2026"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void appendedMessageIsFoundByStatusSearchAndFetchAndItsFlagsChangeWithStore() throws Exception {
        Exchange appended = ok("operation=append&folder=INBOX&flags=\\Flagged $Project&from=me@example.org"
                + "&to=you@example.org&subject=Quarterly figures", m -> m.setBody("Numbers are up."));
        long uid = appended.getMessage().getHeader(CatalystMailConstants.UID, Long.class);
        assertTrue(uid > 0, "APPENDUID gives the new UID");
        assertEquals("Numbers are up.", appended.getMessage().getBody(String.class), "the body stays for the route");
        StoredMessage stored = GreenMailboxes.messages(GREEN_MAIL, "joe", "INBOX").get(0);
        assertTrue(stored.isSet(Flags.Flag.FLAGGED));

        Message status = ok("operation=status&folder=INBOX", m -> { }).getMessage();
        assertEquals(1L, status.getHeader(CatalystMailConstants.MESSAGES));
        assertEquals(1L, status.getHeader(CatalystMailConstants.UNSEEN));
        assertEquals(uid + 1, status.getHeader(CatalystMailConstants.UID_NEXT));
        assertEquals(1L, status.getBody(Map.class).get("MESSAGES"));

        Message search = ok("operation=search&folder=INBOX&search=SUBJECT \"Quarterly\"", m -> { }).getMessage();
        assertEquals(List.of(uid), search.getBody(List.class));
        assertEquals(List.of(), ok("operation=search", m -> m.setHeader(CatalystMailConstants.SEARCH,
                "SUBJECT \"nothing like it\"")).getMessage().getBody(List.class));

        Exchange fetched = ok("operation=fetch&folder=INBOX", m -> m.setHeader(CatalystMailConstants.UIDS, uid));
        assertEquals("Quarterly figures", fetched.getMessage().getHeader("Subject"));
        assertTrue(fetched.getMessage().getBody(String.class).contains("Numbers are up."));
        assertEquals(uid, fetched.getMessage().getHeader(CatalystMailConstants.UID));
        assertTrue(!stored.isSet(Flags.Flag.SEEN), "fetch peeks: \\Seen is not set");

        ok("operation=store&flags=\\Answered", m -> m.setHeader(CatalystMailConstants.UIDS, List.of(uid)));
        assertTrue(stored.isSet(Flags.Flag.ANSWERED));
        ok("operation=store&flags=\\Answered&storeMode=remove", m -> m.setHeader(CatalystMailConstants.UIDS, "" + uid));
        assertTrue(!stored.isSet(Flags.Flag.ANSWERED));
        assertTrue(stored.isSet(Flags.Flag.FLAGGED), "remove leaves the other flags");

        ok("operation=store&flags=$Only&storeMode=replace", m -> m.setHeader(CatalystMailConstants.UIDS, uid));
        assertTrue(!stored.isSet(Flags.Flag.FLAGGED) && stored.getFlags().contains("$Only"), "replace sets exactly these");

        GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("second", "two"));
        List<Message> both = ok("operation=fetch&search=ALL", m -> { }).getMessage().getBody(List.class);
        assertEquals(2, both.size());
        assertEquals("Quarterly figures", both.get(0).getHeader("Subject"));
        assertEquals("second", both.get(1).getHeader("Subject"));
    }

    @Test
    void aDraftWithoutRecipientsOrSenderIsAppendedAsItIs() throws Exception {
        ok("operation=create&folder=Entwürfe", m -> { });
        Exchange appended = ok("operation=append&folder=Entwürfe&flags=\\Draft&subject=Unfinished",
                m -> m.setBody("To be continued."));
        assertTrue(appended.getMessage().getHeader(CatalystMailConstants.UID, Long.class) > 0);
        assertEquals("Entwürfe", appended.getMessage().getHeader(CatalystMailConstants.FOLDER),
                "the folder header is the decoded name, not the wire's modified UTF-7");
        StoredMessage stored = GreenMailboxes.messages(GREEN_MAIL, "joe", "Entwürfe").get(0);
        assertTrue(stored.isSet(Flags.Flag.DRAFT));
        jakarta.mail.internet.MimeMessage draft = stored.getMimeMessage();
        assertEquals("Unfinished", draft.getSubject());
        assertNull(draft.getHeader("To"), "no To field is made up");
        assertNull(draft.getHeader("From"), "no From field is made up");
        assertNotNull(draft.getMessageID(), "a Message-ID as for any composed mail");
        assertTrue(String.valueOf(draft.getContent()).contains("To be continued."));
    }

    @Test
    void appendKeepsTheInternalDateGivenAndListTakesAPattern() throws Exception {
        java.time.Instant received = java.time.Instant.parse("2025-01-02T03:04:05Z");
        ok("operation=append&raw=true&folder=INBOX", m -> {
            m.setBody(GreenMailboxes.textMessage("old", "from last year"));
            m.setHeader(CatalystMailConstants.INTERNAL_DATE, received);
        });
        assertEquals(received, GreenMailboxes.messages(GREEN_MAIL, "joe", "INBOX").get(0).getReceivedDate().toInstant());
        ok("operation=create&folder=Reports", m -> { });
        ok("operation=create&folder=Receipts", m -> { });
        @SuppressWarnings("unchecked")
        List<MailFolder> matching = ok("operation=list", m -> m.setHeader(CatalystMailConstants.LIST_PATTERN, "Re%"))
                .getMessage().getBody(List.class);
        assertEquals(java.util.Set.of("Reports", "Receipts"),
                matching.stream().map(MailFolder::name).collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * A listed folder's name is the server's full name, levels joined by its delimiter (GreenMail's is {@code .}), as
     * Jakarta Mail's {@code Folder.getFullName()} is in camel-mail; it names the same folder in any folder option.
     */
    @Test
    void aListedNameHasTheServersDelimiterAndFitsTheFolderOptionAsItIs() {
        ok("operation=create&folder=Archive", m -> { });
        ok("operation=create&folder=Archive/2026", m -> { });
        @SuppressWarnings("unchecked")
        List<MailFolder> listed = ok("operation=list", m -> m.setHeader(CatalystMailConstants.LIST_PATTERN, "Archive*"))
                .getMessage().getBody(List.class);
        MailFolder year = listed.stream().filter(f -> f.name().endsWith("2026")).findFirst().orElseThrow();
        assertEquals("Archive.2026", year.name());
        assertEquals(".", year.delimiter());
        long filed = GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("filed", "body"));
        ok("operation=copy&destination=" + year.name(), m -> m.setHeader(CatalystMailConstants.UIDS, filed));
        assertEquals(1L, ok("operation=status&folder=" + year.name(), m -> { }).getMessage()
                .getHeader(CatalystMailConstants.MESSAGES, Long.class));
        assertEquals(1, GreenMailboxes.messages(GREEN_MAIL, "joe", "Archive.2026").size());
    }

    @Test
    void copyMoveAndExpungeWorkOnUids() {
        long one = GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("one", "1"));
        long two = GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("two", "2"));
        long three = GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("three", "3"));
        ok("operation=create&folder=Kopien", m -> { });
        ok("operation=create&folder=Ablage", m -> { });

        Exchange copied = ok("operation=copy&destination=Kopien", m -> m.setHeader(CatalystMailConstants.UIDS, one));
        assertEquals(1, copied.getMessage().getHeader(CatalystMailConstants.DESTINATION_UIDS, List.class).size());
        ok("operation=move&destination=Ablage", m -> m.setHeader(CatalystMailConstants.UIDS, two));
        assertEquals(1, GreenMailboxes.messages(GREEN_MAIL, "joe", "Kopien").size());
        assertEquals(1, GreenMailboxes.messages(GREEN_MAIL, "joe", "Ablage").size());
        assertEquals(List.of("one", "three"), subjects("INBOX"));

        ok("operation=store&flags=\\Deleted", m -> m.setHeader(CatalystMailConstants.UIDS, three));
        ok("operation=expunge", m -> m.setHeader(CatalystMailConstants.UIDS, three));
        assertEquals(List.of("one"), subjects("INBOX"));
        ok("operation=check", m -> { });
        ok("operation=close", m -> { });
    }

    /**
     * The connection kept the renamed folder selected under its old name: a fetch, store or expunge on a folder
     * created later with that name went to the renamed one's messages.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aFolderCreatedUnderARenamedFoldersNameIsTheOneWorkedOn() {
        ok("operation=create&folder=Reports", m -> { });
        ok("operation=append&raw=true&folder=Reports", m -> m.setBody(GreenMailboxes.textMessage("old", "2025")));
        assertEquals(List.of("old"), subjectsFetched("Reports"));
        ok("operation=rename&folder=Reports&destination=Reports 2025", m -> { });
        ok("operation=create&folder=Reports", m -> { });
        long fresh = ok("operation=append&raw=true&folder=Reports",
                m -> m.setBody(GreenMailboxes.textMessage("new", "2026"))).getMessage()
                .getHeader(CatalystMailConstants.UID, Long.class);

        assertEquals(List.of("new"), subjectsFetched("Reports"));
        ok("operation=store&folder=Reports&flags=\\Flagged", m -> m.setHeader(CatalystMailConstants.UIDS, fresh));
        assertTrue(GreenMailboxes.messages(GREEN_MAIL, "joe", "Reports").get(0).isSet(Flags.Flag.FLAGGED));
        assertTrue(!GreenMailboxes.messages(GREEN_MAIL, "joe", "Reports 2025").get(0).isSet(Flags.Flag.FLAGGED));
    }

    /**
     * The same with the rename made on another pooled connection, while the first one, which had selected the folder,
     * was lent to a streamed fetch: given back, it still counted the renamed folder as the one of that name.
     */
    @Test
    void aFolderRenamedOverAnotherPooledConnectionIsSelectedAgain() throws Exception {
        ok("operation=create&folder=Reports", m -> { });
        ok("operation=append&raw=true&folder=Reports", m -> m.setBody(GreenMailboxes.textMessage("old", "2025")));
        ok("operation=append&raw=true&folder=Reports", m -> m.setBody(GreenMailboxes.textMessage("older", "2024")));
        ok("operation=append&raw=true&folder=Reports", m -> m.setBody(GreenMailboxes.textMessage("oldest", "2023")));
        context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                // the fetch's connection stays lent while the split runs (a round per message; the split reads one
                // ahead, so three messages), and these operations take another one
                from("direct:walk")
                        .to(imap("operation=fetch&search=ALL&folder=Reports&fetchAs=iterator&fetchRoundSize=1"))
                        .split(body()).streaming().filter(exchangeProperty(Exchange.SPLIT_INDEX).isEqualTo(0)).process(e -> {
                            ok("operation=rename&folder=Reports&destination=Reports 2025", m -> { });
                            ok("operation=create&folder=Reports", m -> { });
                            ok("operation=append&raw=true&folder=Reports",
                                    m -> m.setBody(GreenMailboxes.textMessage("new", "2026")));
                        });
            }
        });
        template.sendBody("direct:walk", null);
        assertEquals(List.of("new"), GreenMailboxes.messages(GREEN_MAIL, "joe", "Reports").stream()
                .map(GreenMailboxes::subjectOf).toList());

        assertEquals(List.of("new"), subjectsFetched("Reports"));
    }

    @SuppressWarnings("unchecked")
    private List<String> subjectsFetched(String folder) {
        Message fetched = ok("operation=fetch&search=ALL&folder=" + folder, m -> { }).getMessage();
        return ((List<Message>) fetched.getBody(List.class)).stream().map(m -> m.getHeader("Subject", String.class))
                .toList();
    }

    private static List<String> subjects(String folder) {
        List<String> subjects = new ArrayList<>();
        for (StoredMessage m : GreenMailboxes.messages(GREEN_MAIL, "joe", folder)) {
            try {
                subjects.add(m.getMimeMessage().getSubject());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return subjects;
    }

    @Test
    void aRefusalNamesOperationFolderAndTheServersText() {
        Exchange result = send("operation=delete&folder=NoSuchFolder", m -> { });
        MailboxOperationException e = assertInstanceOf(MailboxOperationException.class, result.getException());
        assertTrue(e.getMessage().startsWith("delete (DELETE) on imap://127.0.0.1:"), e.getMessage());
        assertEquals("NoSuchFolder", e.folder());
        assertTrue(e.serverText().startsWith("NO"), e.serverText());
        // the connection answered in step and is lent again
        ok("operation=status&folder=INBOX", m -> { });
    }

    @Test
    void theOperationHeaderOverridesTheOptionAndConcurrentExchangesEachGetAConnection() throws Exception {
        ok("operation=status", m -> {
            m.setHeader(CatalystMailConstants.OPERATION, "create");
            m.setHeader(CatalystMailConstants.OPERATION_FOLDER, "FromHeader");
        });
        assertNotNull(GREEN_MAIL.getManagers().getImapHostManager()
                .getFolder(GREEN_MAIL.getUserManager().getUser("joe"), "FromHeader"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Exchange>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                results.add(pool.submit(() -> send("operation=append&raw=true&folder=FromHeader",
                        m -> m.setBody(GreenMailboxes.textMessage("parallel " + n, "body " + n)))));
            }
            for (Future<Exchange> f : results) {
                assertNull(f.get().getException());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(12, GreenMailboxes.messages(GREEN_MAIL, "joe", "FromHeader").size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void pop3StatListAndUidlDescribeTheMaildrop() {
        GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("a", "first"));
        GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("b", "second"));
        String pop3 = "catalystmail:pop3:127.0.0.1:" + GREEN_MAIL.getPop3().getPort()
                + "?username=joe&password=secret&allowInsecureAuth=true&operation=";
        Exchange stat = template.send(pop3 + "stat", e -> { });
        assertNull(stat.getException());
        assertEquals(2L, stat.getMessage().getHeader(CatalystMailConstants.MESSAGES));
        long size = stat.getMessage().getHeader(CatalystMailConstants.MAILDROP_SIZE, Long.class);
        Map<Integer, Long> sizes = template.send(pop3 + "list", e -> { }).getMessage().getBody(Map.class);
        assertEquals(size, sizes.values().stream().mapToLong(Long::longValue).sum());
        Map<Integer, String> ids = template.send(pop3 + "uidl", e -> { }).getMessage().getBody(Map.class);
        assertEquals(List.of(1, 2), new ArrayList<>(ids.keySet()));
        assertEquals(2, GreenMailboxes.messages(GREEN_MAIL, "joe", "INBOX").size(), "nothing was deleted");
    }
}
