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

    @Test
    void edgeShapesOfRfc2047ReadAsPythonsEmailReadsThem() {
        // each right-hand side is what Python 3.11's email package (policy.default) gives for the Subject; the
        // decoder did not change for these: this pins the behaviour the POP3 filter now shares (HeaderFacts)
        String[][] shapes = {
            {"before =?UTF-8?Q??= after", "before  after"}, // §2 asks 1*char of encoded-text; lenient, as Python: nothing
            {"before =?UTF-8?B??= after", "before  after"},
            {"=?UTF-8?Q?a?= =?UTF-8?Q??= =?UTF-8?Q?b?=", "ab"}, // §6.2: still adjacent across an empty word
            {"=?UTF-8?Q?a?= =?ISO-8859-1?Q?b?=", "ab"}, // §6.2: adjacent in different charsets
            {"=?UTF-8?Q?a?=\t=?UTF-8?Q?b?=", "ab"},
            {"=?UTF-8?Q?a?=\r\n =?UTF-8?Q?b?=", "ab"}, // folded between two words
            {"=?UTF-8?Q?a b?=", "a b"}, // §5: no space inside a word, read anyway
            {"x =?UTF-8?Q?a?=  y", "x a  y"}, // white space next to text is kept
            {"=?utf-8?b?w6k=?=", "é"},
            {"=?UTF-8?Q?a?= b =?UTF-8?Q?c?=", "a b c"},
            {"=?UTF-8?Q?=E2=82?= =?UTF-8?Q?=AC?=", "€"}, // a character split across two words
            {"=?UTF-8?Q?_?=", " "},
            {"=?UTF-8?X?a?=", "=?UTF-8?X?a?="}, // §6.2: no such encoding, kept
            {"=?UTF-8?Q?a?=x", "ax"}, // glued to text (§5 forbids it; readers decode it)
            {"=?UTF-8?Q?=41=4?=", "A=4"}, // a cut =XX stays as it is
            {"=?UTF-8?B?YWJj?==?UTF-8?B?ZGVm?=", "abcdef"},
        };
        for (String[] shape : shapes) {
            byte[] field = ("Subject: " + shape[0]).getBytes(StandardCharsets.UTF_8);
            assertEquals(shape[1], new RawHeaderField("Subject", field, 7).decodedValue(), shape[0]);
        }
        // deliberately not as Python ("a"): §2 makes the charset a token of at least one character, so this is text
        assertEquals("=??Q?a?=", new RawHeaderField("Subject", "Subject: =??Q?a?=".getBytes(StandardCharsets.UTF_8), 7)
                .decodedValue());
    }
}
