package io.catalystmail.benchmarks;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * The mail every workload moves, generated deterministically with plain Java: a multipart/mixed message with a
 * text part and its HTML alternative, and one base64 attachment. The standard message is about 30 KB with a
 * 20 KB attachment; the large one is written straight to a file, its attachment encoded chunk by chunk, so
 * nothing holds it in memory.
 */
public final class TestMessage {

    /** Decoded size of the standard message's attachment. */
    public static final int ATTACHMENT_BYTES = 20 * 1024;
    public static final String ATTACHMENT_NAME = "measurements.bin";
    public static final String SUBJECT = "Benchmark message";

    /**
     * Digits of a message's number wherever it appears (subject, Message-ID, both boundaries: ten times), zero-padded,
     * so that every standard message has the same size whatever its number: the mailbox refills numbered from
     * {@link MailboxRefill#FIRST_NUMBER} were 20 to 30 bytes longer than the driver's first messages.
     */
    static final int NUMBER_DIGITS = 7;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final long SEED = 0x5EEDL;

    private TestMessage() {
    }

    /** Plain text body of the standard message (about 1.5 KB). */
    public static String text() {
        StringBuilder sb = new StringBuilder();
        for (int line = 1; sb.length() < 1500; line++) {
            sb.append("Line ").append(line).append(" of the benchmark message: the quick brown fox jumps over the lazy dog.\r\n");
        }
        return sb.toString();
    }

    /** HTML alternative of the text body (about 2 KB). */
    public static String html() {
        StringBuilder sb = new StringBuilder("<html><body>\r\n");
        for (int line = 1; sb.length() < 2000; line++) {
            sb.append("<p>Line <b>").append(line).append("</b> of the benchmark message: the quick brown fox.</p>\r\n");
        }
        return sb.append("</body></html>\r\n").toString();
    }

    /** The standard attachment: {@link #ATTACHMENT_BYTES} pseudo-random bytes, the same on every call. */
    public static byte[] attachment() {
        byte[] data = new byte[ATTACHMENT_BYTES];
        new SplittableRandom(SEED).nextBytes(data);
        return data;
    }

    /** The complete standard message, as a server would store it. */
    public static byte[] standard(String from, String to, int number) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            write(out, from, to, number, ATTACHMENT_BYTES);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** Writes a message whose attachment has {@code attachmentBytes} decoded bytes to a file, streaming. */
    public static void writeLarge(Path file, String from, String to, long attachmentBytes) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
            write(out, from, to, 1, attachmentBytes);
        }
    }

    /** Writes {@code bytes} pseudo-random bytes to a file, for the SMTP workloads that attach a file. */
    public static void writeAttachmentFile(Path file, long bytes) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
            writeRandom(out, bytes);
        }
    }

    /** A message's number as every standard message writes it: {@value #NUMBER_DIGITS} digits. */
    static String numbered(int number) {
        String digits = String.valueOf(number);
        if (number < 0 || digits.length() > NUMBER_DIGITS) {
            throw new IllegalArgumentException("message numbers have " + NUMBER_DIGITS + " digits at most: " + number);
        }
        return "0".repeat(NUMBER_DIGITS - digits.length()) + digits;
    }

    private static void write(OutputStream out, String from, String to, int number, long attachmentBytes)
            throws IOException {
        String id = numbered(number);
        String mixed = "mixed-boundary-" + id;
        String alternative = "alternative-boundary-" + id;
        StringBuilder head = new StringBuilder()
                .append("From: Benchmark Sender <").append(from).append(">\r\n")
                .append("To: <").append(to).append(">\r\n")
                .append("Subject: ").append(SUBJECT).append(' ').append(id).append("\r\n")
                .append("Date: Mon, 2 Mar 2026 10:00:00 +0000\r\n")
                .append("Message-ID: <benchmark-").append(id).append("@example.test>\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/mixed; boundary=\"").append(mixed).append("\"\r\n")
                .append("\r\n")
                .append("--").append(mixed).append("\r\n")
                .append("Content-Type: multipart/alternative; boundary=\"").append(alternative).append("\"\r\n")
                .append("\r\n")
                .append("--").append(alternative).append("\r\n")
                .append("Content-Type: text/plain; charset=UTF-8\r\n")
                .append("Content-Transfer-Encoding: 7bit\r\n")
                .append("\r\n")
                .append(text())
                .append("--").append(alternative).append("\r\n")
                .append("Content-Type: text/html; charset=UTF-8\r\n")
                .append("Content-Transfer-Encoding: 7bit\r\n")
                .append("\r\n")
                .append(html())
                .append("--").append(alternative).append("--\r\n")
                .append("\r\n")
                .append("--").append(mixed).append("\r\n")
                .append("Content-Type: application/octet-stream; name=\"").append(ATTACHMENT_NAME).append("\"\r\n")
                .append("Content-Disposition: attachment; filename=\"").append(ATTACHMENT_NAME).append("\"\r\n")
                .append("Content-Transfer-Encoding: base64\r\n")
                .append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        // the MIME encoder breaks lines at 76 characters (RFC 2045 section 6.8) and buffers only one group
        OutputStream base64 = Base64.getMimeEncoder(76, CRLF).wrap(new NonClosing(out));
        writeRandom(base64, attachmentBytes);
        base64.close();
        out.write(CRLF);
        out.write(("--" + mixed + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void writeRandom(OutputStream out, long bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        byte[] chunk = new byte[(int) Math.min(64 * 1024, Math.max(1, bytes))];
        for (long left = bytes; left > 0; left -= chunk.length) {
            random.nextBytes(chunk);
            out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
    }

    /** Lets the base64 encoder be closed (to flush its last group) without closing the message stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
