package io.catalystmail.camel.operations;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.catalystmail.camel.CatalystMailConstants;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Run in a child JVM with -Xmx64m by {@link LargeAppendTest}: APPENDs a 100 MiB message, generated as a stream,
 * to a counting IMAP peer that discards what it reads. Passes when the peer received every octet of the literal
 * it was announced and the producer reported the UID, so the message streamed end to end without being held.
 */
public final class LargeAppendScenario {

    static final long BODY_LINES = 100L * 1024 * 1024 / 100; // 100-octet lines: 100 MiB
    private static final Pattern APPEND = Pattern.compile("^(\\S+) APPEND \"INBOX\" \\{(\\d+)\\}$");

    private LargeAppendScenario() {
    }

    public static void main(String[] args) throws Exception {
        AtomicLong announced = new AtomicLong(-1);
        AtomicLong received = new AtomicLong();
        AtomicReference<Throwable> serverFailure = new AtomicReference<>();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    serve(s, announced, received);
                } catch (Throwable t) {
                    serverFailure.set(t);
                }
            }, "counting-imap-peer");
            server.setDaemon(true);
            server.start();
            try (DefaultCamelContext camel = new DefaultCamelContext()) {
                camel.start();
                ProducerTemplate template = camel.createProducerTemplate();
                Exchange result = template.send("catalystmail:imap:127.0.0.1:" + listener.getLocalPort()
                        + "?operation=append&folder=INBOX&raw=true&readTimeout=120000&fetchTimeout=300000",
                        e -> e.getIn().setBody(new GeneratedMessage()));
                if (result.getException() != null) {
                    throw new AssertionError("append failed", result.getException());
                }
                Object uid = result.getMessage().getHeader(CatalystMailConstants.UID);
                if (!Long.valueOf(42).equals(uid)) {
                    throw new AssertionError("no APPENDUID in the result: " + uid);
                }
            }
            server.join(60_000);
        }
        if (serverFailure.get() != null) {
            throw new AssertionError("the peer failed", serverFailure.get());
        }
        long expected = GeneratedMessage.HEADER.length + BODY_LINES * 100;
        if (announced.get() != expected || received.get() != expected) {
            throw new AssertionError("announced " + announced + ", received " + received + ", expected " + expected);
        }
        System.out.println("max heap " + Runtime.getRuntime().maxMemory() + ", appended " + expected
                + " octets; SCENARIO PASSED");
    }

    /** PREAUTH, LIST for the delimiter, then APPEND with a synchronizing literal whose octets are counted. */
    private static void serve(Socket s, AtomicLong announced, AtomicLong received) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        write(out, "* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS] counting peer");
        while (true) {
            String line = readLine(in);
            if (line == null) {
                return;
            }
            String tag = line.substring(0, line.indexOf(' '));
            Matcher append = APPEND.matcher(line);
            if (line.endsWith("LIST \"\" \"\"")) {
                write(out, "* LIST (\\Noselect) \"/\" \"\"");
                write(out, tag + " OK listed");
            } else if (append.matches()) {
                long size = Long.parseLong(append.group(2));
                announced.set(size);
                write(out, "+ send it");
                byte[] buffer = new byte[64 * 1024];
                long left = size;
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new IOException("client closed inside the literal");
                    }
                    left -= n;
                    received.addAndGet(n);
                }
                String rest = readLine(in);
                if (!rest.isEmpty()) {
                    throw new IOException("after the literal: '" + rest + "'");
                }
                write(out, tag + " OK [APPENDUID 7 42] appended");
            } else if (line.endsWith("LOGOUT")) {
                write(out, "* BYE bye");
                write(out, tag + " OK bye");
                return;
            } else {
                write(out, tag + " BAD unexpected");
            }
        }
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return c < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }

    /** A 100 MiB message produced on the fly: a header, then 100-octet lines ending in bare LF (made CRLF). */
    static final class GeneratedMessage extends InputStream {
        static final byte[] HEADER = ("From: big@example.org\r\nTo: archive@example.org\r\nSubject: large\r\n"
                + "Message-ID: <large@example.org>\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        private static final byte[] LINE = ("x".repeat(98) + "\n").getBytes(StandardCharsets.US_ASCII);
        private long position;

        @Override
        public int read() {
            long bodyAt = position - HEADER.length;
            if (bodyAt >= BODY_LINES * LINE.length) {
                return -1;
            }
            int b = bodyAt < 0 ? HEADER[(int) position] : LINE[(int) (bodyAt % LINE.length)];
            position++;
            return b & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) {
                    return n == 0 ? -1 : n;
                }
                b[off + n++] = (byte) c;
            }
            return n;
        }
    }
}
