package io.catalystmail.camel.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small POP3 peer on 127.0.0.1:0 for what no real server shows on demand: a maildrop whose deletions take
 * effect only at QUIT, APOP with a checked digest, AUTH PLAIN and XOAUTH2, and faults (a cut connection, a
 * stall, a refused DELE, no UIDL, hand-made RETR bytes). It records every byte the client sent.
 *
 * <p>{@link #holdReplies(String, int)} proves pipelining: the server answers none of the named commands until
 * that many have arrived, so a client that waits for each reply before sending the next times out.
 */
public final class ScriptedPop3Server implements AutoCloseable {

    /** A message in the maildrop. */
    public record Mail(String uidl, byte[] content) {
    }

    private final ServerSocket serverSocket;
    private final Thread thread;
    private final List<Mail> maildrop = new CopyOnWriteArrayList<>();
    private final Map<Integer, byte[]> rawRetr = new HashMap<>();
    private final Set<Integer> refusedDele = new HashSet<>();
    private final Map<String, Integer> holds = new HashMap<>();
    private final Map<String, String> holdsUntil = new HashMap<>();
    private final ByteArrayOutputStream clientBytes = new ByteArrayOutputStream();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private volatile String greeting = "+OK scripted POP3 ready <4711.1700000000@scripted.example>";
    private volatile List<String> capabilities = List.of("TOP", "UIDL", "USER", "PIPELINING", "SASL PLAIN XOAUTH2");
    private volatile String user = "anna";
    private volatile String password = "s3cret!";
    private volatile String token = "ya29.token";
    private volatile boolean uidl = true;
    private volatile UnaryOperator<List<String>> listingLines = UnaryOperator.identity();
    private volatile String cutOn;
    private volatile String resetOn;
    private volatile String stallOn;
    private volatile Socket current;
    private volatile SSLContext tls;
    private volatile boolean injectAfterStls;
    private volatile boolean refuseApop;
    private final AtomicInteger failedQuits = new AtomicInteger();
    private volatile String failedQuitReply;

    public ScriptedPop3Server() throws IOException {
        serverSocket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "scripted-pop3");
        thread.setDaemon(true);
    }

    public ScriptedPop3Server start() {
        thread.start();
        return this;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public ScriptedPop3Server greeting(String line) {
        this.greeting = line;
        return this;
    }

    public ScriptedPop3Server capabilities(String... lines) {
        this.capabilities = List.of(lines);
        return this;
    }

    public ScriptedPop3Server account(String user, String password, String token) {
        this.user = user;
        this.password = password;
        this.token = token;
        return this;
    }

    public ScriptedPop3Server add(String uidl, byte[] content) {
        maildrop.add(new Mail(uidl, content));
        return this;
    }

    /** Takes the message out of the maildrop, as another client's deletion would. */
    public ScriptedPop3Server remove(String uidl) {
        maildrop.removeIf(m -> m.uidl().equals(uidl));
        return this;
    }

    public ScriptedPop3Server add(String uidl, String content) {
        return add(uidl, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * RETR of this message sends these bytes after "+OK\r\n", as they are (no stuffing, no terminator added).
     * When they do not end in a terminating "." line the server then drops the connection, as a server that
     * dies in the middle of a message would.
     */
    public ScriptedPop3Server rawRetr(int number, byte[] wire) {
        rawRetr.put(number, wire);
        return this;
    }

    public ScriptedPop3Server refuseDele(int number) {
        refusedDele.add(number);
        return this;
    }

    /** Answers none of the commands named {@code verb} until {@code count} of them have arrived (once). */
    public ScriptedPop3Server holdReplies(String verb, int count) {
        holds.put(verb, count);
        return this;
    }

    /**
     * Answers the command named {@code verb} (and any after it) only once a command named {@code until} has arrived
     * behind it (once): a client that waits for the first reply before sending {@code until} times out.
     */
    public ScriptedPop3Server holdRepliesUntil(String verb, String until) {
        holdsUntil.put(verb, until);
        return this;
    }

    /** Answers STLS and then speaks TLS with this context (list "STLS" in the capabilities to offer it). */
    public ScriptedPop3Server stls(SSLContext serverContext) {
        this.tls = serverContext;
        return this;
    }

    /** Sends a forged extra line right behind the "+OK" to STLS, in the same write: a STARTTLS injection. */
    public ScriptedPop3Server injectAfterStls() {
        this.injectAfterStls = true;
        return this;
    }

    /**
     * Announces the timestamp but answers every APOP with -ERR, as Apache James does: it keeps passwords hashed
     * and so cannot check an APOP digest.
     */
    public ScriptedPop3Server refuseApop() {
        this.refuseApop = true;
        return this;
    }

    /**
     * In the next {@code sessions} sessions QUIT removes nothing and is answered with {@code reply} (such as
     * "-ERR some deleted messages not removed", RFC 1939 §6), or, when it is null, the connection is closed without
     * an answer.
     */
    public ScriptedPop3Server failQuit(int sessions, String reply) {
        failedQuitReply = reply;
        failedQuits.set(sessions);
        return this;
    }

    /** UIDL and LIST answer with these lines ("n value" each, in message order) reshaped: reordered, respaced. */
    public ScriptedPop3Server listingLines(UnaryOperator<List<String>> reshape) {
        this.listingLines = reshape;
        return this;
    }

    public ScriptedPop3Server withoutUidl() {
        this.uidl = false;
        return this;
    }

    /** Closes the connection, without a reply, when this command arrives. */
    public ScriptedPop3Server cutOn(String verb) {
        this.cutOn = verb;
        return this;
    }

    /** Resets the connection (TCP RST, as a server process that dies does), without a reply, when this command arrives. */
    public ScriptedPop3Server resetOn(String verb) {
        this.resetOn = verb;
        return this;
    }

    /** Never answers this command (nor anything after it). */
    public ScriptedPop3Server stallOn(String verb) {
        this.stallOn = verb;
        return this;
    }

    /** The UIDLs in the maildrop now: what survived the sessions so far. */
    public List<String> maildropUidls() {
        return maildrop.stream().map(Mail::uidl).toList();
    }

    /** Every command line the client sent, in order. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** Every byte the client sent. */
    public byte[] clientBytes() {
        synchronized (clientBytes) {
            return clientBytes.toByteArray();
        }
    }

    /** Problems the server ran into (a client that broke the protocol); empty when all went as scripted. */
    public List<Throwable> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        Socket s = current;
        if (s != null) {
            s.close();
        }
    }

    private void serve() {
        while (!serverSocket.isClosed()) {
            try (Socket socket = serverSocket.accept()) {
                current = socket;
                new Conversation(socket).run();
            } catch (IOException e) {
                if (!serverSocket.isClosed()) {
                    errors.add(e);
                }
            } catch (RuntimeException | AssertionError e) {
                errors.add(e);
            }
        }
    }

    /** One client connection: the POP3 states of RFC 1939 §3 in miniature. */
    private final class Conversation {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private boolean encrypted;
        private final Set<Integer> marked = new HashSet<>();
        private final Map<String, Integer> holdsLeft = new HashMap<>(holds);
        private final Map<String, String> holdsUntilLeft = new HashMap<>(holdsUntil);
        private boolean authenticated;
        private String pendingUser;

        Conversation(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        void run() throws IOException {
            reply(greeting);
            List<String> held = new ArrayList<>();
            List<String> heldUntil = new ArrayList<>();
            String awaited = null;
            String line;
            while ((line = readLine()) != null) {
                String verb = verb(line);
                if (awaited == null && holdsUntilLeft.containsKey(verb)) {
                    awaited = holdsUntilLeft.remove(verb);
                }
                if (awaited != null) {
                    heldUntil.add(line);
                    if (verb.equals(awaited)) {
                        awaited = null;
                        for (String h : heldUntil) {
                            handle(h);
                        }
                        heldUntil.clear();
                    }
                    continue;
                }
                if (verb.equals(cutOn)) {
                    return;
                }
                if (verb.equals(resetOn)) {
                    socket.setSoLinger(true, 0);
                    return;
                }
                if (verb.equals(stallOn)) {
                    while (readLine() != null) {
                        // hold the connection open and silent until the client gives up
                    }
                    return;
                }
                Integer hold = holdsLeft.get(verb);
                if (hold != null) {
                    held.add(line);
                    if (held.size() < hold) {
                        continue;
                    }
                    holdsLeft.remove(verb);
                    for (String h : held) {
                        handle(h);
                    }
                    held.clear();
                    continue;
                }
                if (!handle(line)) {
                    return;
                }
            }
        }

        private boolean handle(String line) throws IOException {
            String[] args = line.split(" ");
            String verb = verb(line);
            if (!authenticated && !Set.of("CAPA", "STLS", "USER", "PASS", "APOP", "AUTH", "QUIT", "NOOP").contains(verb)) {
                reply("-ERR authenticate first");
                return true;
            }
            switch (verb) {
                case "CAPA" -> multiline("+OK capability list follows", String.join("\r\n",
                        capabilities.stream().filter(c -> !(encrypted && c.equals("STLS"))).toList()) + "\r\n");
                case "STLS" -> {
                    if (tls == null || encrypted) {
                        reply("-ERR not now");
                    } else {
                        reply(injectAfterStls ? "+OK begin TLS\r\n+OK injected" : "+OK begin TLS");
                        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                        secure.setUseClientMode(false);
                        secure.startHandshake();
                        socket = secure;
                        in = secure.getInputStream();
                        out = secure.getOutputStream();
                        encrypted = true;
                    }
                }
                case "NOOP" -> reply("+OK");
                case "USER" -> {
                    pendingUser = args.length > 1 ? args[1] : null;
                    reply("+OK");
                }
                case "PASS" -> login(user.equals(pendingUser) && line.equals("PASS " + password));
                case "APOP" -> login(!refuseApop && args.length == 3 && user.equals(args[1])
                        && args[2].equals(apopDigest()));
                case "AUTH" -> auth(args);
                case "UIDL" -> {
                    if (!uidl) {
                        reply("-ERR unknown command");
                    } else {
                        List<String> lines = new ArrayList<>();
                        forEachLive((n, m) -> lines.add(n + " " + m.uidl()));
                        multiline("+OK", listing(lines));
                    }
                }
                case "STAT" -> {
                    long[] drop = new long[2];
                    forEachLive((n, m) -> {
                        drop[0]++;
                        drop[1] += m.content().length;
                    });
                    reply("+OK " + drop[0] + " " + drop[1]);
                }
                case "LIST" -> {
                    List<String> lines = new ArrayList<>();
                    forEachLive((n, m) -> lines.add(n + " " + m.content().length));
                    multiline("+OK", listing(lines));
                }
                case "TOP" -> {
                    Mail m = live(args);
                    if (m == null) {
                        reply("-ERR no such message");
                    } else {
                        reply("+OK");
                        out.write(stuffed(header(m.content())));
                        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                case "RETR" -> {
                    Mail m = live(args);
                    if (m == null) {
                        reply("-ERR no such message");
                    } else if (rawRetr.containsKey(Integer.parseInt(args[1]))) {
                        reply("+OK");
                        byte[] raw = rawRetr.get(Integer.parseInt(args[1]));
                        out.write(raw);
                        out.flush();
                        String text = new String(raw, StandardCharsets.ISO_8859_1);
                        if (!text.endsWith("\n.\r\n") && !text.endsWith("\n.\n")) {
                            return false;
                        }
                    } else {
                        reply("+OK " + m.content().length + " octets");
                        out.write(stuffed(m.content()));
                        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                case "DELE" -> {
                    Mail m = live(args);
                    int n = m == null ? 0 : Integer.parseInt(args[1]);
                    if (m == null) {
                        reply("-ERR no such message");
                    } else if (refusedDele.contains(n)) {
                        reply("-ERR [SYS/PERM] message " + n + " is read-only");
                    } else {
                        marked.add(n);
                        reply("+OK message " + n + " deleted");
                    }
                }
                case "QUIT" -> {
                    if (failedQuits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        if (failedQuitReply != null) {
                            reply(failedQuitReply);
                        }
                        return false;
                    }
                    // RFC 1939 §6: the UPDATE state removes what was marked, only now
                    List<Mail> gone = new ArrayList<>();
                    for (int n : marked) {
                        gone.add(maildrop.get(n - 1));
                    }
                    maildrop.removeAll(gone);
                    reply("+OK bye");
                    return false;
                }
                default -> reply("-ERR unknown command " + verb);
            }
            out.flush();
            return true;
        }

        private void login(boolean ok) throws IOException {
            authenticated = ok;
            reply(ok ? "+OK maildrop locked and ready" : "-ERR [AUTH] invalid credentials");
        }

        private void auth(String[] args) throws IOException {
            String mechanism = args.length > 1 ? args[1].toUpperCase(Locale.ROOT) : "";
            String response;
            if (args.length > 2) {
                response = args[2];
            } else {
                reply("+ ");
                response = readLine();
            }
            String decoded = new String(Base64.getDecoder().decode(response.equals("=") ? "" : response),
                    StandardCharsets.UTF_8);
            if (mechanism.equals("PLAIN")) {
                login(decoded.equals("\0" + user + "\0" + password));
            } else if (mechanism.equals("XOAUTH2")) {
                if (decoded.equals("user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001")) {
                    login(true);
                } else {
                    // the XOAUTH2 failure dance: a JSON error as a challenge, an empty answer, then -ERR
                    reply("+ " + Base64.getEncoder().encodeToString(
                            "{\"status\":\"401\",\"schemes\":\"bearer\"}".getBytes(StandardCharsets.UTF_8)));
                    String empty = readLine();
                    if (!"".equals(empty)) {
                        errors.add(new AssertionError("expected an empty answer to the XOAUTH2 error, got " + empty));
                    }
                    login(false);
                }
            } else {
                reply("-ERR unsupported mechanism");
            }
        }

        private String apopDigest() {
            String ts = greeting.substring(greeting.indexOf('<'), greeting.indexOf('>') + 1);
            try {
                StringBuilder hex = new StringBuilder();
                for (byte b : MessageDigest.getInstance("MD5").digest((ts + password).getBytes(StandardCharsets.UTF_8))) {
                    hex.append(String.format("%02x", b));
                }
                return hex.toString();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private Mail live(String[] args) {
            try {
                int n = Integer.parseInt(args[1]);
                return n >= 1 && n <= maildrop.size() && !marked.contains(n) ? maildrop.get(n - 1) : null;
            } catch (RuntimeException e) {
                return null;
            }
        }

        private void forEachLive(java.util.function.BiConsumer<Integer, Mail> action) {
            for (int n = 1; n <= maildrop.size(); n++) {
                if (!marked.contains(n)) {
                    action.accept(n, maildrop.get(n - 1));
                }
            }
        }

        private void reply(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** The body of a UIDL or LIST answer: its lines as {@link #listingLines} reshapes them. */
        private String listing(List<String> lines) {
            StringBuilder sb = new StringBuilder();
            listingLines.apply(lines).forEach(line -> sb.append(line).append("\r\n"));
            return sb.toString();
        }

        private void multiline(String status, String body) throws IOException {
            out.write((status + "\r\n" + body + ".\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** A line of the client's, without CRLF; null at the end of the connection. */
        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                synchronized (clientBytes) {
                    clientBytes.write(c);
                }
                if (c == '\n') {
                    byte[] b = line.toByteArray();
                    int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                    String s = new String(b, 0, len, StandardCharsets.UTF_8);
                    commands.add(s);
                    return s;
                }
                line.write(c);
            }
            return null;
        }

        private String verb(String line) {
            int sp = line.indexOf(' ');
            return (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        }
    }

    /** The header block of a message, through its empty line. */
    static byte[] header(byte[] content) {
        for (int i = 0; i + 1 < content.length; i++) {
            if (content[i] == '\n' && (content[i + 1] == '\n'
                    || (content[i + 1] == '\r' && i + 2 < content.length && content[i + 2] == '\n'))) {
                int end = content[i + 1] == '\n' ? i + 2 : i + 3;
                return java.util.Arrays.copyOf(content, end);
            }
        }
        return content;
    }

    /**
     * RFC 1939 §3 byte stuffing: a '.' at the start of a line (after any LF) is doubled, and a message that
     * does not end in a line break gets CRLF, so the terminating "." stands on a line of its own.
     */
    public static byte[] stuffed(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 16);
        boolean lineStart = true;
        for (byte b : content) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (content.length > 0 && !lineStart) {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }
}
