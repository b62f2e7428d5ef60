package io.catalystmail.camel.net;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The connect's failures named after the server. A reset while the connect completes (a server accepting and dying
 * at once) cannot be made to happen on demand through a real socket, as it races the client's connect; it was seen
 * against a listener that reset every connection at once: one poll of an IMAP consumer failed with the JDK's bare
 * "Connection reset by peer" and a stack trace, naming no server, where the others said "lost the connection".
 */
class ConnectFailuresTest {

    private final ConnectionSettings settings = ConnectionSettings.plain("mail.example.test", 143, Duration.ofSeconds(5));

    @Test
    void aResetWhileConnectingNamesTheServerAndKeepsItsType() {
        SocketException reset = new SocketException("Connection reset by peer");

        IOException named = ConnectFailures.named("IMAP server mail.example.test:143", settings, reset);

        assertInstanceOf(SocketException.class, named);
        assertEquals("Cannot connect to IMAP server mail.example.test:143: Connection reset by peer", named.getMessage());
        assertSame(reset, named.getCause());
    }

    @Test
    void aFailureThatNamesTheServerAlreadyIsLeftAsItIs() {
        SocketException named = new SocketException("IMAP server mail.example.test:143 lost the connection");

        assertSame(named, ConnectFailures.named("IMAP server mail.example.test:143", settings, named));
    }
}
