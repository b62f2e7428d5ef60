package io.catalystmail.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
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
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The harness's own small IMAP client, used only to prepare and inspect mailboxes on a real server (fill with
 * APPEND, count, empty), so that neither component under test prepares its own workload. With LITERAL+
 * (RFC 7888) appends are pipelined in batches; without it each literal waits for the server's continuation.
 */
final class ImapAppendClient implements Closeable {

    private static final int BATCH = 50;
    private static final int TIMEOUT_MILLIS = 120_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String greeting;
    private boolean literalPlus;
    private int tag;

    private ImapAppendClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.greeting = readLine();
    }

    static ImapAppendClient login(String host, int port, String user, String password) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        ImapAppendClient client = new ImapAppendClient(socket);
        try {
            for (String line : client.command("CAPABILITY")) {
                if (line.toUpperCase(Locale.ROOT).contains(" LITERAL+")) {
                    client.literalPlus = true;
                }
            }
            client.command("LOGIN " + quoted(user) + " " + quoted(password));
        } catch (IOException e) {
            client.close();
            throw e;
        }
        return client;
    }

    String greeting() {
        return greeting;
    }

    /**
     * Opens INBOX read-only (EXAMINE) and returns how many messages it holds. Read-only, because a read-write session
     * that is open while messages arrive takes their \Recent flag (RFC 3501 section 2.3.2: only one session sees a
     * message as recent), and the polls measured next would then meet the mail with {@code FLAGS ()}, unlike mail a
     * consumer finds on its own.
     */
    int examineInbox() throws IOException {
        return exists(command("EXAMINE INBOX"));
    }

    private static int exists(List<String> untagged) {
        int exists = 0;
        for (String line : untagged) {
            String[] words = line.split(" ");
            if (words.length >= 3 && words[0].equals("*") && words[2].equalsIgnoreCase("EXISTS")) {
                exists = Integer.parseInt(words[1]);
            }
        }
        return exists;
    }

    /**
     * True when INBOX (selected) holds a message that this harness did not put there: not from {@code sender}, or not
     * of the standard message's {@code size} (an older harness's message, whose size differed with its number).
     */
    boolean holdsForeignMail(String sender, int size) throws IOException {
        // RFC 3501 section 6.4.4: LARGER and SMALLER compare RFC822.SIZE strictly
        for (String line : command("SEARCH OR NOT FROM " + quoted(sender) + " OR LARGER " + size + " SMALLER " + size)) {
            if (line.startsWith("* SEARCH") && line.trim().length() > "* SEARCH".length()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Deletes every message of INBOX and leaves no mailbox selected (CLOSE expunges, RFC 3501 section 6.4.2), so that
     * messages appended next keep their \Recent flag for the first poll ({@link #examineInbox()}).
     */
    void emptyInbox() throws IOException {
        if (exists(command("SELECT INBOX")) > 0) {
            command("STORE 1:* +FLAGS.SILENT (\\Deleted)");
        }
        command("CLOSE");
    }

    /** Appends messages {@code first..last} made by {@code message}. */
    void append(int first, int last, IntFunction<byte[]> message) throws IOException {
        for (int start = first; start <= last; start += BATCH) {
            int end = Math.min(last, start + BATCH - 1);
            if (literalPlus) {
                List<String> tags = new ArrayList<>();
                for (int i = start; i <= end; i++) {
                    byte[] bytes = message.apply(i);
                    String t = nextTag();
                    tags.add(t);
                    write(t + " APPEND INBOX {" + bytes.length + "+}\r\n");
                    out.write(bytes);
                    write("\r\n");
                }
                out.flush();
                for (String t : tags) {
                    awaitTagged(t);
                }
            } else {
                for (int i = start; i <= end; i++) {
                    byte[] bytes = message.apply(i);
                    String t = startLiteral(bytes.length);
                    out.write(bytes);
                    write("\r\n");
                    out.flush();
                    awaitTagged(t);
                }
            }
        }
    }

    /** Appends one message from a file, streamed. */
    void append(Path file) throws IOException {
        long size = Files.size(file);
        String t = literalPlus ? sendLiteralPlus(size) : startLiteral(size);
        try (InputStream message = Files.newInputStream(file)) {
            message.transferTo(out);
        }
        write("\r\n");
        out.flush();
        awaitTagged(t);
    }

    private String sendLiteralPlus(long size) throws IOException {
        String t = nextTag();
        write(t + " APPEND INBOX {" + size + "+}\r\n");
        return t;
    }

    private String startLiteral(long size) throws IOException {
        String t = nextTag();
        write(t + " APPEND INBOX {" + size + "}\r\n");
        out.flush();
        String line = readLine();
        if (!line.startsWith("+")) {
            throw new IOException("APPEND refused: " + line);
        }
        return t;
    }

    private List<String> command(String command) throws IOException {
        String t = nextTag();
        write(t + " " + command + "\r\n");
        out.flush();
        return awaitTagged(t);
    }

    private List<String> awaitTagged(String t) throws IOException {
        List<String> untagged = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line.startsWith(t + " ")) {
                if (!line.startsWith(t + " OK")) {
                    throw new IOException("IMAP server answered: " + line);
                }
                return untagged;
            }
            untagged.add(line);
        }
    }

    private String nextTag() {
        return "b" + (++tag);
    }

    private void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("IMAP server closed the connection");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() throws IOException {
        try {
            command("LOGOUT");
        } catch (IOException ignored) {
            // the connection is going away either way
        } finally {
            socket.close();
        }
    }
}
