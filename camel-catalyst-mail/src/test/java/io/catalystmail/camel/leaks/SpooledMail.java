package io.catalystmail.camel.leaks;

import java.nio.charset.StandardCharsets;

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
}
