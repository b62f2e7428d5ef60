package io.catalystmail.camel.pop3;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import org.junit.jupiter.api.Test;

/**
 * A server that closes the connection right after a SASL response: the failure names the last command sent, and for
 * a response that is the command's log form ("AUTH LOGIN response ***"), never the line itself, which is the
 * base64 of the password (AUTH LOGIN's second answer). A scripted peer, as only a cut at that point shows it.
 */
class Pop3SaslResponseNotInFailuresTest {

    private static final String PASSWORD = "s3cret!";

    @Test
    void aConnectionClosedAfterTheAuthLoginPasswordNamesNoSecret() throws Exception {
        String encodedPassword = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> lastLine = CompletableFuture.supplyAsync(() -> cutAfterPassword(listener));
            Pop3MailboxSession session = new Pop3MailboxSession(ConnectionSettings.plain("127.0.0.1",
                    listener.getLocalPort(), Duration.ofSeconds(5)), new Credentials("anna", PASSWORD, null, "LOGIN"));
            IOException failure = assertThrows(IOException.class, session::open);
            assertTrue(encodedPassword.equals(lastLine.get(10, TimeUnit.SECONDS)), "the peer got the password");
            String message = failure.getMessage();
            assertTrue(message.contains("closed the connection before answering (last command sent: AUTH)"), message);
            assertFalse(message.contains(encodedPassword), message);
            assertFalse(message.contains(PASSWORD), message);
        }
    }

    /** Greets, offers SASL LOGIN, asks for user name and password, then closes; returns the password's line. */
    private static String cutAfterPassword(ServerSocket listener) {
        try (Socket socket = listener.accept()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            send(out, "+OK ready");
            expect(in, "CAPA");
            send(out, "+OK\r\nSASL LOGIN\r\nUSER\r\nUIDL\r\n.");
            expect(in, "AUTH LOGIN");
            send(out, "+ VXNlcm5hbWU6");
            in.readLine(); // the user name
            send(out, "+ UGFzc3dvcmQ6");
            return in.readLine();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void expect(BufferedReader in, String command) throws IOException {
        String line = in.readLine();
        if (!command.equals(line)) {
            throw new IOException("expected " + command + ", got " + line);
        }
    }

    private static void send(OutputStream out, String lines) throws IOException {
        out.write((lines + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
