package io.catalystmail.benchmarks;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The raw wire, the limit the components are measured against: the same job as a consume+delete poll (connect,
 * log in, fetch every body, delete them all, log out) on one connection, with nothing parsed beyond what finds
 * the end of each body, and nothing mapped or routed. Sending is Postfix's own load generator, {@code smtp-source}.
 */
final class WireClients {

    private static final int TIMEOUT_MILLIS = 120_000;

    private WireClients() {
    }

    /**
     * IMAP: {@code FETCH 1:n (BODY.PEEK[])} in one command, each literal skipped by its announced length, then
     * {@code STORE 1:n +FLAGS.SILENT (\Deleted)} and {@code EXPUNGE}. Returns the body bytes read.
     */
    static long imapFetchAndDelete(ComponentUnderTest.Target target, int messages) throws IOException {
        try (Socket socket = connect(target)) {
            Line line = new Line(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            line.read(); // greeting
            imap(out, line, "a LOGIN " + quoted(target.user()) + " " + quoted(target.password()));
            imap(out, line, "b SELECT INBOX");
            long bytes = imap(out, line, "c FETCH 1:" + messages + " (BODY.PEEK[])");
            imap(out, line, "d STORE 1:" + messages + " +FLAGS.SILENT (\\Deleted)");
            imap(out, line, "e EXPUNGE");
            imap(out, line, "f LOGOUT");
            return bytes;
        }
    }

    /** Sends one tagged command and reads to its tagged OK, skipping literals; returns the literal bytes. */
    private static long imap(OutputStream out, Line in, String command) throws IOException {
        String tag = command.substring(0, command.indexOf(' ') + 1);
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ProtocolLog.wire("C: " + (command.contains(" LOGIN ") ? tag + "LOGIN ***" : command));
        long literals = 0;
        while (true) {
            String text = in.read();
            if (text.startsWith(tag)) {
                if (!text.startsWith(tag + "OK")) {
                    throw new IOException("IMAP " + command.split(" ")[1] + ": " + text);
                }
                ProtocolLog.wire("S: " + text);
                return literals;
            }
            // an untagged line ending in {n} announces a literal of n bytes; the response goes on after it
            while (text.endsWith("}") && text.lastIndexOf('{') >= 0) {
                long size = Long.parseLong(text.substring(text.lastIndexOf('{') + 1, text.length() - 1));
                in.skip(size);
                literals += size;
                text = in.read();
            }
        }
    }

    /**
     * POP3: every {@code RETR 1..n} written at once by a thread of its own (RFC 2449 PIPELINING, which Dovecot
     * offers) while this one reads each reply to its terminating dot, then every {@code DELE} the same way and
     * {@code QUIT}, which commits them. Returns the body bytes read (dot-stuffed, with CRLFs).
     */
    static long pop3RetrieveAndDelete(ComponentUnderTest.Target target, int messages) throws Exception {
        try (Socket socket = connect(target)) {
            Line in = new Line(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            pop3(in, "greeting");
            send(out, "USER " + target.user());
            pop3(in, "USER");
            send(out, "PASS " + target.password());
            pop3(in, "PASS");
            long bytes = pipelined(socket, out, in, "RETR", messages, true);
            pipelined(socket, out, in, "DELE", messages, false);
            send(out, "QUIT");
            pop3(in, "QUIT");
            return bytes;
        }
    }

    private static long pipelined(Socket socket, OutputStream out, Line in, String command, int messages,
                                  boolean multiLine) throws Exception {
        List<Exception> writeFailure = new ArrayList<>(1);
        Thread writer = new Thread(() -> {
            if (ProtocolLog.measuring()) {
                ProtocolLog.wire("C: " + command + " 1.." + messages);
            }
            try {
                for (int i = 1; i <= messages; i++) {
                    out.write((command + " " + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException e) {
                synchronized (writeFailure) {
                    writeFailure.add(e);
                }
            }
        }, "wire-pop3-" + command);
        writer.start();
        long bytes = 0;
        try {
            for (int i = 1; i <= messages; i++) {
                pop3(in, command);
                if (multiLine) {
                    bytes += in.skipToDot();
                }
            }
        } finally {
            writer.join(TimeUnit.MILLISECONDS.toMillis(TIMEOUT_MILLIS));
        }
        synchronized (writeFailure) {
            if (!writeFailure.isEmpty()) {
                throw writeFailure.get(0);
            }
        }
        return bytes;
    }

    private static void pop3(Line in, String command) throws IOException {
        String reply = in.read();
        if (ProtocolLog.measuring()) {
            // a line per message: the text is built only while the timeline is written
            ProtocolLog.wire("S: " + command + " " + reply);
        }
        if (!reply.startsWith("+OK")) {
            throw new IOException("POP3 " + command + ": " + reply);
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        if (ProtocolLog.measuring()) {
            ProtocolLog.wire("C: " + (line.startsWith("PASS") ? "PASS ***" : line));
        }
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Postfix's {@code smtp-source}: {@code sessions} connections in parallel, each sending message after message on
     * the same connection ({@code -d}), {@code messages} in all, every one the given file. It does not pipeline
     * (its man page says so) and does not log in (Postfix takes mail for its own domain without AUTH).
     */
    static void smtpSource(ComponentUnderTest.Target target, String from, String to, int messages, int sessions,
                           Path message, int timeoutSeconds) throws Exception {
        List<String> command = List.of(smtpSourceProgram(), "-d", "-s", String.valueOf(sessions), "-m",
                String.valueOf(messages), "-f", from, "-t", to, "-M", "localhost", "-F", message.toString(),
                target.host() + ":" + target.port());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream stdout = process.getInputStream()) {
            output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("smtp-source did not finish within " + timeoutSeconds + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("smtp-source exited with " + process.exitValue() + ": " + output.trim());
        }
    }

    /** smtp-source lives in /usr/sbin (Debian package postfix), which is not on every user's PATH. */
    static String smtpSourceProgram() throws IOException {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "smtp-source"));
            }
        }
        candidates.add(Path.of("/usr/sbin/smtp-source"));
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IOException("smtp-source not found on the PATH or in /usr/sbin (it comes with Debian's postfix"
                              + " package, which scripts/mail-servers.sh installs)");
    }

    /**
     * Writes the message smtp-source sends with {@code -F}: it appends CRLF to every line itself and dot-stuffs, so
     * the file has bare LF line ends.
     */
    static void writeSmtpSourceMessage(Path file, byte[] message) throws IOException {
        String text = new String(message, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Socket connect(ComponentUnderTest.Target target) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(target.host(), target.port()), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Reads lines and skips bytes with a buffer of its own: a byte at a time through BufferedInputStream's
     * synchronized read() would cost more than the wire for 30 MB.
     */
    private static final class Line {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        private final StringBuilder line = new StringBuilder(256);

        Line(InputStream in) {
            this.in = in;
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        /** One line without its CRLF. */
        String read() throws IOException {
            line.setLength(0);
            while (true) {
                if (position == limit && !fill()) {
                    throw new EOFException("the server closed the connection");
                }
                byte b = buffer[position++];
                if (b == '\n') {
                    return line.toString();
                }
                if (b != '\r') {
                    line.append((char) (b & 0xff));
                }
            }
        }

        void skip(long bytes) throws IOException {
            for (long left = bytes; left > 0; ) {
                if (position == limit && !fill()) {
                    throw new EOFException("the server closed the connection inside a literal");
                }
                int n = (int) Math.min(limit - position, left);
                position += n;
                left -= n;
            }
        }

        /** Skips a POP3 multi-line body up to and including its CRLF.CRLF; returns the bytes before the dot. */
        long skipToDot() throws IOException {
            // state: 0 inside a line, 1 after CR, 2 at a line start, 3 dot at a line start, 4 CR after that dot
            int state = 2;
            long bytes = 0;
            while (true) {
                if (position == limit && !fill()) {
                    throw new EOFException("the server closed the connection inside a message");
                }
                byte b = buffer[position++];
                bytes++;
                switch (state) {
                    case 1 -> state = b == '\n' ? 2 : b == '\r' ? 1 : 0;
                    case 2 -> state = b == '.' ? 3 : b == '\r' ? 1 : 0;
                    case 3 -> state = b == '\r' ? 4 : 0;
                    case 4 -> {
                        if (b == '\n') {
                            return bytes - 3;
                        }
                        state = b == '\r' ? 1 : 0;
                    }
                    default -> state = b == '\r' ? 1 : 0;
                }
            }
        }
    }
}
