package io.catalystmail.camel.pop3;

import java.nio.charset.StandardCharsets;

import io.catalystmail.camel.testsupport.CapturedLog;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A listing line the consumer skips is named in a WARN with its control characters written as {@code \xNN}, as the
 * error for a garbled status line writes them: the line is the server's, and a NUL, a lone CR or a terminal escape
 * put into a log as they are hide or rewrite what the log says. Seen through a proxy that slipped 20 bytes of junk
 * into Dovecot's LIST answer: the WARN carried the NUL and DEL bytes raw.
 */
class SkippedListingLineIsEscapedTest {

    @Test
    void aSkippedLinesControlCharactersAreEscapedInTheWarning() throws Exception {
        byte[] wire = "\u0000garbage\r\u001b[31m \u007fxyz".getBytes(StandardCharsets.ISO_8859_1);
        ListingLines lines = new ListingLines("POP3 server mail.example.test:110", "LIST",
                new MaildropSize(5, 5, "the 5 message(s) STAT counted"));
        try (CapturedLog log = new CapturedLog()) {
            assertEquals(-1, lines.number(new ListingLine().parse(wire, wire.length), true, n -> { }));

            String warning = log.text().lines().filter(l -> l.contains("skipped")).findFirst().orElseThrow();
            assertTrue(warning.endsWith("skipped: \\x00garbage\\x0D\\x1B[31m \\x7Fxyz"), warning);
            assertFalse(warning.chars().anyMatch(c -> c < 0x20 || c == 0x7f), "a raw control character: " + warning);
        }
    }
}
