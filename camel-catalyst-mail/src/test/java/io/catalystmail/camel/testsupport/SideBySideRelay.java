package io.catalystmail.camel.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain-IMAP relay on 127.0.0.1 in front of a server that answers in order (GreenMail), which answers like Dovecot
 * when it runs pipelined UID commands side by side: the tagged answer of a {@code UID STORE} is held back until the
 * {@code UID FETCH} the client sent behind it has been answered, so that FETCH's bodies reach the client before the
 * STORE's completion. A STORE the client sent no FETCH behind (it waits for the answer) is answered once the client
 * has sent nothing for {@link #QUIET_MILLIS}: that only keeps the conversation going. It records the UIDs whose {@code \Deleted} flag the client has seen
 * answered ({@link #flagAnswered}).
 */
public final class SideBySideRelay extends RelayListener {

    /** How long the client may send nothing behind a STORE before its answer goes out in order after all. */
    static final long QUIET_MILLIS = 1_000;

    private static final Pattern COMMAND = Pattern.compile("^(\\S+) UID (STORE|FETCH) (\\S+)");
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");

    private final Set<Long> flagAnswered = ConcurrentHashMap.newKeySet();
    private volatile int heldBack;

    public SideBySideRelay(int upstreamPort) throws IOException {
        super(InetAddress.getLoopbackAddress(), upstreamPort);
        startAccepting("side-by-side-relay");
    }

    /** Whether the answer to a STORE naming {@code uid} has gone to the client. */
    public boolean flagAnswered(long uid) {
        return flagAnswered.contains(uid);
    }

    /** How many STORE answers went out behind a FETCH sent after them. */
    public int heldBack() {
        return heldBack;
    }

    @Override
    protected void relay(Socket client, Socket server) {
        new Connection(client, server).start();
    }

    /** One client's connection: a pump each way, the STORE answers held between them. */
    private final class Connection {

        private final Socket client;
        private final Socket server;
        /** Tag to command kind and UID set, for the UID STORE and UID FETCH commands the client sent, in order. */
        private final Map<String, String[]> commands = new HashMap<>();
        private final List<String> order = new ArrayList<>();
        private final List<Held> held = new ArrayList<>();
        private long lastCommandNanos = System.nanoTime();
        private final ScheduledExecutorService quiet = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-quiet");
            t.setDaemon(true);
            return t;
        });

        private record Held(String tag, byte[] line) {
        }

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            daemon(this::fromClient, "relay-client");
            daemon(this::fromServer, "relay-server");
            quiet.scheduleWithFixedDelay(this::answerWhenQuiet, QUIET_MILLIS / 4, QUIET_MILLIS / 4,
                    TimeUnit.MILLISECONDS);
        }

        private void fromClient() {
            try (InputStream in = new BufferedInputStream(client.getInputStream());
                 OutputStream out = server.getOutputStream()) {
                for (byte[] line = readLine(in); line != null; line = readLine(in)) {
                    String text = new String(line, StandardCharsets.ISO_8859_1).trim();
                    Matcher m = COMMAND.matcher(text);
                    synchronized (this) {
                        if (m.find()) {
                            commands.put(m.group(1), new String[] {m.group(2), m.group(3)});
                            order.add(m.group(1));
                        }
                        lastCommandNanos = System.nanoTime();
                    }
                    out.write(line);
                    copyLiteral(text, in, out);
                    out.flush();
                }
            } catch (IOException e) {
                // the connection ended
            }
        }

        private void fromServer() {
            try (InputStream in = new BufferedInputStream(server.getInputStream())) {
                OutputStream out = client.getOutputStream();
                for (byte[] line = readLine(in); line != null; line = readLine(in)) {
                    String text = new String(line, StandardCharsets.ISO_8859_1).trim();
                    ByteArrayOutputStream literal = new ByteArrayOutputStream();
                    copyLiteral(text, in, literal);
                    synchronized (this) {
                        String tag = text.substring(0, Math.max(0, text.indexOf(' ')));
                        String[] command = commands.get(tag);
                        if (command != null && command[0].equals("STORE")) {
                            held.add(new Held(tag, line));
                            continue;
                        }
                        out.write(line);
                        literal.writeTo(out);
                        if (command != null && command[0].equals("FETCH")) {
                            releaseBefore(tag, out);
                        }
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the connection ended
            }
        }

        /** Whether the client sent a UID FETCH behind the STORE {@code tag}. */
        private boolean fetchBehind(String tag) {
            int at = order.indexOf(tag);
            return order.subList(at + 1, order.size()).stream().anyMatch(t -> commands.get(t)[0].equals("FETCH"));
        }

        /** Answers the held STOREs the client sent before the FETCH {@code tag} that was just answered. */
        private void releaseBefore(String fetchTag, OutputStream out) throws IOException {
            int fetchAt = order.indexOf(fetchTag);
            List<Held> due = held.stream().filter(h -> order.indexOf(h.tag()) < fetchAt).toList();
            for (Held h : due) {
                answer(h, out);
                heldBack++;
            }
            held.removeAll(due);
        }

        /** Recorded before it is written: the client may act on the answer the moment it reads it. */
        private void answer(Held h, OutputStream out) throws IOException {
            String[] command = commands.get(h.tag());
            if (new String(h.line(), StandardCharsets.ISO_8859_1).startsWith(h.tag() + " OK")) {
                flagAnswered.addAll(ExpungeOrder.uids(command[1]));
            }
            out.write(h.line());
            out.flush();
        }

        /** A STORE held while the client waits for it, no FETCH behind: answered once the client was quiet a while. */
        private synchronized void answerWhenQuiet() {
            if (client.isClosed()) {
                quiet.shutdown();
                return;
            }
            List<Held> due = held.stream().filter(h -> !fetchBehind(h.tag())).toList();
            if (due.isEmpty() || System.nanoTime() - lastCommandNanos < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
                return;
            }
            try {
                OutputStream out = client.getOutputStream();
                for (Held h : due) {
                    answer(h, out);
                }
                out.flush();
            } catch (IOException e) {
                quiet.shutdown();
            }
            held.removeAll(due);
        }

        /** After a line ending in a literal's length, the literal's bytes, copied as they are. */
        private static void copyLiteral(String line, InputStream in, OutputStream out) throws IOException {
            Matcher literal = LITERAL.matcher(line);
            if (literal.find()) {
                byte[] bytes = in.readNBytes(Integer.parseInt(literal.group(1)));
                out.write(bytes);
            }
        }

        private static byte[] readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0; b = in.read()) {
                line.write(b);
                if (b == '\n') {
                    return line.toByteArray();
                }
            }
            return line.size() == 0 ? null : line.toByteArray();
        }

        private static void daemon(Runnable task, String name) {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            t.start();
        }
    }
}
