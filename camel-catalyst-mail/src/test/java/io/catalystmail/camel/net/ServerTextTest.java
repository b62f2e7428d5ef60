package io.catalystmail.camel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.catalystmail.camel.imap.ImapCommandException;
import org.junit.jupiter.api.Test;

/** A server's text in an error or log line: control characters escaped, length bounded. */
class ServerTextTest {

    @Test
    void controlCharactersAreShownEscapedAndTheLengthIsBounded() {
        assertEquals("a\\x1B[2Jb\\x0Dc\\x7F\\x85ü", ServerText.shown("a\u001b[2Jb\rc\u007f\u0085ü", 100));
        assertEquals("abc...", ServerText.shown("abcdef", 3));
        String plain = "Mailbox doesn't exist";
        assertSame(plain, ServerText.shown(plain, 100), "nothing to escape: the text itself");
        assertEquals("abc...", ServerText.shown("abc\uD83D\uDE00def", 4), "a surrogate pair is not cut");
        assertEquals("a\\u202Eb\\u2028c", ServerText.shown("a\u202Eb\u2028c", 100), "bidi override, line separator");
        assertEquals("null", ServerText.shown(null, 10));
    }

    @Test
    void anImapRefusalShowsTheServersTextEscapedAndKeepsItRaw() {
        String hostile = "no\rWARN forged line \u001b[31mred" + "x".repeat(10_000);
        ImapCommandException refused = new ImapCommandException("IMAP server h:143", "UID MOVE", "NO", hostile, null);
        assertTrue(refused.getMessage().startsWith("IMAP server h:143 answered UID MOVE with NO: no\\x0DWARN forged"
                + " line \\x1B[31mred"), refused.getMessage());
        assertFalse(refused.getMessage().contains("\r"));
        assertTrue(refused.getMessage().length() < 600, "bounded: " + refused.getMessage().length());
        assertEquals(hostile, refused.serverText(), "raw for matching");
    }
}
