package io.catalystmail.camel.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.catalystmail.camel.testsupport.ProcessResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay benchmarks/several-nodes.sh puts between the nodes and the servers, on loopback sockets. */
class LatencyRelayTest {

    private static final int READ_LIMIT_MILLIS = 10_000;

    private final ServerSocket listener = listener();
    private Thread serving;

    private static ServerSocket listener() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void start(InetSocketAddress upstream, long delayMillis) {
        LatencyRelay relay = new LatencyRelay(listener, upstream, delayMillis);
        serving = new Thread(() -> {
            try {
                relay.serve();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "latency relay under test");
        serving.setDaemon(true);
        serving.start();
    }

    private Socket client() throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        client.setSoTimeout(READ_LIMIT_MILLIS);
        return client;
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
        if (serving != null) {
            serving.join(READ_LIMIT_MILLIS);
        }
    }

    @Test
    void aClientWhoseUpstreamRefusesIsHungUpOnAndTheRelayGoesOn() throws Exception {
        InetSocketAddress refusing;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = new InetSocketAddress(closed.getInetAddress(), closed.getLocalPort());
        }
        start(refusing, 0);
        for (int i = 0; i < 2; i++) {
            try (Socket client = client()) {
                assertEquals(-1, client.getInputStream().read(), "client " + i + " was hung up on");
            }
        }
        assertTrue(serving.isAlive(), "the relay still accepts");
    }

    @Test
    void bytesPassBothWaysDelayedAndTheRelayClosesBothSocketsAfterwards() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            start(new InetSocketAddress(upstream.getInetAddress(), upstream.getLocalPort()), 50);
            ProcessResources.Snapshot before = ProcessResources.now();
            long started = System.nanoTime();
            try (Socket client = client()) {
                client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                client.shutdownOutput();
                try (Socket server = upstream.accept()) {
                    server.setSoTimeout(READ_LIMIT_MILLIS);
                    byte[] received = server.getInputStream().readAllBytes();
                    server.getOutputStream().write(received);
                    server.shutdownOutput();
                    byte[] echoed = client.getInputStream().readAllBytes();
                    assertEquals("hello", new String(echoed, StandardCharsets.US_ASCII));
                }
            }
            assertTrue(System.nanoTime() - started >= Duration.ofMillis(100).toNanos(), "50 ms each way");
            // the test's own sockets are closed: what is left beyond the snapshot would be the relay's
            ProcessResources.awaitBackTo(before, Duration.ofSeconds(10), () -> "a relayed connection ended");
        }
    }
}
