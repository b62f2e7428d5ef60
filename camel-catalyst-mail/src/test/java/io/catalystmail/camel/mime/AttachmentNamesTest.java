package io.catalystmail.camel.mime;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttachmentNamesTest {

    @Test
    void sanitisesPathsControlCharactersAndSpoofing() {
        assertEquals("passwd", AttachmentNames.sanitise("../../etc/passwd"));
        assertEquals("evil.exe", AttachmentNames.sanitise("C:\\Users\\x\\evil.exe"));
        assertEquals("a_b_c_.txt", AttachmentNames.sanitise("a\rb\nc\0.txt"));
        assertEquals("invoice_txt.exe", AttachmentNames.sanitise("invoice\u202Etxt.exe"));
        assertEquals("what_ _yes_.txt", AttachmentNames.sanitise("what? \"yes\".txt"));
        assertEquals("", AttachmentNames.sanitise(".."));
        assertEquals("", AttachmentNames.sanitise(" . "));
        assertEquals(".profile", AttachmentNames.sanitise(".profile"));
        assertEquals("trailing", AttachmentNames.sanitise("trailing. . "));
        String longName = AttachmentNames.sanitise("x".repeat(1000) + ".pdf");
        assertEquals(200, longName.length());
        assertTrue(longName.endsWith("x.pdf"));
    }

    @Test
    void longNamesFitAFileSystemsTwoHundredFiftyFiveBytes() {
        // NAME_MAX is 255 bytes on Linux file systems: 200 characters of CJK or emoji are 600 or 800 bytes
        String cjk = AttachmentNames.sanitise("日".repeat(150) + ".pdf");
        assertEquals("日".repeat(78) + ".pdf", cjk);
        assertEquals(238, cjk.getBytes(StandardCharsets.UTF_8).length);
        String emoji = AttachmentNames.sanitise("\uD83D\uDCC4".repeat(100) + ".txt");
        assertEquals("\uD83D\uDCC4".repeat(59) + ".txt", emoji, "no surrogate pair cut in half");
        AttachmentNames names = new AttachmentNames();
        names.name(cjk, null, "application/pdf", 1);
        String second = names.name(cjk, null, "application/pdf", 2);
        assertTrue(second.getBytes(StandardCharsets.UTF_8).length <= 255, "room left for ' (1)'");
        assertEquals("ä".repeat(118) + ".pdf", AttachmentNames.sanitise("ä".repeat(118) + ".pdf"), "240 bytes: kept");
    }

    @Test
    void generatesNamesAndMakesThemUnique() {
        AttachmentNames names = new AttachmentNames();
        assertEquals("part-2.pdf", names.name(null, null, "application/pdf", 2));
        assertEquals("part-3.bin", names.name("", null, "application/x-unknown", 3));
        assertEquals("message-4.eml", names.name(null, null, "message/rfc822", 4));
        assertEquals("Re_ hello _ bye.eml", names.name(null, "Re: hello / bye", "message/rfc822", 5));
        assertEquals("a.txt", names.name("a.txt", null, "text/plain", 6));
        assertEquals("A (1).txt", names.name("A.txt", null, "text/plain", 7));
        assertEquals("a (2).txt", names.name("a.txt", null, "text/plain", 8));
        assertEquals("a (1) (1).txt", names.name("a (1).txt", null, "text/plain", 9));
        assertEquals("part-10.bin", names.name("../", null, "application/octet-stream", 10));
        assertEquals("README", names.name("README", null, "text/plain", 11));
        assertEquals("README (1)", names.name("README", null, "text/plain", 12));
    }

    @Test
    void thousandsOfDuplicatesStayCheap() {
        AttachmentNames names = new AttachmentNames();
        for (int i = 0; i < 10_000; i++) {
            names.name("same.txt", null, "text/plain", i + 1);
        }
        assertEquals("same (10000).txt", names.name("same.txt", null, "text/plain", 10_001));
    }
}
