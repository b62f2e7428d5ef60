package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The folder and message operations against servers without UIDPLUS, MOVE, SPECIAL-USE or LITERAL+, and their
 * NO and BAD answers: the exact commands sent, and what comes back.
 */
class ImapFolderOperationsScriptedTest {

    private ScriptedImapServer server;
    private ImapConnection connection;

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ScriptedImapServer preauth(String capabilities) {
        return new ScriptedImapServer().send("* PREAUTH [CAPABILITY IMAP4rev1 " + capabilities + "] logged in");
    }

    private ImapConnection connect() throws Exception {
        server.start();
        connection = ImapConnection.connect(ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofSeconds(5)));
        connection.endDeadline();
        return connection;
    }

    private static LiteralContent message(String text) {
        return LiteralContent.of(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void moveWithoutMoveCopiesFlagsAndExpungesExactlyThoseUidsWithUidplus() throws Exception {
        server = preauth("UIDPLUS")
                .expect("UID COPY 4,7 \"Archiv\"").send("{tag} OK [COPYUID 9 4,7 100:101] copied")
                .expect("UID STORE 4,7 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("UID EXPUNGE 4,7").send("* 2 EXPUNGE", "* 1 EXPUNGE", "{tag} OK expunged");
        ImapMessageOperations.Moved moved = new ImapMessageOperations(connect()).move(List.of(7L, 4L), "Archiv");
        assertTrue(moved.expunged());
        assertEquals(List.of(100L, 101L), moved.copied().targetUids());
        assertEquals(9, moved.copied().uidValidity());
    }

    @Test
    void moveWithNeitherMoveNorUidplusLeavesTheOriginalsFlaggedInsteadOfExpungingOthersMessages() throws Exception {
        server = preauth("")
                .expect("UID COPY 4 \"Archiv\"").send("{tag} OK copied")
                .expect("UID STORE 4 \\+FLAGS\\.SILENT \\(\\\\Deleted\\)").send("{tag} OK stored")
                .expect("NOOP").send("{tag} OK nothing else was sent");
        ImapMessageOperations.Moved moved = new ImapMessageOperations(connect()).move(List.of(4L), "Archiv");
        assertFalse(moved.expunged());
        assertEquals(-1, moved.copied().uidValidity());
        new ImapFolderOperations(connection).noop();
        assertEquals(List.of(), server.problems());
    }

    @Test
    void moveUsesUidMoveAndReadsCopyuidFromTheUntaggedOk() throws Exception {
        server = preauth("MOVE UIDPLUS")
                .expect("UID MOVE 5 \"&BB8EQAQ\\+BDUEOgRCBEs-\"")
                .send("* OK [COPYUID 3 5 17] moved", "* 1 EXPUNGE", "{tag} OK done");
        ImapMessageOperations.Moved moved = new ImapMessageOperations(connect()).move(List.of(5L), "Проекты");
        assertEquals(List.of(17L), moved.copied().targetUids());
    }

    @Test
    void specialUseWithoutTheExtensionIsFoundInAPlainListAndItsAbsenceIsNamed() throws Exception {
        server = preauth("")
                .expect("LIST \"\" \"\\*\"")
                .send("* LIST (\\HasNoChildren) \"/\" INBOX",
                        "* LIST (\\HasNoChildren \\Sent) \"/\" \"Gesendete Elemente\"", "{tag} OK listed")
                .expect("LIST \"\" \"\\*\"").send("* LIST () \"/\" INBOX", "{tag} OK listed");
        ImapFolderOperations folders = new ImapFolderOperations(connect());
        assertEquals("Gesendete Elemente", folders.specialUse("\\sent").name());
        MissingFolderException e = assertThrows(MissingFolderException.class, () -> folders.specialUse("\\Trash"));
        assertTrue(e.getMessage().contains("special-use attribute \\Trash")
                && e.getMessage().contains("does not offer SPECIAL-USE"), e.getMessage());
    }

    @Test
    void specialUseWithTheExtensionAsksForSpecialUseFoldersOnly() throws Exception {
        server = preauth("SPECIAL-USE LIST-EXTENDED")
                .expect("LIST \\(SPECIAL-USE\\) \"\" \"\\*\"")
                .send("* LIST (\\Sent \\HasNoChildren) \".\" \"Sent Items\"", "{tag} OK listed");
        assertEquals("Sent Items", new ImapFolderOperations(connect()).specialUse("\\Sent").name());
    }

    @Test
    void appendWithoutLiteralPlusWaitsForTheContinuationAndReadsAppenduid() throws Exception {
        String mail = "Subject: hi\r\n\r\nbody\r\n";
        server = preauth("UIDPLUS")
                .expect("APPEND \"Sent\" \\(\\\\Seen \\$Done\\) \"10-Mar-2024 12:00:00 \\+0000\" \\{"
                        + mail.length() + "\\}" + "Subject: hi\r\n\r\nbody\r\n")
                .send("{tag} OK [APPENDUID 77 12] appended");
        ImapFolderOperations.Appended appended = new ImapFolderOperations(connect()).append("Sent",
                List.of("\\Seen", "$Done"), Instant.parse("2024-03-10T12:00:00Z"), message(mail));
        assertEquals(new ImapFolderOperations.Appended(77, 12), appended);
    }

    @Test
    void appendWithLiteralPlusSendsTheMessageWithoutWaiting() throws Exception {
        server = preauth("LITERAL+")
                .expect("APPEND \"Sent\" \\{4\\+\\}abcd").send("{tag} OK appended");
        ImapFolderOperations.Appended appended = new ImapFolderOperations(connect()).append("Sent", List.of(), null,
                message("abcd"));
        assertEquals(-1, appended.uid(), "no UIDPLUS: no APPENDUID");
    }

    private interface FolderCommand {
        void run(ImapFolderOperations folders) throws Exception;
    }

    /**
     * Runs {@code command} against a server that answers {@code reply} in place of the "+" its literal waits for
     * (RFC 3501 §7.5), then a NOOP: the octets of the literal, if sent, would be read as the next command.
     */
    private ImapCommandException refusedInPlaceOfTheContinuation(String capabilities, String commandRegex,
            String reply, String commandSent, FolderCommand command) throws Exception {
        server = preauth(capabilities).refuseLiteral(commandRegex, reply)
                .expect("NOOP").send("{tag} OK the next command is read as one");
        ImapFolderOperations folders = new ImapFolderOperations(connect());
        ImapCommandException refused = assertThrows(ImapCommandException.class, () -> command.run(folders));
        assertTrue(connection.isUsable(), "the server answered in step: the connection goes on");
        folders.noop();
        assertEquals(List.of(commandSent, "NOOP"), server.received(), "no octet of the literal was sent");
        assertEquals(List.of(), server.problems());
        return refused;
    }

    @Test
    void appendRefusedWithNoInPlaceOfTheContinuationSendsNoneOfTheMessageAndStaysInStep() throws Exception {
        ImapCommandException no = refusedInPlaceOfTheContinuation("UIDPLUS", "APPEND \"Archiv\" \\{21\\}",
                "{tag} NO [TRYCREATE] Mailbox doesn't exist: Archiv", "APPEND \"Archiv\" {21}",
                folders -> folders.append("Archiv", List.of(), null, message("Subject: hi\r\n\r\nbody\r\n")));
        assertEquals("APPEND", no.command());
        assertEquals("NO", no.status());
        assertEquals("TRYCREATE", no.code().name(), "the code tells the caller to create the folder first");
        assertEquals("Mailbox doesn't exist: Archiv", no.serverText());
    }

    @Test
    void appendRefusedWithBadInPlaceOfTheContinuationSendsNoneOfTheMessageAndStaysInStep() throws Exception {
        ImapCommandException bad = refusedInPlaceOfTheContinuation("", "APPEND \"Sent\" \\(\\\\Seen\\) \\{4\\}",
                "{tag} BAD literal too big for me", "APPEND \"Sent\" (\\Seen) {4}",
                folders -> folders.append("Sent", List.of("\\Seen"), null, message("abcd")));
        assertEquals("BAD", bad.status());
        assertEquals("literal too big for me", bad.serverText());
    }

    @Test
    void aFolderNameSentAsALiteralAndRefusedInPlaceOfTheContinuationEndsTheCommandThere() throws Exception {
        String longName = "F".repeat(1001); // over the longest quoted string: sent as a literal
        ImapCommandException no = refusedInPlaceOfTheContinuation("", "CREATE \\{1001\\}",
                "{tag} NO [LIMIT] Mailbox name too long", "CREATE {1001}", folders -> folders.create(longName));
        assertEquals("IMAP server 127.0.0.1:" + server.port() + " answered CREATE with NO [LIMIT]: Mailbox name too long",
                no.getMessage(), "names the server, the command (not its long argument) and the server's answer");
    }

    @Test
    void noAndBadAnswersCarryTheServersTextAndCode() throws Exception {
        server = preauth("")
                .expect("CREATE \"Archiv\"").send("{tag} NO [ALREADYEXISTS] Mailbox exists")
                .expect("RENAME \"A\" \"B\"").send("{tag} BAD Syntax error in arguments")
                .expect("STATUS \"INBOX\" \\(MESSAGES UNSEEN UIDNEXT UIDVALIDITY RECENT\\)")
                .send("* STATUS INBOX (MESSAGES 3 UNSEEN 1 UIDNEXT 10 UIDVALIDITY 5 RECENT 0)", "{tag} OK done");
        ImapFolderOperations folders = new ImapFolderOperations(connect());
        ImapCommandException no = assertThrows(ImapCommandException.class, () -> folders.create("Archiv"));
        assertEquals("NO", no.status());
        assertEquals("ALREADYEXISTS", no.code().name());
        assertEquals("Mailbox exists", no.serverText());
        ImapCommandException bad = assertThrows(ImapCommandException.class, () -> folders.rename("A", "B"));
        assertEquals("BAD", bad.status());
        assertEquals(java.util.Map.of("MESSAGES", 3L, "UNSEEN", 1L, "UIDNEXT", 10L, "UIDVALIDITY", 5L, "RECENT", 0L),
                folders.status("INBOX"));
    }

    @Test
    void checkBecomesNoopOnAnImap4rev2OnlyServerWhichAlsoGetsNoRecentInStatus() throws Exception {
        server = new ScriptedImapServer().send("* PREAUTH [CAPABILITY IMAP4rev2] logged in")
                .expect("NOOP").send("{tag} OK nothing to check")
                .expect("STATUS \"INBOX\" \\(MESSAGES UNSEEN UIDNEXT UIDVALIDITY\\)")
                .send("* STATUS INBOX (MESSAGES 0 UNSEEN 0 UIDNEXT 1 UIDVALIDITY 5)", "{tag} OK done");
        ImapFolderOperations folders = new ImapFolderOperations(connect());
        assertEquals("NOOP", folders.check());
        assertEquals(4, folders.status("INBOX").size());
    }

    @Test
    void checkIsSentToAnImap4rev1Server() throws Exception {
        server = preauth("IMAP4rev2").expect("CHECK").send("{tag} OK checked");
        assertEquals("CHECK", new ImapFolderOperations(connect()).check());
    }

    @Test
    void expungeOfGivenUidsWithoutUidplusSendsNothing() throws Exception {
        server = preauth("").expect("NOOP").send("{tag} OK only this");
        assertFalse(new ImapMessageOperations(connect()).expunge(List.of(3L)));
        new ImapFolderOperations(connection).noop();
        assertEquals(List.of("NOOP"), server.received());
    }

    @Test
    void flagsAndUidsThatCouldInjectSyntaxAreRefusedBeforeAnythingIsBuilt() {
        assertThrows(IllegalArgumentException.class, () -> MessageFlags.parse("\\Seen\r\nA1 DELETE INBOX"));
        assertThrows(IllegalArgumentException.class, () -> MessageFlags.check("two words"));
        assertThrows(IllegalArgumentException.class, () -> MessageFlags.check("\\Seen)"));
        assertThrows(IllegalArgumentException.class, () -> MessageFlags.check("\\Recent"));
        assertEquals(List.of("\\Seen", "$Label"), MessageFlags.parse("\\Seen, $Label"));
        assertThrows(IllegalArgumentException.class, () -> ImapMessageOperations.parseUids("1:*", 10));
        assertThrows(IllegalArgumentException.class, () -> ImapMessageOperations.parseUids("4 OR 5", 10));
        assertEquals(List.of(1L, 2L, 3L, 7L), ImapMessageOperations.parseUids("1:3,7", 10));
    }

    /**
     * What a hostile server repeats cannot make what is kept grow: a second FLAGS response replaces the first (RFC
     * 3501 §7.2.6: it names the whole set), as does a second PERMANENTFLAGS, and STATUS keeps only the items asked for.
     */
    @Test
    void repeatedFlagsAndUnaskedStatusItemsAreNotKept() throws Exception {
        server = preauth("")
                .expect("SELECT \"?INBOX\"?")
                .send("* FLAGS (\\Seen $Junk1)", "* FLAGS (\\Seen $Junk2)", "* OK [PERMANENTFLAGS (\\Seen $P1)] p",
                        "* OK [PERMANENTFLAGS (\\Seen)] p", "* 3 EXISTS", "* OK [UIDVALIDITY 7] v", "{tag} OK selected")
                .expect("STATUS \"?INBOX\"? \\(MESSAGES UNSEEN UIDNEXT UIDVALIDITY RECENT\\)")
                .send("* STATUS INBOX (MESSAGES 3 X-JUNK-1 7 UNSEEN 1)", "* STATUS INBOX (X-JUNK-2 8)", "{tag} OK status");
        ImapFolderOperations ops = new ImapFolderOperations(connect());
        FolderState state = ops.select("INBOX");
        assertEquals(java.util.Set.of("\\Seen", "$Junk2"), state.flags());
        assertEquals(java.util.Set.of("\\Seen"), state.permanentFlags());
        assertEquals(java.util.Map.of("MESSAGES", 3L, "UNSEEN", 1L), ops.status("INBOX"));
    }

    /**
     * A STATUS answer for another mailbox (a NOTIFY server's unsolicited one, RFC 5465 §5.3, or a hostile server's)
     * before or after the asked one is not the asked mailbox's: it was merged in, the last line winning.
     */
    @Test
    void aStatusAnswerForAnotherMailboxIsNotTakenForTheAskedOne() throws Exception {
        server = preauth("")
                .expect("STATUS \"Entw&APw-rfe\" \\(MESSAGES UNSEEN UIDNEXT UIDVALIDITY RECENT\\)")
                .send("* STATUS Other (MESSAGES 999 UNSEEN 998)", "* STATUS \"Entw&APw-rfe\" (MESSAGES 3 UNSEEN 1)",
                        "* STATUS {5}", "Other (UIDNEXT 4242)",
                        "{tag} OK status");
        assertEquals(java.util.Map.of("MESSAGES", 3L, "UNSEEN", 1L),
                new ImapFolderOperations(connect()).status("Entwürfe"));
    }

    @Test
    void inboxAnswersToStatusInAnyCase() throws Exception {
        server = preauth("")
                .expect("STATUS \"?INBOX\"? \\(MESSAGES UNSEEN UIDNEXT UIDVALIDITY RECENT\\)")
                .send("* STATUS inbox (MESSAGES 2)", "{tag} OK status");
        assertEquals(java.util.Map.of("MESSAGES", 2L), new ImapFolderOperations(connect()).status("INBOX"));
    }
}
