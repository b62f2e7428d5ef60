package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.testsupport.GreenMailCertificates;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.junit.jupiter.api.Test;

/**
 * A TLS server that goes silent mid-command: the command fails after one read timeout and the connection is closed
 * at once. Closing the SSLSocket itself sends close_notify and reads for the server's, which a silent server never
 * sends: the caller waited another whole read timeout before (a command's failure came after twice readTimeout).
 */
class SilentTlsServerCloseTest {

    @Test
    void aSilentTlsServerFailsTheCommandAndTheCloseWithinOneReadTimeout() throws Exception {
        Duration readTimeout = Duration.ofSeconds(2);
        CountDownLatch released = new CountDownLatch(1);
        ScriptedImapServer server = new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready")
                .expect("STARTTLS").send("{tag} OK begin TLS now")
                .startTls(GreenMailCertificates.serverContext())
                .expect("CAPABILITY").send("* CAPABILITY IMAP4rev1 IDLE", "{tag} OK done")
                .expect("LOGIN \"joe\" \"secret\"").send("{tag} OK [CAPABILITY IMAP4rev1 IDLE] welcome")
                .expect("NOOP").waitFor(released)
                .start();
        try {
            ConnectionSettings tls = new ConnectionSettings("127.0.0.1", server.port(), false, StartTlsMode.REQUIRED,
                    GreenMailCertificates.trustingClientContext(), false, Duration.ofSeconds(5), readTimeout, false);
            long start;
            try (ImapConnection connection = ImapConnection.connect(tls)) {
                connection.authenticate(new Credentials("joe", "secret", null, null));
                connection.endDeadline();
                start = System.nanoTime();
                assertThrows(IOException.class, () -> connection.execute(new ImapCommand("NOOP"), null, null));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(readTimeout.plusMillis(1500)) < 0, "failed and closed after " + took);
        } finally {
            released.countDown();
            server.close();
        }
    }
}
