package io.catalystmail.examples.boot;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import java.util.List;
import java.util.stream.Stream;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example as it runs: the sample mail waiting in the embedded inbox has its attachment written to the folder,
 * and the notification reaches the notify mailbox. Only the ports and the folder differ
 * from application.yaml (free ports, so that builds running side by side do not collide).
 */
@SpringBootTest
class MailExampleApplicationTest {

    @TempDir
    static Path attachments;

    @DynamicPropertySource
    static void freePortsAndFolder(DynamicPropertyRegistry registry) {
        int smtpPort = freePort();
        int imapPort = freePort();
        registry.add("mail.smtp-port", () -> smtpPort);
        registry.add("mail.imap-port", () -> imapPort);
        registry.add("mail.attachments-dir", attachments::toString);
    }

    @Autowired
    GreenMail greenMail;

    @Test
    void theAttachmentIsSavedAndANotificationSent() throws Exception {
        // checks every 100 ms until the deadline: no fixed wait for the mail
        Awaitility.await("a notification and a saved attachment").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> notifications().length > 0 && !savedFiles().isEmpty());
        List<Path> saved = savedFiles();
        assertEquals(1, saved.size());
        assertTrue(saved.get(0).getFileName().toString().endsWith("-invoice-2024-0815.csv"), saved.toString());
        assertEquals("invoice,2024-0815,EUR 42.00\n", Files.readString(saved.get(0), StandardCharsets.UTF_8));

        MimeMessage notification = notifications()[0];
        assertEquals("Attachments saved", notification.getSubject());
        assertTrue(notification.getContentType().startsWith("text/plain"),
                "the notification carries no attachment: " + notification.getContentType());
        String text = GreenMailUtil.getBody(notification);
        assertTrue(text.contains("Saved 1 attachment(s) of 'Invoice 2024-0815' from billing@supplier.example"), text);
    }

    private MimeMessage[] notifications() {
        return java.util.Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return "Attachments saved".equals(m.getSubject());
            } catch (Exception e) {
                return false;
            }
        }).toArray(MimeMessage[]::new);
    }

    private static List<Path> savedFiles() throws IOException {
        try (Stream<Path> files = Files.list(attachments)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
