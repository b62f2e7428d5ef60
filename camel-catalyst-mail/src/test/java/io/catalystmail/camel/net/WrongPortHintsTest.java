package io.catalystmail.camel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS hint after a silent greeting is given where it can be right: not on the standard plain-text ports, where
 * an outside trial saw it on every poll of a stalled server that had worked a minute before.
 */
class WrongPortHintsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @ParameterizedTest
    @ValueSource(ints = {25, 110, 143, 587})
    void aSilentGreetingOnAStandardPlainTextPortIsNotBlamedOnTls(int port) {
        ConnectionSettings plain = ConnectionSettings.plain("mail.example.test", port, TIMEOUT);
        SocketTimeoutException waited = new SocketTimeoutException("IMAP server mail.example.test:" + port
                + " did not answer the greeting within 1000 ms (readTimeout)");

        assertEquals("", WrongPortHints.afterSilence(plain));
        assertSame(waited, WrongPortHints.noGreeting(waited, plain));
    }

    @ParameterizedTest
    @ValueSource(ints = {993, 995, 465, 10143})
    void aSilentGreetingElsewhereSuggestsTheTlsScheme(int port) {
        ConnectionSettings plain = ConnectionSettings.plain("mail.example.test", port, TIMEOUT);
        SocketTimeoutException waited = new SocketTimeoutException("silent");

        SocketTimeoutException hinted = WrongPortHints.noGreeting(waited, plain);

        assertTrue(hinted.getMessage().startsWith("silent; if this port expects TLS from the first byte"),
                hinted.getMessage());
        assertSame(waited, hinted.getCause());
    }

    /** A port that waits for a handshake sends nothing: a greeting cut short after some octets is a stalled server. */
    @ParameterizedTest
    @ValueSource(ints = {993, 995, 465, 10143})
    void aGreetingThatBeganIsNotBlamedOnTls(int port) {
        ConnectionSettings plain = ConnectionSettings.plain("mail.example.test", port, TIMEOUT);
        SocketTimeoutException stalled = new SocketTimeoutException("began a reply but did not end its line");
        stalled.bytesTransferred = 12;
        SocketTimeoutException waited = new SocketTimeoutException("did not answer the greeting");
        waited.initCause(stalled);

        assertSame(waited, WrongPortHints.noGreeting(waited, plain));
    }
}
