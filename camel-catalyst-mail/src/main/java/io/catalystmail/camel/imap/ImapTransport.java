package io.catalystmail.camel.imap;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.OperationDeadline;
import io.catalystmail.camel.net.PlainSockets;
import io.catalystmail.camel.net.TlsSockets;

/**
 * The bytes under an {@link ImapConnection}: the socket (plain, or TLS from the start or after STARTTLS), the
 * response reader over it, the buffered command output, the running deadline, and the naming of every failure after
 * the server and the command it concerned. Once a read or write failed, or anything was thrown inside a read, the
 * transport is broken for good: the next command would start in the middle of an unknown answer. Knows nothing of
 * tags or commands.
 */
final class ImapTransport {

    private static final byte[] CRLF = {'\r', '\n'};
    /** Who calls {@link #abort()}: the consumer, from another thread or after a failure it reported already. */
    private static final String CLOSED_HERE = " (the consumer stopped, suspended or dropped it)";

    private final ConnectionSettings settings;
    private final ImapLimits limits;
    private Socket socket;
    private ImapResponseReader reader;
    private OutputStream out;
    private volatile boolean broken;
    /**
     * Set by {@link #abort()}: the socket was closed on this side, so the failure it causes in a blocked read or write
     * is not the server's ("lost the connection ... Socket closed" read like an outage in the log of a stop).
     */
    private volatile boolean aborted;
    /** Set by {@link #drop}: what failed elsewhere first (a write on another thread), named by the failures after. */
    private volatile IOException droppedFor;
    /** The text of the server's BYE, named when the connection then ends (RFC 3501 §7.1.5). */
    private String byeText;
    /** The plain socket under any TLS layer: what a deadline or {@link #abort()} closes from another thread. */
    private final Socket plain;
    private volatile OperationDeadline deadline;
    /** Names the commands in flight when several are, for errors (empty otherwise); see {@link #named}. */
    private Supplier<String> commandsInFlight = () -> "";
    /** Passes body literals on, remembering whose: a connection lost inside one names the message. */
    private final NamingBodies namingBodies = new NamingBodies();

    ImapTransport(ConnectionSettings settings, ImapLimits limits, Socket plain, Socket socket,
            OperationDeadline deadline) throws IOException {
        this.settings = settings;
        this.limits = limits;
        this.plain = plain;
        this.deadline = deadline;
        attach(socket);
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        reader = new ImapResponseReader(s.getInputStream(), limits);
        out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
    }

    /**
     * Upgrades to TLS after the server's OK to STARTTLS (RFC 3501 §6.2.1), verifying chain and host name. Anything
     * the server sent after its OK arrived before TLS yet would be read as if it came over TLS (the CVE-2011-0411
     * class of STARTTLS injection): refused.
     */
    void upgradeToTls() throws IOException {
        if (reader.hasBufferedInput()) {
            throw new ImapProtocolException("the server sent data after its STARTTLS answer, before the TLS handshake");
        }
        attach(TlsSockets.upgrade(socket, settings));
    }

    /** What names the commands in flight in errors, when several are (RFC 3501 §5.5 pipelining). */
    void nameCommandsInFlight(Supplier<String> inFlight) {
        commandsInFlight = inFlight;
    }

    /**
     * Reads the next response, passing FETCH body literals to {@code bodies} and counting SEARCH entries against
     * {@code search} (null: unbounded); {@code command} names a failure.
     */
    ImapResponse read(ImapResponseReader.BodyConsumer bodies, String command, SearchAnswerBound search)
            throws IOException {
        checkUsable(command);
        namingBodies.reading(bodies);
        try {
            ImapResponse response = reader.read(bodies == null ? null : namingBodies, search);
            namingBodies.reading(null);
            return response;
        } catch (IOException e) {
            throw readFailed(e, command);
        } catch (RuntimeException | Error e) {
            // a body consumer's or the parser's bug, a bound's error: the rest of the answer is unread, and the next
            // command would read it as its own
            broken = true;
            throw e;
        }
    }

