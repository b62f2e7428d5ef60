package io.catalystmail.camel.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * The TCP connect every mail connection of this component starts with (before any TLS): within connectTimeout, then
 * readTimeout on every read, and a failed connect named after the server ({@link ConnectFailures}).
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
    }

    /** A duration as a socket timeout: at least 1 ms, as 0 would mean no limit at all, at most Integer.MAX_VALUE. */
    public static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
