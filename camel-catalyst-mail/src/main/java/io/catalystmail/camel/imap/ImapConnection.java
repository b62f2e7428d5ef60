package io.catalystmail.camel.imap;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import javax.net.ssl.SSLSocket;

import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.auth.SaslMechanism;
import io.catalystmail.camel.auth.SaslMechanisms;
import io.catalystmail.camel.auth.TokenRefresh;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.OperationDeadline;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.net.TlsFailureException;
import io.catalystmail.camel.net.TlsSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP connection in the not-authenticated and authenticated states: connect, greeting, STARTTLS,
 * CAPABILITY, LOGIN or AUTHENTICATE, then tagged commands with their untagged responses, and LOGOUT.
 * <p>
 * The socket is this class's own rather than Commons Net's {@code IMAPClient}: that client reads replies as
 * text lines (so a FETCH with two literals fails), wraps the socket streams in its own readers, and upgrades
 * STARTTLS without host name verification. Here a plain {@link Socket} with connect and read timeouts carries
 * the bytes to {@link ImapResponseReader}, and TLS comes from {@link TlsSockets#upgrade}, which verifies the
 * chain and the host name.
 * <p>
 * Logging at DEBUG shows commands with LOGIN passwords and AUTHENTICATE data masked; not thread-safe.
 */
public final class ImapConnection implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ImapConnection.class);
    private static final byte[] CRLF = {'\r', '\n'};

    private final ConnectionSettings settings;
    private final ImapLimits limits;
    private Socket socket;
    private ImapResponseReader reader;
    private OutputStream out;
    private Capabilities capabilities = Capabilities.NONE;
    private boolean authenticated;
    private int tagCounter;
    /** Tags sent whose tagged answer has not been read yet. */
    private final Set<String> unanswered = new HashSet<>();
    /**
     * Tagged answers read while awaiting a command sent before them: RFC 3501 §5.5 lets a server complete
     * pipelined commands in another order than they were sent.
     */
    private final Map<String, ImapResponse> answeredEarly = new HashMap<>();
    private String byeText;
    private boolean broken;
    /** Untagged EXISTS responses read: new mail announced, whichever command's answer carried it (IDLE, RFC 2177). */
    private volatile long existsSeen;

    /** Commands sent whose tagged answer has not been read yet, by tag: named in errors. */
    private final Map<String, String> commandNames = new HashMap<>();
    /** The plain socket under any TLS layer: what a deadline or {@link #abort()} closes from another thread. */
    private volatile Socket transport;
    private volatile OperationDeadline deadline;

    private ImapConnection(ConnectionSettings settings, ImapLimits limits, Socket socket) throws IOException {
        this.settings = settings;
        this.limits = limits;
        attach(socket);
    }

    /**
     * Connects, reads the greeting and applies the STARTTLS policy: afterwards the connection is encrypted
     * whenever the settings ask for it, and {@link #capabilities()} are the ones valid for it.
     */
    public static ImapConnection connect(ConnectionSettings settings) throws IOException {
        return connect(settings, ImapLimits.DEFAULT);
    }

    public static ImapConnection connect(ConnectionSettings settings, ImapLimits limits) throws IOException {
        return connect(settings, limits, abort -> { });
    }

    /**
     * @param onSocket receives, before anything is sent, what closes the new socket from another thread: a login
     *                 stuck on a silent server can be cut by a stopping consumer
     */
    public static ImapConnection connect(ConnectionSettings settings, ImapLimits limits,
            Consumer<Runnable> onSocket) throws IOException {
        Socket plain = new Socket();
        onSocket.accept(() -> closeQuietly(plain));
        ImapConnection connection = null;
        // the login deadline runs from the connect on; the caller ends it (endDeadline) once logged in
        OperationDeadline login = OperationDeadline.start("IMAP server " + settings.describe(), "the login",
                "loginTimeout", settings.loginTimeout(), () -> closeQuietly(plain));
        try {
            plain.connect(new InetSocketAddress(settings.host(), settings.port()), millis(settings.connectTimeout()));
            plain.setSoTimeout(millis(settings.readTimeout()));
            plain.setTcpNoDelay(true); // commands are small and each waits for its answer
            Socket socket = settings.implicitTls() ? TlsSockets.upgrade(plain, settings) : plain;
            connection = new ImapConnection(settings, limits, socket);
            connection.transport = plain;
            connection.deadline = login;
            connection.readGreeting();
            connection.negotiateTls();
            return connection;
        } catch (IOException | RuntimeException e) {
            login.close();
            closeQuietly(plain);
            if (connection != null) {
                closeQuietly(connection.socket);
            }
            if (login.expired()) {
                throw login.timeout(e);
            }
            throw e;
        }
    }

    /**
     * Starts the clock for {@code operation}: when {@code limit} passes before {@link #endDeadline()}, the socket
     * is closed and the blocked read fails with a timeout naming server, operation and {@code option}.
     */
    public void startDeadline(String operation, String option, Duration limit) {
        endDeadline();
        Socket s = transport;
        deadline = OperationDeadline.start("IMAP server " + settings.describe(), operation, option, limit,
                () -> closeQuietly(s));
    }

    /** Stops the clock of the running operation, if any. */
    public void endDeadline() {
        OperationDeadline d = deadline;
        deadline = null;
        if (d != null) {
            d.close();
        }
    }

    /**
     * Closes the socket at once, from any thread, without LOGOUT: a thread blocked reading or writing on this
     * connection fails. For stopping a consumer whose poll is stuck on a silent server.
     */
    public void abort() {
        broken = true;
        endDeadline();
        Socket s = transport;
        if (s != null) {
            closeQuietly(s);
        }
        closeQuietly(socket);
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        reader = new ImapResponseReader(s.getInputStream(), limits);
        out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
    }

    private void readGreeting() throws IOException {
        ImapResponse greeting = readResponse(null, "the greeting");
        LOG.debug("S: {} (greeting from {})", greeting, settings.describe());
        if (greeting.kind() != ImapResponse.Kind.UNTAGGED || !greeting.isStatus()) {
            throw new ImapProtocolException("expected a greeting, got " + greeting.kind());
        }
        switch (greeting.type()) {
            case "OK" -> authenticated = false;
            case "PREAUTH" -> authenticated = true;
            case "BYE" -> throw new ImapCommandException("greeting", "BYE", greeting.text());
            default -> throw new ImapProtocolException("greeting with status " + greeting.type());
        }
        observe(greeting);
    }

    /** RFC 3501 §6.2.1: capabilities learnt before STARTTLS are discarded and asked for again afterwards. */
    private void negotiateTls() throws IOException {
        if (isSecure() || settings.startTls() == StartTlsMode.DISABLED) {
            return;
        }
        if (capabilities.isEmpty()) {
            refreshCapabilities();
        }
        if (!capabilities.has("STARTTLS") || authenticated) {
            if (settings.startTls() == StartTlsMode.REQUIRED) {
                throw new TlsFailureException(settings.describe() + " does not offer STARTTLS"
                        + (authenticated ? " (PREAUTH)" : "") + ", but startTls is REQUIRED", null);
            }
            LOG.debug("{} offers no STARTTLS; going on unencrypted", settings.describe());
            return;
        }
        execute(new ImapCommand("STARTTLS"), null, null);
        if (reader.hasBufferedInput()) {
            // anything after the OK arrived before TLS yet would be read as if it came over TLS (CVE-2011-0411 class)
            throw new ImapProtocolException("the server sent data after its STARTTLS answer, before the TLS handshake");
        }
        attach(TlsSockets.upgrade(socket, settings));
        capabilities = Capabilities.NONE;
        refreshCapabilities();
    }

    /** Sends CAPABILITY; the untagged answer replaces the known capabilities. */
    public void refreshCapabilities() throws IOException {
        execute(new ImapCommand("CAPABILITY"), null, null);
    }

    /**
     * Logs in, unless the greeting was PREAUTH: asks for CAPABILITY first when none is known, then AUTHENTICATE
     * with the configured mechanism or the strongest usable one the server offers, else LOGIN (never sent under
     * LOGINDISABLED, RFC 3501 §6.2.3). Credentials are never sent unencrypted unless
     * {@link ConnectionSettings#plaintextCredentialsAllowed()}.
     */
    public void authenticate(Credentials credentials) throws IOException {
        if (authenticated) {
            return;
        }
        if (!credentials.present()) {
            throw new AuthenticationException(settings.describe() + " needs a login, but no username is configured");
        }
        if (!isSecure() && !settings.plaintextCredentialsAllowed()) {
            throw new AuthenticationException("refusing to send credentials to " + settings.describe()
                    + " over an unencrypted connection: use imaps or startTls, or allow insecure authentication");
        }
        if (capabilities.isEmpty()) {
            // RFC 3501 §6.2: a greeting need not list capabilities (James's does not); without them LOGINDISABLED
            // and the SASL mechanisms are unknown, and LOGIN would send a password the server may refuse to take
            refreshCapabilities();
        }
        boolean saslOffered = capabilities.authMechanisms().stream()
                .anyMatch(m -> SaslMechanisms.supported().contains(m) && SaslMechanisms.usable(m, credentials));
        ImapResponse done;
        // a token alone needs SASL; a token beside a password (an autowired supplier, say) falls back to LOGIN when
        // the server offers no mechanism that takes either
        if (credentials.mechanism() != null || saslOffered || credentials.password() == null) {
            done = TokenRefresh.authenticate(SaslMechanisms.choose(capabilities.authMechanisms(), credentials),
                    credentials, this::authenticateSasl);
        } else {
            if (capabilities.has("LOGINDISABLED")) {
                throw new AuthenticationException(settings.describe() + " disables LOGIN (LOGINDISABLED)"
                        + (isSecure() ? "" : "; it may allow it over TLS (startTls)")
                        + " and offers no usable SASL mechanism");
            }
            if (credentials.password() == null) {
                throw new AuthenticationException("LOGIN needs a password, but none is configured");
            }
            String tag = send(new ImapCommand("LOGIN").string(credentials.username()).secret(credentials.password()));
            done = await(tag, null, null);
            if (!done.isOk()) {
                throw new AuthenticationException("LOGIN as " + credentials.username() + " refused: " + done.type()
                        + " " + done.text());
            }
        }
        authenticated = true;
        if (done.code() == null || !done.code().name().equals("CAPABILITY")) {
            // the server may announce more (or fewer) capabilities once logged in
            refreshCapabilities();
        }
    }

    /**
     * AUTHENTICATE (RFC 3501 §6.2.2) with the initial response in the command when SASL-IR is offered
     * (RFC 4959, "=" standing for an empty one). A failing XOAUTH2 sends a JSON challenge that the mechanism
     * answers with an empty line, after which the server sends its NO.
     */
    private ImapResponse authenticateSasl(SaslMechanism mechanism) throws IOException {
        ImapCommand command = new ImapCommand("AUTHENTICATE").atom(mechanism.name());
        byte[] initial = mechanism.initialResponse();
        if (initial != null && capabilities.has("SASL-IR")) {
            command.secretRaw(initial.length == 0 ? "=" : Base64.getEncoder().encodeToString(initial));
        }
        String tag = send(command);
        while (true) {
            ImapResponse r = readResponse(null, commandNames.getOrDefault(tag, "a command"));
            if (r.kind() == ImapResponse.Kind.UNTAGGED) {
                observe(r);
            } else if (r.kind() == ImapResponse.Kind.CONTINUATION) {
                byte[] answer;
                try {
                    answer = mechanism.respond(decodeChallenge(r.text()));
                } catch (AuthenticationException e) {
                    writeLine("*", "C: * (cancel AUTHENTICATE)");
                    await(tag, null, null);
                    throw e;
                }
                writeLine(Base64.getEncoder().encodeToString(answer), "C: (SASL response, masked)");
            } else if (r.tag().equals(tag)) {
                unanswered.remove(tag);
                observe(r);
                if (!r.isOk()) {
                    throw new AuthenticationException("AUTHENTICATE " + mechanism.name() + " refused: " + r.type() + " "
                            + r.text());
                }
                return r;
            } else {
                throw new ImapProtocolException("tagged response for unknown tag " + ImapValues.describe(r.tag()));
            }
        }
    }

    /** Servers put non-base64 prompts after "+" when they expect no data; treat those as empty challenges. */
    private static byte[] decodeChallenge(String text) {
        try {
            return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /**
     * Sends a command and reads to its tagged answer, passing untagged responses to {@code untagged} and FETCH
     * body literals to {@code bodies} (either may be null).
     *
     * @throws ImapCommandException when the answer is NO or BAD
     */
    public ImapResponse execute(ImapCommand command, Consumer<ImapResponse> untagged,
            ImapResponseReader.BodyConsumer bodies) throws IOException {
        ImapResponse done = await(send(command), untagged, bodies);
        if (!done.isOk()) {
            throw new ImapCommandException(command.name(), done.type(), done.text(), done.code());
        }
        return done;
    }

    /**
     * Writes a command and returns its tag without waiting for the answer (so a caller may pipeline), except
     * for the continuation a synchronizing literal needs.
     */
    public String send(ImapCommand command) throws IOException {
        checkUsable();
        String tag = "A" + (++tagCounter);
        LOG.debug("C: {} {}", tag, command.loggable());
        unanswered.add(tag);
        commandNames.put(tag, command.name());
        try {
            out.write(tag.getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.write(command.name().getBytes(StandardCharsets.US_ASCII));
            for (ImapCommand.Part part : command.parts()) {
                if (part.spaceBefore()) {
                    out.write(' ');
                }
                if (part.literal() == null) {
                    out.write(part.text().getBytes(StandardCharsets.US_ASCII));
                    continue;
                }
                LiteralContent literal = part.literal();
                boolean nonSync = capabilities.nonSynchronizingLiteral(literal.size());
                out.write(("{" + literal.size() + (nonSync ? "+" : "") + "}").getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
                if (!nonSync) {
                    out.flush();
                    awaitContinuation(tag, command);
                }
                literal.writeTo(out);
            }
            out.write(CRLF);
            out.flush();
        } catch (IOException e) {
            broken = true;
            throw named(e, command.name());
        }
        return tag;
    }

    private void awaitContinuation(String tag, ImapCommand command) throws IOException {
        while (true) {
            ImapResponse r = readResponse(null, commandNames.getOrDefault(tag, "a command"));
            switch (r.kind()) {
                case CONTINUATION -> {
                    return;
                }
                case UNTAGGED -> observe(r);
                case TAGGED -> {
                    if (r.tag().equals(tag)) {
                        unanswered.remove(tag);
                        throw new ImapCommandException(command.name(), r.type(), r.text());
                    }
                    keepEarlyAnswer(r);
                }
            }
        }
    }

    /** Reads responses up to the tagged answer for {@code tag} and returns it, whatever its status. */
    public ImapResponse await(String tag, Consumer<ImapResponse> untagged, ImapResponseReader.BodyConsumer bodies)
            throws IOException {
        ImapResponse early = answeredEarly.remove(tag);
        if (early != null) {
            commandNames.remove(tag);
            return early;
        }
        while (true) {
            ImapResponse r = readResponse(bodies, commandNames.getOrDefault(tag, "a command"));
            switch (r.kind()) {
                case UNTAGGED -> {
                    observe(r);
                    if (untagged != null) {
                        untagged.accept(r);
                    }
                }
                case CONTINUATION -> throw new ImapProtocolException("unexpected continuation request");
                case TAGGED -> {
                    observe(r);
                    if (!r.tag().equals(tag)) {
                        keepEarlyAnswer(r);
                        continue;
                    }
                    unanswered.remove(tag);
                    commandNames.remove(tag);
                    LOG.debug("S: {}", r);
                    return r;
                }
            }
        }
    }

    /**
     * Reads the next response of any kind, for a command whose untagged answers come without end in sight (IDLE,
     * RFC 2177 §3): each is bounded like any other; a tagged one settles its command as in {@link #await}.
     */
    public ImapResponse readNext() throws IOException {
        ImapResponse r = readResponse(null, "IDLE");
        observe(r);
        if (r.kind() == ImapResponse.Kind.TAGGED) {
            unanswered.remove(r.tag());
            commandNames.remove(r.tag());
            LOG.debug("S: {}", r);
        }
        return r;
    }

    /** Writes a line that is not a command (IDLE's DONE); may come from another thread than the one reading. */
    public void writeContinuation(String line) throws IOException {
        writeLine(line, "C: " + line, "IDLE");
    }

    /** The socket's read timeout from now on: IDLE waits longer than one answer may take (RFC 2177 §3). */
    public void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout(millis(timeout));
    }

    /** How many untagged EXISTS the server sent on this connection: a change means new mail was announced. */
    public long existsSeen() {
        return existsSeen;
    }

    /** Keeps the answer to another command still in flight for its own {@link #await}; any other tag is an error. */
    private void keepEarlyAnswer(ImapResponse r) throws ImapProtocolException {
        if (!unanswered.remove(r.tag())) {
            throw new ImapProtocolException("tagged response for unknown tag " + ImapValues.describe(r.tag()));
        }
        LOG.debug("S: {}", r);
        answeredEarly.put(r.tag(), r);
    }

    private ImapResponse readResponse(ImapResponseReader.BodyConsumer bodies, String command) throws IOException {
        checkUsable();
        try {
            ImapResponse r = reader.read(bodies);
            if (LOG.isTraceEnabled() && r.kind() != ImapResponse.Kind.TAGGED) {
                LOG.trace("S: {}", r.kind() == ImapResponse.Kind.CONTINUATION ? "+ (challenge)" : r);
            }
            return r;
        } catch (EOFException e) {
            broken = true;
            if (byeText != null) {
                throw new ImapCommandException("session", "BYE", byeText);
            }
            throw named(e, command);
        } catch (IOException e) {
            broken = true;
            throw named(e, command);
        }
    }

    /**
     * The failure of a read or write, naming the server and the command it concerned: a deadline that closed the
     * socket, a read timeout, a protocol violation (the server's fault, RFC 3501 §7), or a lost connection.
     */
    private IOException named(IOException e, String command) {
        OperationDeadline d = deadline;
        if (d != null && d.expired()) {
            return d.timeout(e);
        }
        String server = "IMAP server " + settings.describe();
        if (e.getMessage() != null && e.getMessage().startsWith(server)) {
            return e; // named already, by an inner call
        }
        if (e instanceof SocketTimeoutException) {
            SocketTimeoutException named = new SocketTimeoutException(server + " did not answer " + command
                    + " within " + settings.readTimeout().toMillis() + " ms (readTimeout)");
            named.initCause(e);
            return named;
        }
        if (e instanceof ImapProtocolException) {
            return new ImapProtocolException(server + " broke the protocol answering " + command + ": "
                    + e.getMessage() + "; the connection is dropped", e);
        }
        if (e instanceof EOFException) {
            EOFException named = new EOFException(server + " closed the connection during " + command);
            named.initCause(e);
            return named;
        }
        return e;
    }

    /** What the connection itself learns from any response: capabilities and the reason for a BYE. */
    private void observe(ImapResponse r) {
        if (r.isUntagged("CAPABILITY")) {
            capabilities = Capabilities.of(r.values());
        } else if (r.code() != null && r.code().name().equals("CAPABILITY")) {
            capabilities = Capabilities.of(r.code().args());
        }
        if (r.isUntagged("EXISTS")) {
            existsSeen++;
        }
        if (r.isUntagged("BYE")) {
            byeText = r.text();
            LOG.debug("S: {}", r);
        }
    }

    private void writeLine(String line, String logText) throws IOException {
        writeLine(line, logText, "a SASL exchange");
    }

    private void writeLine(String line, String logText, String command) throws IOException {
        LOG.debug(logText);
        try {
            out.write(line.getBytes(StandardCharsets.US_ASCII));
            out.write(CRLF);
            out.flush();
        } catch (IOException e) {
            broken = true;
            throw named(e, command);
        }
    }

    private void checkUsable() throws IOException {
        OperationDeadline d = deadline;
        if (d != null && d.expired()) {
            throw d.timeout(null);
        }
        if (broken || socket.isClosed()) {
            throw new IOException("the connection to " + settings.describe() + " is no longer usable"
                    + (byeText != null ? " (BYE " + byeText + ")" : ""));
        }
    }

    public Capabilities capabilities() {
        return capabilities;
    }

    public boolean isSecure() {
        return socket instanceof SSLSocket;
    }

    /** False once a read or write failed, the server said BYE and closed, or the connection was closed. */
    public boolean isUsable() {
        return !broken && !socket.isClosed();
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /**
     * Whether the server spoke or hung up while the connection sat idle, found without a round trip: a read
     * waiting at most a millisecond. A closed connection (an autologout, RFC 3501 §5.4, or a restart) is marked
     * unusable; anything sent unasked (a BYE, mailbox updates) stays buffered for the next command to read. Silence
     * says nothing about a peer that vanished without closing: only a round trip (NOOP) shows that.
     */
    public boolean spokeWhileIdle() {
        if (!isUsable()) {
            return true;
        }
        try {
            socket.setSoTimeout(1);
            try {
                if (reader.peek() < 0) {
                    broken = true;
                }
                return true;
            } finally {
                socket.setSoTimeout(millis(settings.readTimeout()));
            }
        } catch (SocketTimeoutException quiet) {
            return false;
        } catch (IOException e) {
            broken = true;
            return true;
        }
    }

    /** LOGOUT when the connection is still usable (within the read timeout), then close; never throws. */
    public void logout() {
        if (isUsable()) {
            try {
                startDeadline("LOGOUT", "readTimeout", settings.readTimeout());
                execute(new ImapCommand("LOGOUT"), null, null);
            } catch (IOException | RuntimeException e) {
                LOG.debug("LOGOUT from {} failed: {}", settings.describe(), e.toString());
            }
        }
        close();
    }

    @Override
    public void close() {
        broken = true;
        endDeadline();
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is best effort: the socket is gone either way
        }
    }

    private static int millis(java.time.Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