    /**
     * Waits for the next octet without reading it, {@code command} naming a failure: the greeting's first octet tells
     * a server that began to greet and stalled from a port that waits for a TLS handshake and sends nothing.
     */
    void awaitOctet(String command) throws IOException {
        checkUsable(command);
        try {
            reader.require();
        } catch (IOException e) {
            throw readFailed(e, command);
        } catch (RuntimeException | Error e) {
            broken = true; // as in read
            throw e;
        }
    }

    /**
     * The body consumer of the read in progress, noting the FETCH response whose literal it was handed: the response
     * is gone from the stack by the time a failure is named. One per transport, so a read allocates nothing.
     */
    private static final class NamingBodies implements ImapResponseReader.BodyConsumer {
        private ImapResponseReader.BodyConsumer consumer;
        /** The FETCH response whose body the read in progress reached; null before any. */
        private FetchData current;

        void reading(ImapResponseReader.BodyConsumer next) {
            consumer = next;
            current = null;
        }

        @Override
        public void onBody(FetchData soFar, String item, long origin, long length, InputStream content)
                throws IOException {
            current = soFar;
            consumer.onBody(soFar, item, origin, length, content);
        }

        /**
         * " (inside the answer for UID 7, message 3)" when the failed read had reached a body, as POP3 names its
         * "RETR n (UIDL x)"; "" otherwise. A server may send the UID after the body (RFC 3501 §7.4.2 fixes no order).
         */
        String where() {
            FetchData data = current;
            if (data == null) {
                return "";
            }
            return " (inside the answer for " + (data.uid() > 0 ? "UID " + data.uid() + ", " : "")
                    + "message " + data.sequence() + ")";
        }
    }

    /** Marks the transport broken after a failed read: the server's BYE, when it gave one, or the failure, named. */
    private IOException readFailed(IOException e, String command) {
        broken = true;
        if (e instanceof EOFException && byeText != null) {
            return new ImapCommandException(serverName(), command, "BYE", byeText, null);
        }
        return named(e, command);
    }

    /** The stream commands are written to (after {@link #checkUsable}); a failed write goes through {@link #failed}. */
    OutputStream out() {
        return out;
    }

    /**
     * Marks the transport broken after a failed write, or after a response the caller found broke the protocol
     * (the rest of the command's answer is unread then), and returns the failure, named.
     */
    IOException failed(IOException e, String command) {
        broken = true;
        return named(e, command);
    }

    /**
     * Marks the transport broken after something was thrown between two reads or inside a write (a caller's handler
     * of untagged responses, a literal's source): the rest of an answer is unread, or a command half written.
     */
    void breakOff() {
        broken = true;
    }

    /** Writes a line that is not a command (a SASL response, IDLE's DONE) and flushes it. */
    void writeLine(String line, String command) throws IOException {
        try {
            out.write(line.getBytes(StandardCharsets.US_ASCII));
            out.write(CRLF);
            out.flush();
        } catch (IOException e) {
            throw failed(e, command);
        }
    }

    /** Remembers the reason the server gave for ending the session, to name it when the connection then ends. */
    void byeReceived(String text) {
        byeText = text;
    }

    /**
     * The failure of a read or write, naming the server and the command it concerned: a deadline that closed the
     * socket, a read timeout, a protocol violation (the server's fault, RFC 3501 §7), or a lost connection.
     */
    private IOException named(IOException e, String command) {
        OperationDeadline d = deadline;
        if (d != null && d.expired()) {
            return d.timeout(e, command);
        }
        String server = serverName();
        if (e.getMessage() != null && e.getMessage().startsWith(server)) {
            return e; // named already, by an inner call
        }
        if (e instanceof SocketTimeoutException) {
            SocketTimeoutException named = new SocketTimeoutException(server + " did not answer " + command
                    + namingBodies.where() + commandsInFlight.get() + " within " + settings.readTimeout().toMillis()
                    + " ms (readTimeout)");
            named.initCause(e);
            return named;
        }
        if (e instanceof ImapProtocolException) {
            return new ImapProtocolException(server + " broke the protocol answering " + command
                    + commandsInFlight.get() + ": " + e.getMessage() + "; the connection is dropped", e);
        }
        if (e instanceof EOFException) {
            EOFException named = new EOFException(server + " closed the connection during " + command
                    + namingBodies.where() + commandsInFlight.get());
            named.initCause(e);
            return named;
        }
        if (aborted && e instanceof SocketException) {
            SocketException named = new SocketException(server + ": the connection was closed on this side"
                    + " during " + command + namingBodies.where() + commandsInFlight.get() + CLOSED_HERE);
            named.initCause(e);
            return named;
        }
        if (e instanceof SocketException) {
            // a reset or broken pipe: the JDK's text names no server, and a poll's error would not say where; after
            // a drop the local "Socket closed" says nothing, the failure that caused the drop does
            IOException first = droppedFor;
            SocketException named = new SocketException(server + " lost the connection during " + command
                    + namingBodies.where() + commandsInFlight.get() + ": "
                    + (first != null ? first.getMessage() : e.getMessage()));
            named.initCause(first != null ? first : e);
            return named;
        }
        if (e instanceof SSLException) {
            return new SSLException(server + " ended TLS during " + command + ": " + e.getMessage(), e);
        }
        return e;
    }

