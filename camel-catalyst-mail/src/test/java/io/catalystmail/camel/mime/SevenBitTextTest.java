package io.catalystmail.camel.mime;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class SevenBitTextTest {

    @Test
    void onlyAsciiTextWithShortLinesAndNoStrayCrOrNulIsSevenBit() {
        String longest = "x".repeat(TransferEncoding.MAX_LINE_OCTETS);
        assertNotNull(SevenBitText.of(longest + "\r\n" + longest + "\n" + longest, StandardCharsets.UTF_8));
        assertNotNull(SevenBitText.of("", StandardCharsets.US_ASCII));
        assertNotNull(SevenBitText.of("plain\r\n", StandardCharsets.ISO_8859_1));

        assertNull(SevenBitText.of(longest + "x", StandardCharsets.UTF_8), "a line over 998 octets");
        assertNull(SevenBitText.of("caf\u00e9", StandardCharsets.UTF_8), "non-ASCII");
        assertNull(SevenBitText.of("a\u0000b", StandardCharsets.UTF_8), "NUL");
        assertNull(SevenBitText.of("a\rb", StandardCharsets.UTF_8), "a CR without LF");
        assertNull(SevenBitText.of("a\r", StandardCharsets.UTF_8), "a CR at the end");
        assertNull(SevenBitText.of("plain", Charset.forName("UTF-16")), "a charset that does not write ASCII as itself");
    }

    @Test
    void writtenThroughAScratchArrayOfAnySizeTheOctetsAreTheCharacters() throws Exception {
        String text = "Line one\r\nLine two\n.dot\r\n" + ("y".repeat(900) + "\r\n").repeat(6);
        SevenBitText body = SevenBitText.of(text, StandardCharsets.UTF_8);
        for (int scratch : new int[] { 1, 7, 4992, 10_000 }) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            body.writeTo(out, new byte[scratch]);
            assertArrayEquals(text.getBytes(StandardCharsets.US_ASCII), out.toByteArray(), "scratch " + scratch);
        }
        try (InputStream in = body.open()) {
            assertArrayEquals(text.getBytes(StandardCharsets.US_ASCII), in.readAllBytes());
        }
    }
}
