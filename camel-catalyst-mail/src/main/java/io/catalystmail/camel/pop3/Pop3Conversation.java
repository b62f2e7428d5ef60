package io.catalystmail.camel.pop3;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;

import io.catalystmail.camel.net.ConnectionSettings;

/**
 * The state a POP3 session's parts share once logged in: the connection, what the server can do, whether the
 * connection is still in step, and the command an exchange is at (named in its errors). It sends commands in
 * pipelined windows and reads their replies in order.
 */
final class Pop3Conversation {

    /**
     * Commands per pipelined write. Pipelining deadlocks only when the client blocks writing commands while the
     * server blocks writing replies nobody reads; 256 commands of at most 20 octets stay far below any socket
     * buffer, so the write always completes, and a fetch round (fetchRoundSize) goes out in one write.
     */
    static final int PIPELINE_WINDOW = 256;

    private final ConnectionSettings settings;
    private final Pop3Connection connection;
    private final Pop3Capabilities capabilities;
    private boolean broken;
    private String current = "";

    Pop3Conversation(ConnectionSettings settings, Pop3Connection connection, Pop3Capabilities capabilities) {
        this.settings = settings;
        this.connection = connection;
        this.capabilities = capabilities;
    }

    Pop3Connection connection() {
        return connection;
    }

    ConnectionSettings settings() {
        return settings;
    }

    /** RFC 2449 §6.6: only a server that announces PIPELINING may be sent several commands in one write. */
    boolean pipelining() {
        return capabilities.pipelining();
    }

    boolean broken() {
        return broken;
    }

    /** The connection is out of step or gone: no further command, no QUIT. */
    void breakOff() {
        broken = true;
    }

    void nowAt(String command) {
        current = command;
    }

    /** Handles the reply to the command at {@code index}, reading its multi-line body if it has one. */
    @FunctionalInterface
    interface ReplyReader {
        void read(int index, Pop3Reply reply) throws IOException;
    }

    @FunctionalInterface
    interface Exchange {
        void run() throws IOException;
    }

    /**
     * Sends {@code commands} and reads their replies in order: all of a window in one write when the server
     * pipelines, else one at a time. A refusal does not stop the reading, so the connection stays in step; the
     * first one is thrown once the window is read.
     */
    void pipelined(List<String> commands, ReplyReader reader) throws IOException {
        int window = pipelining() ? PIPELINE_WINDOW : 1;
        Pop3RefusedException refusal = null;
        for (int start = 0; start < commands.size() && refusal == null && !broken; start += window) {
            int end = Math.min(commands.size(), start + window);
            connection.send(commands.subList(start, end));
            // a reader that dropped the connection (a message over maxMessageSize) ends the exchange
            for (int i = start; i < end && !broken; i++) {
                try {
                    reader.read(i, connection.readReply());
                } catch (Pop3RefusedException e) {
                    refusal = refusal == null ? e : refusal;
                }
            }
        }
        if (refusal != null) {
            throw refusal;
        }
    }

    /**
     * Runs one exchange under the operation deadline. A failure other than a refusal marks the connection broken,
     * so close() sends no QUIT into a connection that is out of step (and no deletion takes effect, RFC 1939 §6).
     */
    void guarded(String command, Exchange exchange) throws IOException {
        if (broken) {
            throw new IOException("the POP3 session with " + settings.describe() + " is not open");
        }
        connection.startDeadline(command, "fetchTimeout", settings.operationTimeout());
        current = command;
        try {
            exchange.run();
        } catch (Pop3RefusedException e) {
            throw e;
        } catch (IOException e) {
            broken = true;
            IOException timeout = connection.deadlineFailure(e);
            throw timeout != e ? timeout : named(e);
        } catch (RuntimeException e) {
            broken = true;
            throw e;
        } finally {
            connection.endDeadline();
        }
    }

    /** Names the command a failure interrupted; the server is named by the connection's messages. */
    private IOException named(IOException e) {
        if (e.getMessage() != null && e.getMessage().contains(current)) {
            return e;
        }
        String text = (e.getMessage() == null ? e.toString() : e.getMessage()) + " (during " + current + ")";
        if (!text.contains(settings.describe())) {
            text = "POP3 server " + settings.describe() + ": " + text;
        }
        IOException named = e instanceof SocketTimeoutException ? new SocketTimeoutException(text)
                : e instanceof EOFException ? new EOFException(text) : new IOException(text);
        named.initCause(e);
        return named;
    }
}
