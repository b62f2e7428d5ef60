package io.catalystmail.camel.testsupport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A scripted SMTP peer for what no real server can show: it listens on 127.0.0.1 on a free port, accepts one
 * connection and plays a script of expected commands and canned replies, recording every byte the client sent
 * (decrypted after STARTTLS). It can upgrade to TLS with a test certificate for {@code localhost} and
 * {@code 127.0.0.1} (trusted by {@link #clientTrust()}), cut the connection or stall at any step.
 *
 * <pre>
 * try (ScriptedSmtpServer server = ScriptedSmtpServer.start(ScriptedSmtpServer.script()
 *         .greet("220 test ESMTP")
 *         .expect("EHLO", "250-test\n250 PIPELINING")
 *         .expectBatch(List.of("MAIL FROM", "RCPT TO", "DATA"), "250 ok", "250 ok", "354 go")
 *         .expectData("250 queued")
 *         .expect("QUIT", "221 bye"))) {
 *     ... client talks to 127.0.0.1:server.port() ...
 *     server.verify();
 * }
 * </pre>
 * Replies are given with {@code \n} between lines; the server sends CRLF.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    private static final String KEYSTORE = "/io/catalystmail/camel/testsupport/localhost.p12";
    private static final char[] KEYSTORE_PASSWORD = "changeit".toCharArray();

    private final ServerSocket listener;
    private final List<Step> steps;
    private final Thread thread;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<String> commands = new ArrayList<>();
    private final List<byte[]> messages = new ArrayList<>();
    private volatile Socket socket;
    private volatile String failure;
    private volatile boolean finished;
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);

    /** A script under construction; steps run in the order they are added. */
    public static final class Script {
        private final List<Step> steps = new ArrayList<>();

        /** Sends reply lines unasked: the greeting, or anything a test wants to inject. */
        public Script greet(String reply) {
            steps.add(new Step(Kind.SEND, null, reply));
            return this;
        }

        /** Sends reply lines unasked (same as greet, for use mid-script). */
        public Script send(String reply) {
            return greet(reply);
        }

        /** Reads one command line that must start with {@code prefix} (ignoring case), then sends {@code reply}. */
        public Script expect(String prefix, String reply) {
            steps.add(new Step(Kind.EXPECT, List.of(prefix), reply));
            return this;
        }

        /**
         * Reads all the given command lines BEFORE replying, then sends the replies in order: a client that waits
         * for a reply between them (not pipelining) stalls here.
         */
        public Script expectBatch(List<String> prefixes, String... replies) {
            steps.add(new Step(Kind.EXPECT_BATCH, prefixes, String.join("\n", replies)));
            return this;
        }

        /** Reads message data up to the CRLF.CRLF terminator, records it, then sends {@code reply} (null: none). */
        public Script expectData(String reply) {
            steps.add(new Step(Kind.DATA, null, reply));
            return this;
        }

        /**
         * Waits (up to 10 s) until {@code signal} is released by the test's side, without reading or answering;
         * the script fails naming {@code what} when it is not.
         */
        public Script await(java.util.concurrent.CountDownLatch signal, String what) {
            steps.add(new Step(Kind.AWAIT, List.of(what), null, signal));
            return this;
        }

        /** Switches the connection to TLS as the server side (after a 220 reply to STARTTLS). */
        public Script startTls() {
            steps.add(new Step(Kind.TLS, null, null));
            return this;
        }

        /** Closes the connection abruptly. */
        public Script cut() {
            steps.add(new Step(Kind.CUT, null, null));
            return this;
        }

        /** Stops answering but keeps reading (and recording) until the client closes the connection. */
        public Script stall() {
            steps.add(new Step(Kind.STALL, null, null));
            return this;
        }

        /** Stops reading and answering altogether, until the server is closed: the client's writes back up. */
        public Script freeze() {
            steps.add(new Step(Kind.FREEZE, null, null));
            return this;
        }

        /**
         * Cuts this connection and takes the client's next one: the steps after it play on that connection (a
         * client that replaces a dead connection).
         */
        public Script cutAndAcceptNext() {
            steps.add(new Step(Kind.NEXT, null, null));
            return this;
        }

        /** Expects the client to close the connection without sending another byte. */
        public Script expectClose() {
            steps.add(new Step(Kind.CLOSE, null, null));
            return this;
        }
    }

    private enum Kind { SEND, EXPECT, EXPECT_BATCH, DATA, AWAIT, TLS, CUT, NEXT, STALL, FREEZE, CLOSE }

    private record Step(Kind kind, List<String> prefixes, String reply, java.util.concurrent.CountDownLatch signal) {
        Step(Kind kind, List<String> prefixes, String reply) {
            this(kind, prefixes, reply, null);
        }
    }

    public static Script script() {
        return new Script();
    }

    public static ScriptedSmtpServer start(Script script) throws IOException {
        return new ScriptedSmtpServer(script);
    }

    private ScriptedSmtpServer(Script script) throws IOException {
        this.steps = List.copyOf(script.steps);
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::run, "scripted-smtp-" + listener.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Every byte the client sent, in order (plain text of the TLS part). */
    public byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /** {@link #received()} as UTF-8 text. */
    public String receivedText() {
        return new String(received(), StandardCharsets.UTF_8);
    }

    /** The command lines received, without CRLF (message data excluded). */
    public List<String> commands() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    /** Each message's data as it came over the wire (dot-stuffed), up to and without the terminating ".CRLF". */
    public List<byte[]> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /**
     * Waits (up to 10 s) for the script to end and fails with the first mismatch, if any. A script ending in
     * {@code freeze()} counts as finished once it froze.
     */
    public void verify() {
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (thread.isAlive() && !finished && System.nanoTime() < deadline) {
                thread.join(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new AssertionError("scripted SMTP server: " + failure + "\nreceived:\n" + receivedText());
        }
        if (!finished) {
            throw new AssertionError("scripted SMTP server: script did not finish\nreceived:\n" + receivedText());
        }
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        listener.close();
        Socket s = socket;
        if (s != null) {
            s.close();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A TLS context for clients that trusts only the test certificate. */
    public static SSLContext clientTrust() {
        try {
            KeyStore keys = loadKeyStore();
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            Certificate cert = keys.getCertificate("localhost");
            trust.setCertificateEntry("localhost", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the test trust context", e);
        }
    }

    private static SSLContext serverContext() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(loadKeyStore(), KEYSTORE_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static KeyStore loadKeyStore() throws Exception {
        try (InputStream in = ScriptedSmtpServer.class.getResourceAsStream(KEYSTORE)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, KEYSTORE_PASSWORD);
            return ks;
        }
    }

    // ---- the server thread

    private InputStream in;
    private OutputStream out;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int limit;

    private void run() {
        try (Socket accepted = listener.accept()) {
            socket = accepted;
            in = accepted.getInputStream();
            out = accepted.getOutputStream();
            for (int i = 0; i < steps.size(); i++) {
                if (!play(steps.get(i), i)) {
                    return;
                }
            }
            finished = true;
        } catch (Exception e) {
            if (failure == null) {
                failure = "failed at a step: " + e;
            }
        } finally {
            // a connection taken by cutAndAcceptNext ends with the script too
            try {
                socket.close();
            } catch (IOException | RuntimeException e) {
                // closed already
            }
        }
    }

    private boolean play(Step step, int index) throws Exception {
        switch (step.kind()) {
            case SEND -> reply(step.reply());
            case EXPECT, EXPECT_BATCH -> {
                for (String prefix : step.prefixes()) {
                    String line = readCommand();
                    if (line == null) {
                        failure = "step " + index + ": connection closed, expected " + prefix;
                        return false;
                    }
                    if (!line.toUpperCase(Locale.ROOT).startsWith(prefix.toUpperCase(Locale.ROOT))) {
                        failure = "step " + index + ": expected " + prefix + " but got: " + line;
                        return false;
                    }
                }
                reply(step.reply());
            }
            case DATA -> {
                if (!readData()) {
                    failure = "step " + index + ": connection closed in message data";
                    return false;
                }
                if (step.reply() != null) {
                    reply(step.reply());
                }
            }
            case AWAIT -> {
                if (!step.signal().await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    failure = "step " + index + ": waited 10 s in vain for " + step.prefixes().get(0);
                    return false;
                }
            }
            case TLS -> upgrade();
            case CUT -> {
                socket.close();
                finished = true;
                return false;
            }
            case NEXT -> {
                socket.close();
                Socket next = listener.accept();
                socket = next;
                in = next.getInputStream();
                out = next.getOutputStream();
                pos = 0;
                limit = 0;
            }
            case STALL -> {
                while (fill() > 0) {
                    pos = limit;
                }
            }
            case FREEZE -> {
                finished = true;
                closing.await();
            }
            case CLOSE -> {
                if (pos < limit || fill() > 0) {
                    failure = "step " + index + ": expected the client to close, but it sent more";
                    return false;
                }
            }
        }
        return true;
    }

    private void reply(String reply) throws IOException {
        if (reply == null || reply.isEmpty()) {
            return;
        }
        out.write((reply.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One line up to LF, CRLF stripped; null at end of stream. */
    private String readCommand() throws IOException {
        byte[] line = readLine();
        if (line == null) {
            return null;
        }
        int end = line.length;
        while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
            end--;
        }
        String command = new String(line, 0, end, StandardCharsets.UTF_8);
        synchronized (commands) {
            commands.add(command);
        }
        return command;
    }

    /** Reads data lines until a line that is exactly ".CRLF" (RFC 5321 §4.1.1.4). */
    private boolean readData() throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            byte[] line = readLine();
            if (line == null) {
                return false;
            }
            if (Arrays.equals(line, new byte[] {'.', '\r', '\n'})) {
                synchronized (messages) {
                    messages.add(data.toByteArray());
                }
                return true;
            }
            data.writeBytes(line);
        }
    }

    /** Bytes up to and including the next LF (or what is left at end of stream); null when nothing is left. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (pos == limit && fill() < 0) {
                return line.size() == 0 ? null : line.toByteArray();
            }
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            if (pos < limit) {
                pos++;
                line.write(buf, start, pos - start);
                return line.toByteArray();
            }
            line.write(buf, start, pos - start);
        }
    }

    private int fill() throws IOException {
        int n;
        try {
            n = in.read(buf, 0, buf.length);
        } catch (IOException e) {
            // a client that resets the connection ends the conversation like one that closes it
            n = -1;
        }
        pos = 0;
        limit = Math.max(n, 0);
        if (n > 0) {
            synchronized (received) {
                received.write(buf, 0, n);
            }
        }
        return n;
    }

    private void upgrade() throws Exception {
        // bytes already read past the STARTTLS line belong to the TLS handshake
        InputStream consumed = new ByteArrayInputStream(buf, pos, limit - pos);
        pos = limit;
        SSLSocket tls = (SSLSocket) serverContext().getSocketFactory().createSocket(socket, consumed, true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        socket = tls;
        in = tls.getInputStream();
        out = tls.getOutputStream();
    }
}
