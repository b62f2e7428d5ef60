package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Folder names from our options resolved through the server's personal namespace and delimiter (RFC 2342), as on
 * Cyrus and Courier with their default layout: personal folders under "INBOX." with "." as delimiter.
 */
class MailboxNamesTest {

    private static final MailboxNames CYRUS = MailboxNames.of("INBOX.", '.', List.of("user.", "shared."));

    private ScriptedImapServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sessionOnAnInboxNamespaceServerSelectsMovesAndCopiesTheResolvedNames() throws Exception {
        server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1 NAMESPACE UIDPLUS MOVE] Cyrus-like ready")
                .expect("LOGIN \"joe\" \"secret\"")
                .send("{tag} OK [CAPABILITY IMAP4rev1 NAMESPACE UIDPLUS MOVE] logged in")
                .expect("NAMESPACE")
                .send("* NAMESPACE ((\"INBOX.\" \".\")) ((\"user.\" \".\")) ((\"shared.\" \".\"))", "{tag} OK done")
                .expect("SELECT \"INBOX.Projects.2026\"")
                .send("* 3 EXISTS", "* OK [UIDVALIDITY 9] ok", "{tag} OK [READ-WRITE] selected")
                .expect("UID COPY 4 \"INBOX.Keep\"").send("{tag} OK copied")
                .expect("UID MOVE 4 \"INBOX.Archive.Old\"").send("* 1 EXPUNGE", "{tag} OK moved")
                .start();
        ImapMailboxSession session = new ImapMailboxSession(
                ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofSeconds(5)),
                new Credentials("joe", "secret", null, null), "Projects/2026");
        try {
            session.open();
            assertEquals("INBOX.", session.mailboxNames().personalPrefix());
            Map<MessageRef, AfterProcessing> actions = new LinkedHashMap<>();
            actions.put(new MessageRef("4", 0, -1, null, session.identity(4)),
                    new AfterProcessing(false, false, "Archive/Old", "INBOX.Keep"));
            session.apply(actions);
        } finally {
            session.close();
        }
        server.awaitEnd();
        assertEquals(List.of(), server.problems());
    }

    @Test
    void withoutNamespaceTheDelimiterComesFromList() throws Exception {
        server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1] ready")
                .expect("LIST \"\" \"\"")
                .send("* LIST (\\Noselect) \".\" \"\"", "{tag} OK done")
                .expect("SELECT \"Projects.2026\"")
                .send("* OK [UIDVALIDITY 9] ok", "{tag} OK [READ-WRITE] selected")
                .start();
        ImapMailboxSession session = new ImapMailboxSession(
                ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofSeconds(5)), Credentials.NONE,
                "Projects/2026");
        try {
            session.open();
            assertEquals('.', session.mailboxNames().delimiter());
        } finally {
            session.close();
        }
        server.awaitEnd();
        assertEquals(List.of(), server.problems());
    }

    @Test
    void inboxAndFullyQualifiedNamesAreKept() {
        assertEquals("INBOX", CYRUS.resolve("inbox"));
        assertEquals("INBOX.Archive", CYRUS.resolve("INBOX.Archive"));
        assertEquals("inbox.Archive", CYRUS.resolve("inbox.Archive"));
        assertEquals("INBOX.Archive", CYRUS.resolve("INBOX/Archive"));
        assertEquals("user.bob.Shared", CYRUS.resolve("user.bob.Shared"));
        assertEquals("shared.Team", CYRUS.resolve("shared/Team"));
    }

    @Test
    void namesWithoutThePrefixGetItAndSlashBecomesTheDelimiter() {
        assertEquals("INBOX.Archive", CYRUS.resolve("Archive"));
        assertEquals("INBOX.Archive.2026", CYRUS.resolve("Archive/2026"));
        assertEquals("INBOX.INBOXES", CYRUS.resolve("INBOXES"));
        // a prefix given without its delimiter still ends at a level boundary
        assertEquals("INBOX.Archive", MailboxNames.of("INBOX", '.', List.of()).resolve("Archive"));
    }

    @Test
    void emptyPrefixAndSlashDelimiterLeaveNamesAsGiven() {
        MailboxNames dovecot = MailboxNames.of("", '/', List.of());
        assertEquals("Archive/2026", dovecot.resolve("Archive/2026"));
        assertEquals("Archive.2026", dovecot.resolve("Archive.2026"));
        assertEquals("Archive/2026", MailboxNames.of("", (char) 0, List.of()).resolve("Archive/2026"));
    }

    @Test
    void namespaceResponsesAreParsedAndMalformedOnesRefused() throws Exception {
        MailboxNames parsed = MailboxNames.fromNamespace(java.util.Arrays.asList(
                List.of(List.of("INBOX.", ".")), null, List.of(List.of("#shared/", "/"))));
        assertEquals("INBOX.Archive", parsed.resolve("Archive"));
        assertEquals("#shared/Team", parsed.resolve("#shared/Team"));
        assertThrows(ImapProtocolException.class, () -> MailboxNames.fromNamespace(List.of(List.of())));
        assertThrows(ImapProtocolException.class, () -> MailboxNames.fromNamespace(java.util.Arrays.asList(
                List.of(List.of("INBOX.", "..")), null, null)));
    }
}
