package io.catalystmail.camel;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.catalystmail.camel.testsupport.CapturedExceptions;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that waits for a TLS handshake sends nothing; one that sent part of its greeting and stalled does not
 * wait for TLS, so its timeout names the stall and does not tell the user to switch to pop3s or imaps.
 */
class StalledGreetingHintTest {

    private static final String TLS_HINT = "if this port expects TLS from the first byte";

    private final CamelContext context = new DefaultCamelContext();
    private final CapturedExceptions failures = new CapturedExceptions();

    @AfterEach
    void stop() {
        context.stop();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "pop3, +OK POP3 ser", "imap, * OK IMAP ser" })
    void aGreetingThatBeganAndStalledIsNotBlamedOnTls(String scheme, String greeting) throws Exception {
        String messages = failureAfterGreeting(scheme, greeting);

        assertTrue(messages.lines().findFirst().orElseThrow().contains(" began a reply (the greeting)"),
                "the first message says what happened, not that nothing came: " + messages);
        // one text for both protocols (StalledReply), naming the option that bounds the wait as every timeout does
        assertTrue(messages.contains(" began a reply (the greeting) but did not end its line within 300 ms"
                                     + " (readTimeout)"), messages);
        assertFalse(messages.contains(TLS_HINT), messages);
    }

    @ParameterizedTest
    @CsvSource({ "pop3", "imap" })
    void aGreetingOfNothingAtAllStillSuggestsTheTlsScheme(String scheme) throws Exception {
        String messages = failureAfterGreeting(scheme, "");

        assertTrue(messages.contains("did not answer the greeting within 300 ms (readTimeout); " + TLS_HINT), messages);
        assertFalse(messages.contains("began a reply"), messages);
    }

    /** The messages of the first poll failure of a consumer whose server sends {@code greeting} and stalls. */
    private String failureAfterGreeting(String scheme, String greeting) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread greeter = greetsWith(server, greeting);
            String messages = messages(firstFailure(scheme, server.getLocalPort()));
            greeter.interrupt();
            assertTrue(messages.startsWith(scheme.toUpperCase(java.util.Locale.ROOT) + " server 127.0.0.1:"
                                           + server.getLocalPort()), messages);
            return messages;
        }
    }

    /** Accepts one connection, writes {@code greeting} (no line end) and holds the connection open. */
    private static Thread greetsWith(ServerSocket server, String greeting) {
        Thread t = new Thread(() -> {
            try (Socket client = server.accept()) {
                OutputStream out = client.getOutputStream();
                out.write(greeting.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                client.getInputStream().read(); // until the client gives up and closes
            } catch (IOException e) {
                // the client closed first: the test reads what it reported
            }
        }, "stalled-greeter");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private Throwable firstFailure(String scheme, int port) throws Exception {
        return failures.firstPollFailure(context, "catalystmail:" + scheme + ":127.0.0.1:" + port
                + "?username=anna&password=RAW(s3cret!)&readTimeout=300");
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
