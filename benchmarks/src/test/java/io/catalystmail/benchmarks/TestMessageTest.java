package io.catalystmail.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestMessageTest {

    private final Session session = Session.getInstance(new Properties());

    @Test
    void theStandardMessageIsAbout30KbWithTextHtmlAndA20KbAttachment() throws Exception {
        byte[] bytes = TestMessage.standard("a@example.test", "b@example.test", 7);
        assertTrue(bytes.length > 29_000 && bytes.length < 33_000, "size " + bytes.length);
        assertArrayEquals(bytes, TestMessage.standard("a@example.test", "b@example.test", 7), "deterministic");

        MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(bytes));
        assertEquals("Benchmark message 0000007", message.getSubject());
        Multipart mixed = (Multipart) message.getContent();
        Multipart alternative = (Multipart) mixed.getBodyPart(0).getContent();
        assertTrue(alternative.getBodyPart(0).isMimeType("text/plain"));
        assertTrue(alternative.getBodyPart(1).isMimeType("text/html"));
        Part attachment = mixed.getBodyPart(1);
        assertEquals(Part.ATTACHMENT, attachment.getDisposition());
        try (InputStream in = attachment.getInputStream()) {
            assertArrayEquals(TestMessage.attachment(), in.readAllBytes());
        }
    }

    @Test
    void everyStandardMessageHasTheSameSizeWhateverItsNumber() {
        int first = TestMessage.standard("a@example.test", "b@example.test", 1).length;
        // the driver's first messages, the large mailbox's last ones and the measured JVM's refills
        for (int number : new int[] { 9, 2_000, 12_000, MailboxRefill.FIRST_NUMBER, MailboxRefill.FIRST_NUMBER + 6_000 }) {
            assertEquals(first, TestMessage.standard("a@example.test", "b@example.test", number).length, "number " + number);
        }
    }

    @Test
    void aLargeMessageIsWrittenToAFileAndItsAttachmentDecodesToTheRequestedSize(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("large.eml");
        long size = 3L * 1024 * 1024 + 5;
        TestMessage.writeLarge(file, "a@example.test", "b@example.test", size);

        MimeMessage message;
        try (InputStream raw = Files.newInputStream(file)) {
            message = new MimeMessage(session, raw); // reads the message, leaves the stream open
        }
        Part attachment = ((Multipart) message.getContent()).getBodyPart(1);
        try (InputStream in = attachment.getInputStream()) {
            byte[] decoded = in.readAllBytes();
            assertEquals(size, decoded.length);
            // same generator as the standard attachment: the first 20 KB match it
            assertArrayEquals(TestMessage.attachment(), Arrays.copyOf(decoded, TestMessage.ATTACHMENT_BYTES));
        }
        for (String line : Files.readAllLines(file)) {
            assertTrue(line.length() <= 998, "RFC 5322 line limit");
        }
    }
}