    String serverName() {
        return "IMAP server " + settings.describe();
    }

    /**
     * Fails when the deadline has passed or the transport is broken or closed; {@code command}, the one about to be
     * written or read, names where a deadline cut the operation (input read ahead may outlast the closed socket).
     */
    void checkUsable(String command) throws IOException {
        OperationDeadline d = deadline;
        if (d != null && d.expired()) {
            throw d.timeout(null, command);
        }
        if (aborted) {
            throw new IOException(serverName() + ": the connection was closed on this side" + CLOSED_HERE);
        }
        if (broken || socket.isClosed()) {
            throw new IOException("the connection to " + settings.describe() + " is no longer usable"
                    + (byeText != null ? " (BYE " + byeText + ")" : ""));
        }
    }

    /** See {@link ImapConnection#startDeadline}. */
    void startDeadline(String operation, String option, Duration limit) {
        endDeadline();
        deadline = OperationDeadline.start(serverName(), operation, option, limit, () -> closeQuietly(plain));
    }

    void endDeadline() {
        OperationDeadline d = deadline;
        deadline = null;
        if (d != null) {
            d.close();
        }
    }

    /**
     * Closes at once, from any thread, for the consumer (a stop, a suspension, a session it drops): a thread blocked
     * reading or writing fails with "closed on this side".
     */
    void abort() {
        aborted = true;
        closeNow();
    }

    /**
     * Closes at once, from any thread, because the connection failed elsewhere ({@code cause}: a write on another
     * thread; null for a deadline, which names itself): a thread blocked reading fails as having lost the
     * connection, for that cause.
     */
    void drop(IOException cause) {
        droppedFor = cause;
        closeNow();
    }

    private void closeNow() {
        broken = true;
        endDeadline();
        closeQuietly(plain);
        closeQuietly(socket);
    }

    boolean isSecure() {
        return socket instanceof SSLSocket;
    }

    boolean isUsable() {
        return !broken && !socket.isClosed();
    }

    void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout(PlainSockets.millis(timeout));
    }

    /** See {@link ImapConnection#spokeWhileIdle()}. */
    boolean spokeWhileIdle() {
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
                socket.setSoTimeout(PlainSockets.millis(settings.readTimeout()));
            }
        } catch (SocketTimeoutException quiet) {
            return false;
        } catch (IOException e) {
            broken = true;
            return true;
        }
    }

    /**
     * Closes without waiting on the server: the plain socket under any TLS layer first, as closing an SSLSocket sends
     * close_notify and then reads for the server's, for up to another whole read timeout on a server gone silent
     * (a failed command's exception came only after twice {@code readTimeout}).
     */
    void close() {
        broken = true;
        endDeadline();
        closeQuietly(plain);
        closeQuietly(socket);
    }

    /**
     * Closes after the server answered LOGOUT: the TLS layer may exchange close_notify (RFC 8446 §6.1), its read
     * bounded by {@code limit}, the LOGOUT answer's own.
     */
    void closeAfterLogout(Duration limit) {
        broken = true;
        endDeadline();
        try {
            socket.setSoTimeout(PlainSockets.millis(limit));
        } catch (IOException e) {
            closeQuietly(plain);
        }
        closeQuietly(socket);
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is best effort: the socket is gone either way
        }
    }

}
