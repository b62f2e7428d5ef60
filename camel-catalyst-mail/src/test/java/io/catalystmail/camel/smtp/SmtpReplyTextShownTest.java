package io.catalystmail.camel.smtp;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An SMTP reply's bytes reach errors and logs as POP3's and IMAP's status lines do: decoded by the same rule (UTF-8
 * where valid, Latin-1 otherwise, so a byte such as 0xFF shows as a character rather than a U+FFFD that hides it)
 * and escaped by the same hand (NUL and every other control as {@code \xNN}).
 */
class SmtpReplyTextShownTest {

    private static SmtpReplyReader reader(byte[] wire) {
        return new SmtpReplyReader(new ByteArrayInputStream(wire));
    }

    private static byte[] latin1(String wire) {
        return wire.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void aReplyWithBytesThatAreNoUtf8ShowsEachAsItsCharacterAndControlsEscaped() throws IOException {
        SmtpReply reply = reader(latin1("550 5.7.1 jos\u00e9 \u0000\u00ff \u001b[2J refused\r\n")).read();

        assertEquals("jos\u00e9 \u0000\u00ff \u001b[2J refused", reply.text());
        assertEquals("550 5.7.1 jos\u00e9 \\x00\u00ff \\x1B[2J refused", reply.toString());
    }

    @Test
    void aReplyInUtf8IsReadAsUtf8() throws IOException {
        SmtpReply reply = reader("250 2.0.0 gr\u00fc\u00df dich\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .read();

        assertEquals("gr\u00fc\u00df dich", reply.text());
    }

    @Test
    void aGarbledLineIsShownLikeAGarbledPop3Line() {
        SmtpException garbled = assertThrows(SmtpException.class,
                () -> reader(latin1("hello\u0000\u00ff\r\u001b[2J\r\n")).read());

        assertEquals("garbled reply: reply line does not start with a reply code: \"hello\\x00\u00ff\\x0D\\x1B[2J\"",
                garbled.getMessage());
    }
}
