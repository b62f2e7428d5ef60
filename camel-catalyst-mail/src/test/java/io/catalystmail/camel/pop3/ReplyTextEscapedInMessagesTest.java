package io.catalystmail.camel.pop3;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A status line's text goes into errors and log lines ("refused RETR: -ERR ..."): written there with its control
 * characters as {@code \xNN}, so a server's terminal escape or lone CR cannot rewrite the log; the text itself, which
 * response codes and STAT/greeting fields are read from, stays as the server sent it.
 */
class ReplyTextEscapedInMessagesTest {

    @Test
    void aRepliesControlCharactersAreEscapedWhereItIsShown() {
        byte[] line = "-ERR [IN-USE] \u001b[2Jlocked\rby x".getBytes(StandardCharsets.ISO_8859_1);

        Pop3Reply reply = Pop3Reply.parse(line, line.length);

        assertEquals("-ERR [IN-USE] \\x1B[2Jlocked\\x0Dby x", reply.toString());
        assertEquals("[IN-USE] \u001b[2Jlocked\rby x", reply.text());
    }
}
