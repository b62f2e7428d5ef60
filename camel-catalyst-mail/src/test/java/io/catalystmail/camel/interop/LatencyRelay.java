package io.catalystmail.camel.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback that holds every chunk of bytes for a fixed one-way delay in each direction, so a client
 * meets a server a network away (round trip = 2 x delay; bandwidth is not limited). It stands in for
 * {@code tc qdisc ... netem delay}, which the project's build machine lacks (its kernel is built without
 * CONFIG_NET_SCH_NETEM), and delays only the connections made to it: other clients of the same server keep their
 * loopback. Used by {@code benchmarks/several-nodes.sh latency}; TLS (STARTTLS) passes through untouched.
 * Arguments: listen port, upstream host, upstream port, one-way delay in ms. Runs until killed.
 *
 * <p>A client whose upstream connection fails is hung up on, and the relay goes on accepting; a relayed connection
 * closes both its sockets once both directions have ended.
 */
public final class LatencyRelay {

    /** A chunk read from one side and the moment it may be written to the other. */
    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final long delayNanos;

    LatencyRelay(ServerSocket listener, InetSocketAddress upstream, long delayMillis) {
        this.listener = listener;
        this.upstream = upstream;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    }

    public static void main(String[] args) throws IOException {
        int listenPort = Integer.parseInt(args[0]);
        InetSocketAddress upstream = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        try (ServerSocket listener = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("latency relay on " + listenPort + " -> " + upstream + ", " + args[3] + " ms each way");
            new LatencyRelay(listener, upstream, Long.parseLong(args[3])).serve();
        }
    }

    /** Accepts and relays connections until the listener is closed. */
    void serve() throws IOException {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
                throw e;
            }
            try {
                relayToUpstream(client);
            } catch (IOException e) {
                System.out.println("no connection to " + upstream + " (" + e.getMessage() + "): hung up on the client");
                closeQuietly(client);
            }
        }
    }

    private void relayToUpstream(Socket client) throws IOException {
        Socket server = new Socket();
        try {
            server.connect(upstream, CONNECT_TIMEOUT_MILLIS);
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            AtomicInteger directions = new AtomicInteger(2);
            Runnable directionEnded = () -> {
                if (directions.decrementAndGet() == 0) {
                    closeQuietly(client);
                    closeQuietly(server);
                }
            };
            relay(client, server, directionEnded);
            relay(server, client, directionEnded);
        } catch (IOException e) {
            closeQuietly(server);
            throw e;
        }
    }

    /**
     * Copies from's bytes to to, each chunk after the delay, in order; closes to's output at the end, or both sockets
     * when a write fails; tells {@code ended} either way.
     */
    private void relay(Socket from, Socket to, Runnable ended) throws IOException {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    queue.add(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delayNanos));
                }
            } catch (IOException e) {
                // the connection ended
            }
            queue.add(END);
        }, "relay-read");
        Thread writer = new Thread(() -> {
            try {
                for (Chunk c = queue.take(); c != END; c = queue.take()) {
                    long wait = c.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait); // the emulated network's delay
                    }
                    out.write(c.bytes());
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            } finally {
                ended.run();
            }
        }, "relay-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
