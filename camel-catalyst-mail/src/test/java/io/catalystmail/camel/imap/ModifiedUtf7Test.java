package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ModifiedUtf7Test {

    @Test
    void encodesTheRfc3501Example() {
        // RFC 3501 §5.1.3: "~peter/mail/台北/日本語"
        assertEquals("~peter/mail/&U,BTFw-/&ZeVnLIqe-", ModifiedUtf7.encode("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e"));
        assertEquals("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e", ModifiedUtf7.decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-"));
    }

    @Test
    void ampersandStandsForItselfFollowedByDash() {
        assertEquals("Tom &- Jerry", ModifiedUtf7.encode("Tom & Jerry"));
        assertEquals("Tom & Jerry", ModifiedUtf7.decode("Tom &- Jerry"));
    }

    @Test
    void germanAndNonBmpCharacters() {
        assertEquals("Entw&APw-rfe", ModifiedUtf7.encode("Entw\u00fcrfe"));
        String emoji = "Mail \uD83D\uDCE7 box";
        String encoded = ModifiedUtf7.encode(emoji);
        assertEquals("Mail &2D3c5w- box", encoded);
        assertEquals(emoji, ModifiedUtf7.decode(encoded));
    }

    @Test
    void randomNamesRoundTrip() {
        Random random = new Random(42);
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                int kind = random.nextInt(4);
                if (kind == 0) {
                    sb.append((char) (0x20 + random.nextInt(0x5f)));
                } else if (kind == 1) {
                    sb.append('&');
                } else if (kind == 2) {
                    sb.append((char) (0xa0 + random.nextInt(0xd000)));
                } else {
                    sb.appendCodePoint(0x10000 + random.nextInt(0x1000));
                }
            }
            String name = sb.toString();
            String encoded = ModifiedUtf7.encode(name);
            assertEquals(true, encoded.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), encoded);
            assertEquals(name, ModifiedUtf7.decode(encoded));
        }
    }

    @Test
    void rejectsMalformedNames() {
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("a&Jjo"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("a&AG-"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("a&U/BTFw-"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("caf\u00e9"));
    }
}
