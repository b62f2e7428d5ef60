package io.catalystmail.camel.imap;

import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.StalledReply;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.OperationDeadline;
import io.catalystmail.camel.net.PlainSockets;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.net.TlsFailureException;
import io.catalystmail.camel.net.TlsSockets;
import io.catalystmail.camel.net.WrongPortHints;
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
 * chain and the host name. The socket, its deadline and the naming of failures are {@link ImapTransport}'s; the
 * login is {@link ImapLogin}'s; this class keeps the tags, the commands in flight and what the responses teach.
 * <p>
 * Logging at DEBUG shows commands with LOGIN passwords and AUTHENTICATE data masked; not thread-safe.
 */public final class ImapConnection implements Closeable {

    /**
     * How long after a tagged answer the connection counts as checked ({@link #needsNoop}): well below any NAT or
     * autologout timer (RFC 3501 §5.4: 30 minutes at least), and long enough for a loaded machine to get from one
     * command (or an IDLE) to the next poll.
     */
    public static final Duration OK_STANDS_FOR_NOOP = Duration.ofSeconds(5);

    /** How long {@link #logout()} waits for the server's answer before it just closes the connection. */
    static final Duration LOGOUT_ANSWER_LIMIT = Duration.ofSeconds(3);

    /** System.nanoTime() of the last tagged answer (OK, NO or BAD); 0 before. */
    private volatile long lastAnswerAt;


    private static final Logger LOG = LoggerFactory.getLogger(ImapConnection.class);
    private static final byte[] CRLF = {'\r', '\n'};

    private final ConnectionSettings settings;
    private final ImapTransport transport;
    private Capabilities capabilities = Capabilities.NONE;
    private boolean authenticated;
    private final CommandsInFlight inFlight = new CommandsInFlight();
    /** Untagged EXISTS responses read: new mail announced, whichever command's answer carried it (IDLE, RFC 2177). */
    private volatile long existsSeen;
    /** The number of messages in the selected folder as the last EXISTS said (RFC 3501 §7.3.1); -1 before one. */
    private volatile long exists = -1;

    private ImapConnection(ConnectionSettings settings, ImapTransport transport) {
        this.settings = settings;
        this.transport = transport;
        transport.nameCommandsInFlight(inFlight::pipelined);
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
        onSocket.accept(() -> ImapTransport.closeQuietly(plain));
        ImapTransport transport = null;
        // the login deadline runs from the connect on; the caller ends it (endDeadline) once logged in
        OperationDeadline login = OperationDeadline.start("IMAP server " + settings.describe(), "the login",
                "loginTimeout", settings.loginTimeout(), () -> ImapTransport.closeQuietly(plain));
        try {
            PlainSockets.connect(plain, "IMAP server " + settings.describe(), settings);
            Socket socket = settings.implicitTls() ? TlsSockets.upgrade(plain, settings) : plain;
            transport = new ImapTransport(settings, limits, plain, socket, login);
            ImapConnection connection = new ImapConnection(settings, transport);
            connection.readGreeting();
            connection.negotiateTls();
            return connection;
        } catch (IOException | RuntimeException e) {
            login.close();
            ImapTransport.closeQuietly(plain);
            if (transport != null) {
                transport.close();
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
        transport.startDeadline(operation, option, limit);
    }

    /** Stops the clock of the running operation, if any. */
    public void endDeadline() {
        transport.endDeadline();
    }

    /**
     * Closes the socket at once, from any thread, without LOGOUT: a thread blocked reading or writing on this
     * connection fails. For stopping a consumer whose poll is stuck on a silent server.
     */
    public void abort() {
        transport.abort();
    }

    /**
     * Closes the socket at once, from any thread, because it failed elsewhere: {@code cause}, a write of another
     * thread, or null for a deadline (which names itself). A thread blocked reading fails as a lost connection, not
     * as a stop of ours.
     */
    void drop(IOException cause) {
        transport.drop(cause);
    }

    private void readGreeting() throws IOException {
        ImapResponse greeting;
        try {
            transport.awaitOctet("the greeting");
        } catch (SocketTimeoutException silent) {
            throw WrongPortHints.noGreeting(silent, settings);
        }
        try {
            greeting = readResponse(null, "the greeting");
        } catch (SocketTimeoutException stalled) {
            // octets came, so this is no port waiting for a TLS handshake: a server that stalled mid-greeting (a
            // loginTimeout that ended the wait is named by connect(), which replaces this)
            throw StalledReply.of(transport.serverName(), "(the greeting)", settings.readTimeout(), stalled);
        } catch (ImapProtocolException garbled) {
            // an SMTP greeting ("220 host ESMTP") reads as a tagged response: the port is not an IMAP one
            throw new ImapProtocolException(garbled.getMessage() + "; this is no IMAP greeting: is " + settings.describe()
                    + " an IMAP port (143, or 993 with imaps)?", garbled);
        }
        LOG.debug("S: {} (greeting from {})", greeting, settings.describe());
        if (greeting.kind() != ImapResponse.Kind.UNTAGGED || !greeting.isStatus()) {
            throw transport.failed(new ImapProtocolException("expected a greeting, got " + greeting.kind()),
                    "the greeting");
        }
        switch (greeting.type()) {
            case "OK" -> authenticated = false;
            case "PREAUTH" -> authenticated = true;
            case "BYE" -> throw ImapCommandException.answered(this, "the greeting", greeting);
            default -> throw transport.failed(new ImapProtocolException("greeting with status " + greeting.type()),
                    "the greeting");
        }
        observe(greeting);
    }

    /**
     * STARTTLS (RFC 3501 §6.2.1, RFC 2595) unless the connection is encrypted already (RFC 8314 implicit TLS) or the
     * settings disable it; capabilities learnt before are discarded and asked for again afterwards.
     */
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
        transport.upgradeToTls();
        capabilities = Capabilities.NONE;
        refreshCapabilities();
    }

    /** Sends CAPABILITY; the untagged answer replaces the known capabilities. */
    public void refreshCapabilities() throws IOException {
        execute(new ImapCommand("CAPABILITY"), null, null);
    }

    /** Logs in with {@link ImapLogin}, unless the greeting was PREAUTH (RFC 3501 §7.1.4). */
    public void authenticate(Credentials credentials) throws IOException {
        if (authenticated) {
            return;
        }
        new ImapLogin(this).login(credentials);
        authenticated = true;
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
            throw ImapCommandException.answered(this, command.name(), done);
        }
        return done;
    }

    /** "IMAP server host:port", as errors name it. */
    String serverName() {
        return transport.serverName();
    }

    /**
     * Writes a command and returns its tag without waiting for the answer (so a caller may pipeline), except
     * for the continuation a synchronizing literal needs.
     *
     * @throws ImapCommandException when the server refuses the command with NO or BAD in place of the continuation
     *                              of a synchronizing literal: the command is over then, the rest of it is not
     *                              sent (RFC 3501 §2.2.1, §7.5), and the connection stays usable
     */
    public String send(ImapCommand command) throws IOException {
        transport.checkUsable(command.name());
        String tag = inFlight.sent(command);
        LOG.debug("C: {} {}", tag, command.loggable());
        OutputStream out = transport.out();
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
                    ImapResponse refusal = awaitContinuationOrAnswer(tag);
                    if (refusal.kind() == ImapResponse.Kind.TAGGED) {
                        throw ImapCommandException.answered(this, command.name(), refusal);
                    }
                }
                writeLiteral(literal, out, command.name());
            }
            out.write(CRLF);
            out.flush();
        } catch (ImapCommandException answered) {
            throw answered; // a refusal in step, or a BYE the read has already marked the connection broken for
        } catch (IOException e) {
            throw transport.failed(e, command.name());
        } catch (RuntimeException | Error e) {
            // a literal's source failed mid-way: the server waits for the rest of the announced octets (RFC 3501
            // §4.3) and would take the next command for them
            transport.breakOff();
            throw e;
        }
        return tag;
    }

    /**
     * Writes a literal's octets and checks that they were as many as announced: the server reads exactly that many
     * (RFC 3501 §4.3), so a source whose content and size disagree (a spooled file cut or grown before it was sent)
     * leaves the command half sent or its surplus taken for the next command line.
     */
    private void writeLiteral(LiteralContent literal, OutputStream out, String command) throws IOException {
        long[] written = {0};
        OutputStream counting = new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                written[0] += len;
            }

            @Override
            public void close() {
                // the connection's stream outlives the literal (LiteralContent must not close it)
            }
        };
        literal.writeTo(counting);
        if (written[0] != literal.size()) {
            transport.breakOff();
            throw new IOException(serverName() + ": the literal of " + command + " announced " + literal.size()
                    + " octets but its source wrote " + written[0] + "; the connection is dropped");
        }
    }

    /**
     * Reads to the continuation request of {@code tag}'s command or to its tagged answer, whichever comes first: for
     * a synchronizing literal (RFC 3501 §7.5, where a NO or BAD may come in place of the "+") and for each step of
     * AUTHENTICATE (§6.2.2). A tagged answer read this way settles the command.
     */
    ImapResponse awaitContinuationOrAnswer(String tag) throws IOException {
        while (true) {
            ImapResponse r = readResponse(null, inFlight.nameOf(tag));
            switch (r.kind()) {
                case CONTINUATION -> {
                    return r;
                }
                case UNTAGGED -> observe(r);
                case TAGGED -> {
                    observe(r);
                    if (r.tag().equals(tag)) {
                        inFlight.settle(r);
                        return r;
                    }
                    keepEarlyAnswer(r, inFlight.nameOf(tag));
                }
            }
        }
    }

    /** Reads responses up to the tagged answer for {@code tag} and returns it, whatever its status. */
    public ImapResponse await(String tag, Consumer<ImapResponse> untagged, ImapResponseReader.BodyConsumer bodies)
            throws IOException {
        ImapResponse early = inFlight.takeEarlyAnswer(tag);
        if (early != null) {
            return early;
        }
        String command = inFlight.nameOf(tag);
        try {
            while (true) {
                ImapResponse r = readResponse(bodies, command);
                if (r.fetch() != null) {
                    // the response a fetch reads per message: nothing in it for the connection to learn (observe)
                    if (untagged != null) {
                        untagged.accept(r);
                    }
                } else if (answers(tag, r, untagged, command)) {
                    return r;
                }
            }
        } catch (RuntimeException | Error e) {
            // thrown by the caller's handler between two reads: the rest of the answer is unread, and the next
            // command would read it as its own (a throw inside a read breaks the transport by itself)
            transport.breakOff();
            throw e;
        }
    }

    /**
     * Any response of {@link #await} but FETCH, seen a few times per command: kept apart from the loop that reads a
     * fetch's responses, so that the JIT compiles that loop small. True when {@code r} is {@code tag}'s answer.
     */
    private boolean answers(String tag, ImapResponse r, Consumer<ImapResponse> untagged, String command)
            throws IOException {
        observe(r);
        switch (r.kind()) {
            case UNTAGGED -> {
                if (untagged != null) {
                    untagged.accept(r);
                }
                return false;
            }
            case CONTINUATION -> throw transport.failed(new ImapProtocolException("unexpected continuation request"),
                    command);
            default -> {
                if (!r.tag().equals(tag)) {
                    keepEarlyAnswer(r, command);
                    return false;
                }
                inFlight.settle(r);
                return true;
            }
        }
    }

    /**
     * Keeps a tagged answer to another command in flight; one for no command in flight breaks the protocol: the
     * awaited command's own answer is still to come, so the connection is out of step for good.
     */
    private void keepEarlyAnswer(ImapResponse r, String command) throws IOException {
        try {
            inFlight.keepEarlyAnswer(r);
        } catch (ImapProtocolException unknown) {
            throw transport.failed(unknown, command);
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
            inFlight.settle(r);
        }
        return r;
    }

    /** Writes a line that is not a command (IDLE's DONE); may come from another thread than the one reading. */
    public void writeContinuation(String line) throws IOException {
        LOG.debug("C: {}", line);
        transport.writeLine(line, "IDLE");
    }

    /** Writes a line of a SASL exchange; {@code logText} is what DEBUG shows of it (never the data itself). */
    void writeSaslLine(String line, String logText) throws IOException {
        LOG.debug(logText);
        transport.writeLine(line, "a SASL exchange");
    }

    /** The socket's read timeout from now on: IDLE waits longer than one answer may take (RFC 2177 §3). */
    public void readTimeout(Duration timeout) throws IOException {
        transport.readTimeout(timeout);
    }

    /** How many untagged EXISTS the server sent on this connection: a change means new mail was announced. */
    public long existsSeen() {
        return existsSeen;
    }

    /** The number of messages in the selected folder as the last EXISTS said; -1 before any. */
    public long exists() {
        return exists;
    }

    private ImapResponse readResponse(ImapResponseReader.BodyConsumer bodies, String command) throws IOException {
        ImapResponse r = transport.read(bodies, command, inFlight.searchBound());
        if (r.kind() == ImapResponse.Kind.TAGGED) {
            lastAnswerAt = System.nanoTime();
        }
        if (LOG.isTraceEnabled() && r.kind() != ImapResponse.Kind.TAGGED) {
            LOG.trace("S: {}", r.kind() == ImapResponse.Kind.CONTINUATION ? "+ (challenge)" : r);
        }
        return r;
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
            exists = r.number();
        }
        if (r.isUntagged("BYE")) {
            transport.byeReceived(r.text());
            LOG.debug("S: {}", r);
        }
    }

    public Capabilities capabilities() {
        return capabilities;
    }

    public boolean isSecure() {
        return transport.isSecure();
    }

    /** False once a read or write failed, the server said BYE and closed, or the connection was closed. */
    public boolean isUsable() {
        return transport.isUsable();
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
        return transport.spokeWhileIdle();
    }

    /**
     * The one liveness rule of an IMAP connection, for every user that takes one up after it sat idle (the consumer's
     * next poll, the operations pool lending it): true unless the last tagged answer came less than
     * {@link #OK_STANDS_FOR_NOOP} ago and the server has said nothing since ({@link #spokeWhileIdle}). A NOOP
     * (RFC 3501 §6.1.2) shows the server alive and the connection in step, and collects untagged updates; a recent
     * tagged answer (OK, NO or BAD to a command, or IDLE's OK to DONE, RFC 2177 §3) has shown the first two, and
     * updates sent since would make the server "speak". A BYE or a close always gets the round trip.
     */
    public boolean needsNoop() {
        long at = lastAnswerAt;
        return !isUsable() || at == 0 || System.nanoTime() - at >= OK_STANDS_FOR_NOOP.toNanos() || spokeWhileIdle();
    }

    /**
     * LOGOUT when the connection is still usable, then close; never throws. The answer is waited for at most
     * {@link #LOGOUT_ANSWER_LIMIT} (or the read timeout, when shorter): nothing depends on it (RFC 3501 §6.1.3 only
     * has the server say BYE and close), and a stop or an undeploy must not wait a long read timeout on a server
     * that went silent.
     */
    public void logout() {
        if (isUsable()) {
            try {
                Duration limit = settings.readTimeout().compareTo(LOGOUT_ANSWER_LIMIT) < 0
                        ? settings.readTimeout() : LOGOUT_ANSWER_LIMIT;
                startDeadline("LOGOUT", "the LOGOUT answer limit", limit);
                execute(new ImapCommand("LOGOUT"), null, null);
                transport.closeAfterLogout(limit);
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("LOGOUT from {} failed: {}", settings.describe(), e.toString());
            }
        }
        close();
    }

    @Override
    public void close() {
        transport.close();
    }
}
