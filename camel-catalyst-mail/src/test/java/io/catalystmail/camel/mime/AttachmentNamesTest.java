package io.catalystmail.camel.mime;

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
