package io.catalystmail.camel.pop3;

import java.nio.charset.StandardCharsets;

import io.catalystmail.camel.net.ServerText;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Status lines as text: ASCII as it is, UTF-8 where valid, Latin-1 otherwise, never a decoding failure. */
class Pop3StatusLineTextTest {

    @Test
    void asciiUtf8AndOtherBytesAreEachReadAsTheServerMeantThem() {
        assertEquals("+OK 30123 octets", text("+OK 30123 octets".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("+OK prêt", text("+OK prêt".getBytes(StandardCharsets.UTF_8)));
        // not UTF-8: each byte is its Latin-1 character
        assertEquals("-ERR prêt", text("-ERR prêt".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("", text(new byte[0]));
    }

    private static String text(byte[] raw) {
        return ServerText.decoded(raw, 0, raw.length);
    }
}
