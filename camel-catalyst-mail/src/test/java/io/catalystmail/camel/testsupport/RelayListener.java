package io.catalystmail.camel.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The listening half of a test relay in front of a real or embedded server: accepts each client on a loopback
 * address, opens a connection of its own to the upstream port on 127.0.0.1 and hands the pair to the subclass,
 * which pumps the bytes its way. Closing it closes the listener and every socket it made.
 */
public abstract class RelayListener implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** Listens on an ephemeral port of {@code bindAddress}; call {@link #startAccepting} once the subclass is ready. */
    protected RelayListener(InetAddress bindAddress, int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, bindAddress);
    }

    /** Starts the accepting thread, named {@code name}. */
    protected final void startAccepting(String name) {
        Thread acceptor = new Thread(this::accept, name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A client and the relay's own connection to the server for it: start moving bytes between them. */
    protected abstract void relay(Socket client, Socket server) throws IOException;

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client); // before the upstream connect: close() reaches it even when that fails
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(server);
                relay(client, server);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Closes every connection made so far, the listener staying open. */
    protected final void closeConnections() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        closeConnections();
    }
}
