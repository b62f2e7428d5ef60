package io.catalystmail.camel.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteTimeoutOutputStreamTest {

    @Test
    void aBusySenderKeepsOneWatchdogInsteadOfOnePerWrite() throws IOException {
        try (Socket unconnected = new Socket()) {
            WriteTimeoutOutputStream out = new WriteTimeoutOutputStream(unconnected, OutputStream.nullOutputStream(),
                    Duration.ofMinutes(5));
            byte[] line = new byte[78];
            for (int i = 0; i < 10_000; i++) {
                out.write(line, 0, line.length);
            }
            assertEquals(1, out.watchdogsScheduled(), "10,000 writes within the timeout share one watchdog");
        }
    }

    /**
     * A peer that stops reading: the first write returns at once and starts the watchdog; the writes after it block
     * once the socket buffers are full, and the watchdog, finding a write still running when it wakes, closes the
     * socket at that write's own deadline, from the timer thread that the operation deadlines use (no thread of
     * its own).
     */
    @Test
    void aWriteBlockedByAPeerThatStoppedReadingFailsAsATimeout() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(4096);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (Socket client = new Socket()) {
                client.setSendBufferSize(4096);
                client.connect(server.getLocalSocketAddress(), 5000);
                try (Socket silent = server.accept()) {
                    Set<String> closedBy = ConcurrentHashMap.newKeySet();
                    // the stream closes this one; it records the thread that did and closes the real socket
                    Socket watched = new Socket() {
                        @Override
                        public synchronized void close() throws IOException {
                            closedBy.add(Thread.currentThread().getName());
                            client.close();
                        }
                    };
                    WriteTimeoutOutputStream out = new WriteTimeoutOutputStream(watched, client.getOutputStream(),
                            Duration.ofMillis(300));
                    out.write(new byte[10]);
                    byte[] chunk = new byte[64 * 1024];
                    SocketTimeoutException timeout = assertTimeoutPreemptively(Duration.ofSeconds(60),
                            () -> assertThrows(SocketTimeoutException.class, () -> {
                                for (long written = 0; written < 1L << 30; written += chunk.length) {
                                    out.write(chunk, 0, chunk.length);
                                }
                            }, "a gigabyte went into a socket nobody reads"));
                    assertTrue(timeout.getMessage().contains("did not take data for 300 ms"), timeout.getMessage());
                    assertTrue(client.isClosed(), "the socket is closed");
                    assertEquals(Set.of("catalystmail-deadlines"), closedBy,
                            "the watchdog ran on the operation deadlines' timer thread");
                    assertTrue(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                                    .noneMatch(name -> name.contains("write-timeout")),
                            "no timer thread of the write timeout's own");
                }
            }
        }
    }
}
