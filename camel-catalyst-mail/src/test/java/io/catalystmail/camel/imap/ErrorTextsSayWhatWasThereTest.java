package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import io.catalystmail.camel.mailbox.SearchKey;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Errors and warnings name what the server sent, in words: the character where the syntax broke, the entries of a
 * search answer that were not UIDs, the message whose answer the connection ended in, and how a special-use folder
 * that does not exist yet comes to be.
 */
class ErrorTextsSayWhatWasThereTest {

    private ScriptedPreauth session;

    @AfterEach
    void stop() throws Exception {
        if (session != null) {
            session.close();
        }
    }

    private ImapConnection connect(ScriptedImapServer script) throws Exception {
        session = ScriptedPreauth.connect(script);
        return session.connection();
    }

    private static String failure(byte[] wire) {
        return assertThrows(ImapProtocolException.class,
                () -> new ImapResponseReader(new ByteArrayInputStream(wire)).read()).getMessage();
    }

    @Test
    void aBrokenSyntaxNamesTheCharacterInWords() {
        assertEquals("expected a space, got end of line (CR)", failure("*\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("expected a space, got end of line (LF)", failure("*\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("expected a space, got a tab", failure("*\tOK\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("expected a space, got the byte 0xc3", failure("*é\r\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("expected a space, got 'x'", failure("*x\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    /** What a UID SEARCH ALL that the server answers with {@code answer} found. */
    private UidRanges searchAnswered(String capabilities, String command, String answer) throws Exception {
        ImapMessageOperations ops = new ImapMessageOperations(connect(ScriptedPreauth.script(capabilities)
                .expect(command).send(answer, "{tag} OK done")));
        return ops.search(new SearchKey.All(), Instant.now());
    }

    @Test
    void entriesOfAnEsearchAnswerThatAreNotUidsAreKeptAsSentForTheWarning() throws Exception {
        UidRanges found = searchAnswered("ESEARCH", "UID SEARCH RETURN \\(ALL\\) ALL",
                "* ESEARCH (TAG \"{tag}\") UID ALL 1:3,x7,0,12345678901234567890,9,5:y");
        assertEquals(4, found.size());
        assertEquals(4, found.invalid());
        assertEquals(List.of("'x7'", "'0'", "'12345678901234567890'"), found.invalidExamples());
    }

    @Test
    void entriesOfAPlainSearchAnswerThatAreNotUidsAreKeptAsSentLikeEsearchOnes() throws Exception {
        UidRanges found = searchAnswered("", "UID SEARCH ALL",
                "* SEARCH 1 x7 0 12345678901234567890 2 5y 3 4294967296");
        assertEquals(List.of(1L, 2L, 3L), found.first(10, false));
        assertEquals(5, found.invalid());
        // the first eleven digits of a longer number are enough to show it is not a UID
        assertEquals(List.of("'x7'", "'0'", "'12345678901...'"), found.invalidExamples());
    }

    @Test
    void digitsRunIntoAParenthesisAreOneInvalidEntry() throws Exception {
        UidRanges found = searchAnswered("", "UID SEARCH ALL", "* SEARCH 12) 5 12(3 4) 9");
        // "12)" one entry, "12(" one entry (its '(' is no MODSEQ list), then "3" a UID and "4)" an entry
        assertEquals(List.of(3L, 5L, 9L), found.first(10, false));
        assertEquals(3, found.invalid());
        assertEquals(List.of("'12)'", "'12('", "'4)'"), found.invalidExamples());
    }

    /** The error of a UID FETCH of UID 7 for {@code items} that the server answers with {@code answer}, then closes. */
    private String endedDuringFetch(String items, String... answer) throws Exception {
        ImapMessageOperations ops = new ImapMessageOperations(connect(ScriptedPreauth.script("")
                .expect("UID FETCH 7 " + Pattern.quote(items)).send(answer).cut()));
        return assertThrows(EOFException.class, () -> ops.fetch(List.of(7L), items, d -> { },
                (soFar, item, origin, length, content) -> content.readAllBytes())).getMessage();
    }

    @Test
    void aConnectionEndingInsideABodyNamesTheUidBeingRead() throws Exception {
        String error = endedDuringFetch("(UID BODY.PEEK[])", "* 3 FETCH (UID 7 BODY[] {100}", "Subject: cut short");
        assertTrue(error.endsWith(" closed the connection during UID FETCH (inside the answer for UID 7, message 3)"),
                error);
    }

    @Test
    void aConnectionEndingInsideABodyBeforeItsUidNamesTheMessageNumber() throws Exception {
        String error = endedDuringFetch("(BODY.PEEK[] UID)", "* 3 FETCH (BODY[] {100}", "Subject: cut short");
        assertTrue(error.endsWith(" closed the connection during UID FETCH (inside the answer for message 3)"), error);
    }

    @Test
    void aConnectionEndingBetweenAnswersNamesNoMessage() throws Exception {
        String error = endedDuringFetch("(UID BODY.PEEK[])", "* 3 FETCH (UID 7 BODY[] {4}", "abcd)");
        assertTrue(error.endsWith(" closed the connection during UID FETCH"), error);
    }

    @Test
    void aSpecialUseFolderNotThereYetOnAServerWithSpecialUseSaysHowDovecotAndCyrusMarkOne() throws Exception {
        ImapFolderOperations folders = new ImapFolderOperations(connect(ScriptedPreauth.script("SPECIAL-USE LIST-EXTENDED")
                .expect("LIST \\(SPECIAL-USE\\) \"\" \"\\*\"").send("{tag} OK listed")));
        MissingFolderException e = assertThrows(MissingFolderException.class, () -> folders.specialUse("\\Sent"));
        assertTrue(e.getMessage().contains("has the special-use attribute \\Sent; name the folder itself instead, or"
                + " have a folder marked \\Sent: Dovecot marks the folder its configuration names (special_use) once it"
                + " exists, so create it first (operation=create with the folder's name); Cyrus marks none by its name,"
                + " only a folder whose /private/specialuse metadata is \\Sent (SETMETADATA, RFC 5464 and RFC 6154),"
                + " which a mail client or an administrator sets"), e.getMessage());
        assertFalse(e.getMessage().contains("does not offer"), e.getMessage());
    }
}
