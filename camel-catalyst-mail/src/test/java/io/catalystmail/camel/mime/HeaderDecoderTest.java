package io.catalystmail.camel.mime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class HeaderDecoderTest {

    @Test
    void decodesBAndQWordsInAnyCharset() {
        assertEquals("Grüße", HeaderDecoder.decodeEncodedWords("=?utf-8?q?Gr=C3=BC=C3=9Fe?="));
        assertEquals("Grüße", HeaderDecoder.decodeEncodedWords("=?ISO-8859-1?Q?Gr=FC=DFe?="));
        assertEquals("Grüße", HeaderDecoder.decodeEncodedWords("=?windows-1252?B?R3L832U=?="));
        assertEquals("会議", HeaderDecoder.decodeEncodedWords("=?ISO-2022-JP?B?GyRCMnE1RBsoQg==?="));
        assertEquals("hello world", HeaderDecoder.decodeEncodedWords("=?us-ascii?q?hello_world?="));
        assertEquals("a b", HeaderDecoder.decodeEncodedWords("=?utf-8*en?q?a_b?="), "RFC 2231 language suffix");
    }

    @Test
    void whitespaceBetweenAdjacentWordsIsDroppedButNotElsewhere() {
        assertEquals("ab", HeaderDecoder.decodeEncodedWords("=?utf-8?q?a?= \t =?utf-8?q?b?="));
        assertEquals("a b", HeaderDecoder.decodeEncodedWords("=?utf-8?q?a?= =?iso-8859-1?q?_b?="));
        assertEquals("x a y b", HeaderDecoder.decodeEncodedWords("x =?utf-8?q?a?= y =?utf-8?q?b?="));
        assertEquals("€", HeaderDecoder.decodeEncodedWords("=?utf-8?B?4g==?= =?utf-8?B?gqw=?="), "bytes joined before decoding");
    }

    @Test
    void malformedWordsAreKeptAsTheyAre() {
        for (String kept : new String[] {"=?utf-8?x?abc?=", "=?nosuch?q?abc?=", "=??q?abc?=", "=?utf-8?q?abc",
                "=?utf-8?q", "=?", "a =? b ?= c", "=?" + "x".repeat(100) + "?q?a?="}) {
            assertEquals(kept, HeaderDecoder.decodeEncodedWords(kept));
        }
        assertEquals("a=Zb", HeaderDecoder.decodeEncodedWords("=?utf-8?q?a=Zb?="), "stray '=' kept");
        assertEquals("hi", HeaderDecoder.decodeEncodedWords("=?utf-8?b?aG!!k=garbage?="), "lenient base64");
        assertEquals("x \uFFFD y", HeaderDecoder.decodeEncodedWords("x =?utf-8?q?=FF?= y"), "invalid bytes replaced");
    }

    @Test
    void pathologicalInputStaysLinear() {
        String noClose = "=?utf-8?q?a".repeat(200_000);
        String manyStarts = "=?=?=?".repeat(300_000);
        String openWords = "=?a?q?".repeat(300_000);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertEquals(noClose, HeaderDecoder.decodeEncodedWords(noClose));
            assertEquals(manyStarts, HeaderDecoder.decodeEncodedWords(manyStarts));
            assertEquals(openWords, HeaderDecoder.decodeEncodedWords(openWords));
        });
    }

    @Test
    void unfoldsAndKeepsValuesOnOneLine() {
        assertEquals("a long\tsubject folded", HeaderDecoder.unfold(" a long\r\n\tsubject\r\n folded \r\n"));
        assertEquals("a b c", HeaderDecoder.singleLine("a\rb\nc"));
        assertEquals("nul here", HeaderDecoder.singleLine("nul\0here"));
    }

    @Test
    void aFieldsValueIsTrimmedOfItsLineBreakAndUnfoldedInItsCharset() {
        byte[] field = "Subject: \t Gr\u00fc\u00dfe\r\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("Gr\u00fc\u00dfe", HeaderDecoder.unfoldedValue(field, 8, field.length), "UTF-8, one line");
        byte[] folded = "X: a long\r\n\tvalue\r\n folded \r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("a long\tvalue folded", HeaderDecoder.unfoldedValue(folded, 2, folded.length));
        byte[] blank = "X: \r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("", HeaderDecoder.unfoldedValue(blank, 2, blank.length));
        byte[] windows = {'X', ':', ' ', 'a', (byte) 0x85, '\r', '\n'};
        assertEquals("a\u2026", HeaderDecoder.unfoldedValue(windows, 2, windows.length), "not UTF-8: Windows-1252");
        assertEquals("a\u0085", HeaderDecoder.unfoldedLatin1(windows, 2, windows.length), "one character per byte");
        byte[] parameter = "Content-Type: text/plain;\r\n charset=\"x\"\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("text/plain; charset=\"x\"", HeaderDecoder.unfoldedLatin1(parameter, 13, parameter.length));
    }
}
