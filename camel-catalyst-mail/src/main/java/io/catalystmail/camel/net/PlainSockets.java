package io.catalystmail.camel.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * The TCP connect the IMAP and POP3 connections of this component start with (before any TLS): within connectTimeout,
 * then readTimeout on every read, TCP_NODELAY, and a failed connect named after the server ({@link ConnectFailures}).
 */
public final class PlainSockets {

    private PlainSockets() {
    }

    /**
     * Connects {@code socket}, new and unconnected (the caller makes it, so that another thread can close it while the
     * connect waits), to the host and port of {@code settings}.
     *
     * @param server the server as our errors name it, e.g. {@code "IMAP server " + settings.describe()}
     */
    public static void connect(Socket socket, String server, ConnectionSettings settings) throws IOException {
        try {
            socket.connect(new InetSocketAddress(settings.host(), settings.port()), millis(settings.connectTimeout()));
        } catch (IOException e) {
            throw ConnectFailures.named(server, settings, e);
        }
        socket.setSoTimeout(millis(settings.readTimeout()));
        // each command (or pipelined batch) already goes out in one write, and then the client waits for answers.
        // Nagle's algorithm would only hold back a small write behind one not yet acknowledged, until the server's
        // delayed ACK comes (~40 ms on Linux): an APPEND's closing CRLF behind a literal larger than the write buffer,
        // a POP3 DELE or RETR sent ahead while the ones before it are still unacknowledged
        socket.setTcpNoDelay(true);
    }

    /** A duration as a socket timeout: at least 1 ms, as 0 would mean no limit at all, at most Integer.MAX_VALUE. */
    public static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
