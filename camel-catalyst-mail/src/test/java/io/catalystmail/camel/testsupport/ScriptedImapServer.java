package io.catalystmail.camel.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An IMAP peer on 127.0.0.1 that plays a script to one client: it sends scripted lines, expects commands,
 * records every command the client sent (literals inline), and can upgrade to TLS, stall or cut the
 * connection at a given step. For what no real server shows on demand: odd responses, failures, exact
 * command traces.
 * <p>
 * In replies, {@code {tag}} stands for the tag of the last command received and {@code {tag-n}} for the one
 * n commands before it (to answer pipelined commands). After the script, LOGOUT is
 * answered politely and anything else is recorded as unexpected.
 */
public final class ScriptedImapServer implements AutoCloseable {

    private static final Pattern LITERAL_AT_END = Pattern.compile("\\{(\\d+)(\\+?)\\}$");

    private interface Step {
        void run(Session session) throws IOException;
    }

    private final List<Step> steps = new ArrayList<>();
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private ServerSocket serverSocket;
    private Thread thread;

    /** Sends lines (CRLF appended to each) with {@code {tag}} replaced by the last command's tag. */
    public ScriptedImapServer send(String... lines) {
        steps.add(s -> {
            for (String line : lines) {
                s.write((s.withTags(line) + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        return this;
    }

    /** Sends bytes exactly as given (for literals with binary content). */
    public ScriptedImapServer sendBytes(byte[] bytes) {
        steps.add(s -> s.write(bytes));
        return this;
    }

    /** Expects a command whose text after the tag matches {@code regex} entirely. */
    public ScriptedImapServer expect(String regex) {
        Pattern pattern = Pattern.compile(regex, Pattern.DOTALL);
        steps.add(s -> {
            String command = s.readCommand();
            if (command == null) {
                throw new IOException("client closed the connection; expected " + regex);
            }
            if (!pattern.matcher(command).matches()) {
                throw new IOException("expected /" + regex + "/ but the client sent: " + command);
            }
        });
        return this;
    }

    /**
     * Expects a command line (without its tag) that ends in a synchronizing literal and matches {@code regex}, and
     * sends {@code reply} in place of the "+" (RFC 3501 §7.5): a NO or BAD that ends the command. Whatever the
     * client sends next is read as a new command, so octets of the refused literal show as a script mismatch.
     */
    public ScriptedImapServer refuseLiteral(String regex, String reply) {
        Pattern pattern = Pattern.compile(regex, Pattern.DOTALL);
        steps.add(s -> {
            String rest = s.readTaggedLine();
            if (rest == null) {
                throw new IOException("client closed the connection; expected " + regex);
            }
            Matcher literal = LITERAL_AT_END.matcher(rest);
            if (!pattern.matcher(rest).matches() || !literal.find() || !literal.group(2).isEmpty()) {
                throw new IOException("expected /" + regex + "/ ending in a synchronizing literal, got: " + rest);
            }
            s.write((s.withTags(reply) + "\r\n").getBytes(StandardCharsets.UTF_8));
        });
        return this;
    }

    /** Expects a bare line (a SASL response or "*"), matching {@code regex}. */
    public ScriptedImapServer expectLine(String regex) {
        steps.add(s -> {
            String line = s.readLine();
            if (line == null || !line.matches(regex)) {
                throw new IOException("expected line /" + regex + "/ but got: " + line);
            }
            received.add(line);
        });
        return this;
    }

    /** Upgrades to TLS as the server side, with the given context. */
    public ScriptedImapServer startTls(SSLContext context) {
        steps.add(s -> {
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(s.socket, null, s.socket.getPort(), true);
            tls.setUseClientMode(false);
            tls.startHandshake();
            s.attach(tls);
        });
        return this;
    }

    /**
     * Goes on only once {@code gate} is open (at most 30 s): for answers the client must not need before it did
     * something the test can see, such as a call returning.
     */
    public ScriptedImapServer waitFor(CountDownLatch gate) {
        steps.add(s -> {
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("the test never opened the gate the script waits for");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the gate", e);
            }
        });
        return this;
    }

    /** Closes the connection at this step. */
    public ScriptedImapServer cut() {
        steps.add(s -> s.socket.close());
        return this;
    }

    /** Resets the connection at this step (an RST, as a crashed server or a middlebox gives): the client's next read fails. */
    public ScriptedImapServer reset() {
        steps.add(s -> {
            s.socket.setSoLinger(true, 0);
            s.socket.close();
        });
        return this;
    }

    /** Stops answering: reads and discards until the client gives up and closes. */
    public ScriptedImapServer stall() {
        steps.add(s -> {
            while (s.in.read() >= 0) {
                // keep the connection open and silent
            }
            s.socket.close();
        });
        return this;
    }

    public ScriptedImapServer start() throws IOException {
        serverSocket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "scripted-imap-" + serverSocket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Commands (without tags) and bare lines the client sent, in order; literals inline. */
    public List<String> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Script mismatches and unexpected commands; empty when the client did exactly what was scripted. */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** Waits for the script to finish (the client's connection ended). */
    public void awaitEnd() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void serve() {
        try (ServerSocket ss = serverSocket; Socket socket = ss.accept()) {
            socket.setSoTimeout(10_000);
            Session session = new Session(socket);
            for (Step step : steps) {
                step.run(session);
            }
            if (!socket.isClosed()) {
                afterScript(session);
            }
        } catch (IOException e) {
            if (!serverSocket.isClosed() || !(e instanceof java.net.SocketException)) {
                problems.add(e.getMessage());
            }
        }
    }

    private void afterScript(Session s) throws IOException {
        String command;
        while ((command = s.readCommand()) != null) {
            if (command.equals("LOGOUT")) {
                s.write(("* BYE bye\r\n" + s.lastTag + " OK LOGOUT done\r\n").getBytes(StandardCharsets.US_ASCII));
                return;
            }
            problems.add("unexpected command after the script: " + command);
            s.write((s.lastTag + " BAD not in the script\r\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
    }

    private final class Session {
        Socket socket;
        InputStream in;
        OutputStream out;
        String lastTag = "*";
        /** Tags of the commands received, the latest last. */
        final List<String> tags = new ArrayList<>();

        /** Replaces {tag} by the last command's tag and {tag-n} by the tag n commands before it. */
        String withTags(String line) {
            String out = line.replace("{tag}", lastTag);
            for (int n = 1; n < tags.size(); n++) {
                out = out.replace("{tag-" + n + "}", tags.get(tags.size() - 1 - n));
            }
            return out;
        }

        Session(Socket socket) throws IOException {
            attach(socket);
        }

        void attach(Socket s) throws IOException {
            socket = s;
            in = s.getInputStream();
            out = s.getOutputStream();
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** One command with its literals: "+" is sent for synchronizing literals, not for {n+}. */
        String readCommand() throws IOException {
            StringBuilder command = new StringBuilder();
            String line = readLine();
            if (line == null) {
                return null;
            }
            while (true) {
                Matcher m = LITERAL_AT_END.matcher(line);
                if (!m.find()) {
                    command.append(line);
                    break;
                }
                command.append(line, 0, m.start()).append(m.group());
                if (m.group(2).isEmpty()) {
                    write("+ go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                byte[] literal = in.readNBytes(Integer.parseInt(m.group(1)));
                command.append(new String(literal, StandardCharsets.UTF_8));
                line = readLine();
                if (line == null) {
                    return null;
                }
            }
            return tagged(command.toString());
        }

        /** One line read as a command whose literal is not taken: its tag becomes {tag}; returns the rest. */
        String readTaggedLine() throws IOException {
            String line = readLine();
            return line == null ? null : tagged(line);
        }

        private String tagged(String text) {
            int space = text.indexOf(' ');
            lastTag = space < 0 ? text : text.substring(0, space);
            tags.add(lastTag);
            String rest = space < 0 ? "" : text.substring(space + 1);
            received.add(rest);
            return rest;
        }

        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    byte[] bytes = line.toByteArray();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, length, StandardCharsets.UTF_8);
                }
                line.write(c);
            }
            return null;
        }
    }
}
