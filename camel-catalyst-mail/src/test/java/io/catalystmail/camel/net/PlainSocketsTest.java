package io.catalystmail.camel.net;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainSocketsTest {

    /**
     * IMAP and POP3 connect through here: both get TCP_NODELAY (before, only IMAP set it itself, and POP3's pipelined
     * commands could wait behind a delayed ACK) and the read timeout.
     */
    @Test
    void aConnectedSocketSendsSmallWritesAtOnceAndTimesOutReads() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = new Socket()) {
            PlainSockets.connect(socket, "POP3 server 127.0.0.1:" + server.getLocalPort(),
                    ConnectionSettings.plain("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(7)));
            try (Socket accepted = server.accept()) {
                assertTrue(socket.isConnected());
                assertTrue(socket.getTcpNoDelay(), "TCP_NODELAY set");
                assertEquals(7_000, socket.getSoTimeout());
            }
        }
    }
}
