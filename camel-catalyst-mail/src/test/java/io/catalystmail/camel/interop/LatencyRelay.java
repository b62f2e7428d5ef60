package io.catalystmail.camel.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on loopback that holds every chunk of bytes for a fixed one-way delay in each direction, so a client
 * meets a server a network away (round trip = 2 x delay; bandwidth is not limited). It stands in for
 * {@code tc qdisc ... netem delay}, which the project's build machine lacks (its kernel is built without
 * CONFIG_NET_SCH_NETEM), and delays only the connections made to it: other clients of the same server keep their
 * loopback. Used by {@code benchmarks/several-nodes.sh latency}; TLS (STARTTLS) passes through untouched.
 * Arguments: listen port, upstream host, upstream port, one-way delay in ms. Runs until killed.
 */
public final class LatencyRelay {

    /** A chunk read from one side and the moment it may be written to the other. */
    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0);

    private LatencyRelay() {
    }

    public static void main(String[] args) throws IOException {
        int listenPort = Integer.parseInt(args[0]);
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3]));
        try (ServerSocket listener = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("latency relay on " + listenPort + " -> " + host + ":" + port + ", " + args[3]
                               + " ms each way");
            while (true) {
                Socket client = listener.accept();
                Socket server = new Socket(host, port);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                relay(client, server, delayNanos);
                relay(server, client, delayNanos);
            }
        }
    }

    /** Copies from's bytes to to, each chunk after the delay, in order; closes to's output at the end. */
    private static void relay(Socket from, Socket to, long delayNanos) throws IOException {
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
