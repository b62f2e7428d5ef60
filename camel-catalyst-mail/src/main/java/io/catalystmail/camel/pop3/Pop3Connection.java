package io.catalystmail.camel.pop3;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.catalystmail.camel.mailbox.StalledReply;
import io.catalystmail.camel.net.CommandLineSafety;
import io.catalystmail.camel.net.ConnectionDeadline;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.PlainSockets;
import io.catalystmail.camel.net.ServerText;
import io.catalystmail.camel.net.TlsSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POP3 connection: socket, TLS, commands out and replies in, all as bytes.
 *
 * <p>The project builds on Commons Net for transport, but its {@code POP3Client} reads status lines through a
 * character reader ({@code InputStreamReader} under a line reader) which reads ahead into its own buffer: the
 * bytes of a message behind a "+OK", or of pipelined replies, end up decoded as text inside that reader, and
 * {@code retrieveMessage} hands out a char-based {@code DotTerminatedMessageReader} that is not binary safe.
 * So this class owns the socket ({@link Socket} with connect and read timeouts, TLS through
 * {@link TlsSockets#upgrade}) and reads everything from one byte buffer ({@link Pop3Input}).
 */
final class Pop3Connection implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Connection.class);
    /** RFC 2449 §4 allows 512 octets per status line; some servers say more in -ERR texts. */
    private static final int MAX_STATUS_LINE = 8 * 1024;
    /** CAPA, UIDL and LIST lines are short; this bounds what a hostile server can make us hold. */
    private static final int MAX_LIST_LINE = 1024;
    /** The characters of a server's line an error or log line shows (controls escaped by {@link ServerText}). */
    static final int LINE_SHOWN = 100;

    private final ConnectionSettings settings;
    /** {@link ConnectionSettings#describe()}, built once: each retrieved message names the server (errors, limits). */
    private final String described;
    /** "POP3 server host:port", as errors and deadlines name it, built once. */
    private final String server;
    private volatile Socket socket;
    private Pop3Input input;
    private OutputStream output;
    private boolean encrypted;
    /** The plain socket under any TLS layer: what a deadline or {@link #close()} from another thread closes. */
    private final AtomicReference<Socket> transport = new AtomicReference<>();
    /**
     * The deadlines of this connection's operations, one after another: re-armed per RETR, it schedules no timer
     * task per message (a scheduled and cancelled task each, and a wake-up of the timer thread, on 2 busy cores).
     * {@link #close()} closes it, so its watchdog does not outlive the session.
     */
    private final ConnectionDeadline deadline;
    /**
     * The last command written, or the log form of one carrying a secret (a SASL response is a secret from its
     * first octet): only its verb is ever named, when the connection is closed on us.
     */
    private String lastSent;
    /** Set by {@link #close()}: a read or write failing after it failed for our close, not for the server. */
    private volatile boolean closedHere;

    Pop3Connection(ConnectionSettings settings) {
        this.settings = settings;
        this.described = settings.describe();
        this.server = "POP3 server " + described;
        AtomicReference<Socket> plain = transport;
        this.deadline = new ConnectionDeadline(server, () -> closeQuietly(plain.get(), described));
    }

    void connect() throws IOException {
        Socket plain = new Socket();
        socket = plain;
        transport.set(plain);
        PlainSockets.connect(plain, "POP3 server " + described, settings);
        if (settings.implicitTls()) {
            socket = TlsSockets.upgrade(plain, settings);
            encrypted = true;
        }
        streams();
    }

    /**
     * Layers TLS over the connection after the server accepted STLS. Bytes that arrived behind the "+OK" were
     * sent before the handshake and could be injected by anyone on the path (RFC 2595 §4 says the client
     * discards earlier state); they are refused rather than read as if protected.
     */
    void startTls() throws IOException {
        if (input.hasBuffered()) {
            throw new IOException("POP3 server " + described
                    + " sent data after accepting STLS, before the TLS handshake; refusing to go on");
        }
        socket = TlsSockets.upgrade(socket, settings);
        encrypted = true;
        streams();
    }

    private void streams() throws IOException {
        input = new Pop3Input(socket.getInputStream(), described, settings.readTimeout().toMillis());
        output = socket.getOutputStream();
    }

    /**
     * Starts the clock for {@code operation}: when {@code limit} passes before {@link #endDeadline()}, the socket is
     * closed and the blocked read or write fails; {@link #deadlineFailure} names server, operation and option.
     */
    void startDeadline(String operation, String option, Duration limit) {
        deadline.arm(operation, option, limit);
    }

    void endDeadline() {
        deadline.disarm();
    }

    /** The timeout naming the operation when the running deadline closed the socket under {@code e}, else e. */
    IOException deadlineFailure(IOException e) {
        ConnectionDeadline.Armed d = deadline.expired();
        if (d != null && !(e instanceof SocketTimeoutException && e.getMessage() != null
                && e.getMessage().contains(d.operation()))) {
            return d.timeout(e);
        }
        return e;
    }

    boolean encrypted() {
        return encrypted;
    }

    /** Sends commands in one write: one command normally, several when pipelining (RFC 2449 §6.6). */
    void send(List<String> commands) throws IOException {
        StringBuilder wire = new StringBuilder();
        // the protocol log's arguments are built only when it is on: a command and a reply per message otherwise
        boolean logged = LOG.isDebugEnabled();
        for (String command : commands) {
            checkLine(command);
            lastSent = command;
            wire.append(command).append("\r\n");
            if (logged) {
                LOG.debug("{} C: {}", described, command);
            }
        }
        write(wire.toString());
    }

    void send(String command) throws IOException {
        send(List.of(command));
    }

    /** Sends a command carrying a secret; only {@code logForm} reaches the log. */
    void sendSecret(String command, String logForm) throws IOException {
        checkLine(command);
        lastSent = logForm;
        LOG.debug("{} C: {}", described, logForm);
        write(command + "\r\n");
    }

    private void write(String wire) throws IOException {
        try {
            output.write(wire.getBytes(StandardCharsets.UTF_8));
            output.flush();
        } catch (SocketException e) {
            throw lost(e, "sending " + verb(lastSent));
        }
    }

    /** No CR, LF or NUL from data may reach a command line; the message does not echo the (maybe secret) line. */
    private static void checkLine(String command) {
        if (CommandLineSafety.breaksTheLine(command)) {
            throw new IllegalArgumentException("a POP3 command argument contains CR, LF or NUL; refusing to send it");
        }
    }

    /** Reads one status line (or SASL continuation). */
    Pop3Reply readReply() throws IOException {
        int length;
        try {
            length = readStatusLine();
        } catch (EOFException e) {
            throw closedBeforeAnswering(e);
        } catch (SocketException e) {
            throw lost(e, lastSent == null ? "before greeting" : "before answering (last command sent: "
                    + verb(lastSent) + ")");
        }
        byte[] line = input.line();
        Pop3Reply reply = Pop3Reply.parse(line, length);
        if (reply == null) {
            throw new IOException("POP3 server " + described + " sent something that is not a status line: "
                    + ServerText.shown(ServerText.decoded(line, 0, length), LINE_SHOWN));
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} S: {}", described, reply.status() == Pop3Reply.Status.CONTINUATION ? "+ ..."
                    : ServerText.shown(ServerText.decoded(line, 0, length), 1000));
        }
        return reply;
    }

    /**
     * The line's first octet is awaited apart from its rest: a timeout after it is a server that began to answer and
     * stalled, which the error says, and which rules out a port that waits for a TLS handshake before it sends
     * anything ({@link io.catalystmail.camel.net.WrongPortHints}).
     */
    private int readStatusLine() throws IOException {
        input.peek();
        try {
            return input.readLine(MAX_STATUS_LINE);
        } catch (SocketTimeoutException stalled) {
            throw StalledReply.of(server, lastSent == null ? "(the greeting)" : "to " + verb(lastSent),
                    settings.readTimeout(), stalled);
        }
    }

    private EOFException closedBeforeAnswering(EOFException e) {
        EOFException named = new EOFException("POP3 server " + described + " closed the connection"
                + (lastSent == null ? " instead of greeting" : " before answering (last command sent: "
                + verb(lastSent) + ")"));
        named.initCause(e);
        return named;
    }

    /**
     * A reset or broken pipe: the JDK's text ("Connection reset") names no server, and a poll failed while opening
     * its session (greeting, CAPA, STLS, AUTH: no command of a session to name yet) would not say where. A failure
     * after our own {@link #close()} (a stop) is left as it is: the server lost nothing. A deadline closes the socket
     * without {@code close()}; its failure gets the timeout's text from {@link #deadlineFailure} instead.
     */
    private IOException lost(SocketException e, String when) {
        if (closedHere) {
            return e;
        }
        SocketException named = new SocketException(server + " lost the connection " + when + ": " + e.getMessage());
        named.initCause(e);
        return named;
    }

    /** The body of the multi-line response whose "+OK" was just read. Must be drained before the next read. */
    DotTerminatedInputStream body() {
        return new DotTerminatedInputStream(input);
    }

    /** The message of a RETR whose "+OK" was just read, handed over in as large reads as the buffer allows. */
    DotTerminatedInputStream messageBody() {
        return new DotTerminatedInputStream(input, true);
    }

    /**
     * Reads a short multi-line response (CAPA) as lines of text, at most {@code maxLines} of them: a server
     * that sends more breaks the protocol, and the connection must be dropped.
     */
    List<String> readLines(String command, int maxLines) throws IOException {
        List<String> lines = new ArrayList<>();
        readLines(line -> {
            if (lines.size() == maxLines) {
                throw new IOException("POP3 server " + described + " sent more than " + maxLines
                        + " lines answering " + command + "; the connection is dropped");
            }
            lines.add(line);
        });
        return lines;
    }

    /** Receives the lines of a listing one by one; the caller decides what to keep. */
    @FunctionalInterface
    interface LineVisitor {
        void line(String line) throws IOException;
    }

    /** Reads a short multi-line response (CAPA) line by line, each at most {@value #MAX_LIST_LINE} octets. */
    void readLines(LineVisitor visitor) throws IOException {
        readListing(line -> visitor.line(line.text()));
    }

    /** Receives the lines of a listing one by one, each parsed where it lies; the caller decides what to keep. */
    @FunctionalInterface
    interface ListingVisitor {
        void line(ListingLine line) throws IOException;
    }

    /**
     * Reads a multi-line response (UIDL, LIST) line by line, each at most {@value #MAX_LIST_LINE} octets, into one
     * buffer and one {@link ListingLine} for the whole answer: nothing is allocated per line here.
     */
    void readListing(ListingVisitor visitor) throws IOException {
        DotTerminatedInputStream body = body();
        ListingLine parsed = new ListingLine();
        byte[] line = new byte[MAX_LIST_LINE];
        int len = 0;
        int n;
        while ((n = readListingPart(body, line, len)) >= 0) {
            len += n;
            if (line[len - 1] == '\n') {
                visitor.line(parsed.parse(line, len));
                len = 0;
            } else if (len == line.length) {
                throw new IOException("POP3 server " + described + " sent a listing line longer than "
                        + MAX_LIST_LINE + " octets");
            }
        }
    }

    private int readListingPart(DotTerminatedInputStream body, byte[] line, int len) throws IOException {
        try {
            return body.read(line, len, line.length - len);
        } catch (SocketException e) {
            throw lost(e, "answering " + verb(lastSent));
        }
    }

    private static String verb(String command) {
        int space = command.indexOf(' ');
        return space < 0 ? command : command.substring(0, space);
    }

    String describe() {
        return described;
    }

    /** "POP3 server host:port". */
    String server() {
        return server;
    }

    /** Closes the socket, whatever state the protocol is in; any thread may call it; never throws. */
    @Override
    public void close() {
        closedHere = true;
        deadline.close();
        Socket plain = transport.get();
        if (plain != socket) {
            closeQuietly(plain, described);
        }
        closeQuietly(socket, described);
    }

    private static void closeQuietly(Socket socket, String server) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing the connection to {} failed: {}", server, e.toString());
            }
        }
    }
}
