package io.catalystmail.camel.smtp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.SSLSocket;

import io.catalystmail.camel.net.CommandLineSafety;
import io.catalystmail.camel.net.ConnectFailures;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.ConnectionDeadline;
import io.catalystmail.camel.net.PlainSockets;
import io.catalystmail.camel.net.TlsSockets;
import io.catalystmail.camel.net.WrongPortHints;
import org.apache.commons.net.SocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP wire: Commons Net's {@link SocketClient} opens the socket (connect timeout, read timeout as SO_TIMEOUT,
 * socket factory and proxy settings); everything above the socket is this project's own, because Commons Net's
 * {@code SMTP} class reads replies as decoded text lines, writes DATA through a character {@code Writer}, does not
 * verify host names on TLS and does not check command arguments for CR/LF. Here TLS comes from
 * {@link TlsSockets#upgrade}, replies are parsed from bytes, and DATA goes through {@link DotStuffingOutputStream}.
 */
final class SmtpConnection extends SocketClient {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpConnection.class);

    private final ConnectionSettings settings;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(512);
    private SmtpReplyReader reader;
    private OutputStream output;
    /** DATA's staging buffer, kept for the connection's next message. */
    private byte[] dataBuffer;
    private boolean encrypted;
    private boolean failed;
    /** The TCP socket under any TLS layer: a deadline closes it, which fails a blocked TLS read or write too. */
    private java.net.Socket tcpSocket;
    /** Every operation's deadline on this connection, one after another; made at the first. */
    private ConnectionDeadline deadline;

    private SmtpConnection(ConnectionSettings settings) {
        this.settings = settings;
    }

    /** Connects (and for implicit TLS completes the verified handshake) within the connect timeout. */
    static SmtpConnection open(ConnectionSettings settings) throws IOException {
        SmtpConnection connection = new SmtpConnection(settings);
        connection.setConnectTimeout(PlainSockets.millis(settings.connectTimeout()));
        connection.setDefaultTimeout(PlainSockets.millis(settings.readTimeout()));
        try {
            connection.connect(settings.host(), settings.port());
        } catch (IOException e) {
            connection.closeQuietly();
            throw ConnectFailures.named("SMTP server " + settings.describe(), settings, e);
        } catch (RuntimeException e) {
            connection.closeQuietly();
            throw e;
        }
        LOG.debug("connected to {}", settings.describe());
        return connection;
    }

    @Override
    protected void _connectAction_() throws IOException {
        // applies the read timeout to the fresh socket and takes its streams
        super._connectAction_();
        // every command batch and DATA chunk is already one write; Nagle would only hold back the last small
        // segment (the final dot, a pipelined batch) waiting for a delayed ACK
        _socket_.setTcpNoDelay(true);
        tcpSocket = _socket_;
        if (settings.implicitTls()) {
            upgrade();
        } else {
            attachStreams();
        }
    }

    /**
     * Switches to TLS after the server's 220 reply to STARTTLS. Anything the server sent after that reply arrived
     * in plain text and could have been injected by an attacker (RFC 3207 §6, CVE-2011-0411), so it is refused.
     */
    void startTls() throws IOException {
        if (reader.hasBufferedInput()) {
            throw new SmtpException("the server sent data after its STARTTLS reply, before the TLS handshake; "
                    + "refusing the connection as that data could be injected", "STARTTLS", null);
        }
        upgrade();
    }

    private void upgrade() throws IOException {
        SSLSocket tls = TlsSockets.upgrade(_socket_, settings);
        _socket_ = tls;
        _input_ = tls.getInputStream();
        _output_ = tls.getOutputStream();
        encrypted = true;
        attachStreams();
        LOG.debug("TLS established with {} ({})", settings.describe(), tls.getSession().getProtocol());
    }

    private void attachStreams() {
        reader = new SmtpReplyReader(_input_);
        output = new WriteTimeoutOutputStream(_socket_, _output_, settings.readTimeout());
    }

    boolean encrypted() {
        return encrypted;
    }

    /**
     * Adds a command line to the outgoing buffer without sending it (for PIPELINING, RFC 2920).
     *
     * @param logged what DEBUG logging shows instead of the line, for lines carrying secrets; null to show it
     */
    void queue(String line, String logged) {
        if (CommandLineSafety.breaksTheLine(line)) {
            throw new IllegalArgumentException("SMTP command contains CR, LF or NUL: "
                    + (logged != null ? logged : AddressSyntax.printable(line)));
        }
        LOG.debug("C: {}", logged != null ? logged : line);
        pending.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        pending.write('\r');
        pending.write('\n');
    }

    /** Sends every queued command in one write. */
    void flush() throws IOException {
        try {
            pending.writeTo(output);
            output.flush();
        } catch (IOException e) {
            failed = true;
            throw e;
        } finally {
            pending.reset();
        }
    }

    /** Queues and sends one command. */
    void command(String line, String logged) throws IOException {
        queue(line, logged);
        flush();
    }

    void command(String line) throws IOException {
        command(line, null);
    }

    /**
     * Reads the reply to {@code command}. A timeout or a closed connection becomes an {@link SmtpException}
     * naming the command; AUTH challenges (334) are never logged.
     */
    SmtpReply readReply(String command) throws IOException {
        try {
            return read();
        } catch (IOException e) {
            failed = true;
            throw replyFailure(command, "reply to " + command, "", e);
        }
    }

    /**
     * Reads the server's opening reply (RFC 5321 §3.1). Silence here, unlike after a command, is the typical sign of
     * a plain-text client on a port that expects TLS from the first byte, so a timeout says how to fix that.
     */
    SmtpReply readGreeting() throws IOException {
        try {
            return read();
        } catch (IOException e) {
            failed = true;
            throw replyFailure("greeting", "greeting", WrongPortHints.afterSilence(settings), e);
        }
    }

    private SmtpReply read() throws IOException {
        SmtpReply reply = reader.read();
        if (LOG.isDebugEnabled()) {
            LOG.debug("S: {}", reply.code() == 334 ? "334 ***" : reply.toString());
        }
        return reply;
    }

    /**
     * True once a read or write failed: the connection may be gone or out of step with the server (a timeout,
     * a garbled reply), so nothing more may be sent on it, not even QUIT.
     */
    boolean failed() {
        return failed;
    }

    /**
     * @param awaited      what did not come, as in "no greeting from ..." or "no reply to MAIL FROM from ..."
     * @param afterTimeout appended when the read timed out (a likely fix); empty for none
     */
    private SmtpException replyFailure(String command, String awaited, String afterTimeout, IOException failure) {
        String server = settings.describe();
        String message;
        if (failure instanceof SocketTimeoutException) {
            message = "no " + awaited + " from " + server + " within " + settings.readTimeout().toMillis() + " ms"
                    + afterTimeout;
        } else if (failure instanceof EOFException) {
            message = failure.getMessage() + " (" + server + ", waiting for the " + awaited + ")";
        } else if (failure instanceof SmtpException) {
            message = failure.getMessage() + " (" + server + ", " + awaited + ")";
        } else {
            message = "reading the " + awaited + " from " + server + " failed: " + failure;
        }
        return new SmtpException(message, command, null, failure);
    }

    /**
     * Starts the clock for {@code operation}: when {@code limit} passes before {@link #endDeadline()} the socket is
     * closed from the timer thread, so a server that trickles its replies or stops reading cannot hold the sender.
     */
    void startDeadline(String operation, String option, Duration limit) {
        if (deadline == null) {
            java.net.Socket socket = tcpSocket;
            deadline = new ConnectionDeadline("SMTP server " + settings.describe(), () -> {
                try {
                    socket.close();
                } catch (IOException e) {
                    LOG.debug("closing the connection to {} failed: {}", settings.describe(), e.toString());
                }
            });
        }
        deadline.arm(operation, option, limit);
    }

    void endDeadline() {
        if (deadline != null) {
            deadline.disarm();
        }
    }

    /** The running deadline when it has passed (and closed the socket), else null. */
    ConnectionDeadline.Armed expiredDeadline() {
        return deadline == null ? null : deadline.expired();
    }

    /**
     * True when the server has sent something not asked for yet. During DATA that is a reply before the end of
     * the message data (RFC 5321 §4.1.1.4: the server replies to the final dot), which cannot be an acceptance.
     */
    boolean replyWaiting() {
        try {
            return reader.hasBufferedInput() || _input_.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * A fresh DATA writer over the connection, on the connection's one data buffer (one message at a time).
     *
     * @param gate opened before the first octet goes out (see {@link DotStuffingOutputStream}); null for none
     */
    DotStuffingOutputStream dataStream(DotStuffingOutputStream.Gate gate) {
        if (dataBuffer == null) {
            dataBuffer = new byte[DotStuffingOutputStream.BUFFER_SIZE];
        }
        return new DotStuffingOutputStream(output, dataBuffer, gate);
    }

    /** Shortens the read timeout, e.g. for a best-effort QUIT. */
    void readTimeout(Duration timeout) {
        try {
            setSoTimeout(PlainSockets.millis(timeout));
        } catch (IOException e) {
            LOG.debug("could not change the read timeout: {}", e.toString());
        }
    }

    /**
     * Closes without waiting on the server. Under TLS the TCP socket goes first: SSLSocket.close() otherwise sends
     * close_notify and then reads for the server's (draining its input) for up to another full read timeout, so a
     * server that went silent held a failed exchange for twice the read timeout.
     */
    void closeQuietly() {
        close(false);
    }

    /**
     * Closes after the server answered QUIT: the TLS layer may exchange close_notify (RFC 8446 §6.1), bounded by
     * the short read timeout QUIT ran with.
     */
    void closeAfterQuit() {
        close(true);
    }

    private void close(boolean orderly) {
        if (output instanceof WriteTimeoutOutputStream watched) {
            watched.stopWatching(); // the timer lets go of this stream now, not a write timeout after its last write
        }
        if (encrypted && !orderly && tcpSocket != null) {
            try {
                tcpSocket.close();
            } catch (IOException e) {
                LOG.debug("closing the connection to {} failed: {}", settings.describe(), e.toString());
            }
        }
        try {
            disconnect();
        } catch (IOException e) {
            LOG.debug("closing the connection to {} failed: {}", settings.describe(), e.toString());
        }
        if (deadline != null) {
            deadline.close(); // the timer lets go of this connection now, not when the last limit armed has passed
        }
    }

}
