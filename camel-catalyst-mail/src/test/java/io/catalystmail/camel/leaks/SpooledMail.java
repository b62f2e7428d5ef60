package io.catalystmail.camel.leaks;

import java.nio.charset.StandardCharsets;

import com.icegreen.greenmail.junit5.GreenMailExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;

/** A message whose 20 KB attachment lies above the tests' bodyStorageThreshold=1024: fetching it spools a file. */
final class SpooledMail {

    private SpooledMail() {
    }

    static byte[] to(String recipient, String subject) {
        String text = "From: a@example.test\r\nTo: " + recipient + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
                      + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                      + "hello\r\n--b\r\nContent-Type: application/octet-stream\r\n"
                      + "Content-Disposition: attachment; filename=data.bin\r\n\r\n" + "0123456789\r\n".repeat(1700)
                      + "--b--\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Puts {@code count} of them into {@code login}'s INBOX unless it holds mail already: the leak scenarios read or
     * fail, they delete nothing, so what one test method left is there for the next.
     */
    static void keepIn(GreenMailExtension greenMail, String login, String address, int count) {
        if (!messages(greenMail, login, "INBOX").isEmpty()) {
            return;
        }
        for (int i = 0; i < count; i++) {
            deliver(greenMail, login, to(address, "m" + i));
        }
    }
}
