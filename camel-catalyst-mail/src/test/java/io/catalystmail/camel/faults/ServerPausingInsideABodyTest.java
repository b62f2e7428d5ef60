package io.catalystmail.camel.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.imap.ImapMailboxSession;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that goes quiet in the middle of a message body for longer than {@code readTimeout}, and then goes on.
 * The read inside the body fails; that failure is the connection's, not the message's. Found on Dovecot behind a
 * proxy that paused 15 s mid-FETCH with readTimeout=10s: the skip of the rest of the literal read again, waited
 * out the pause, and the message became a per-message failure ("Message 333 could not be read (Reading the message
 * failed: Read timed out); it is moved to Failed"), so moveFailedTo filed a good message as failed; a pause longer
 * than twice readTimeout failed the poll only after the second timeout (20 s for readTimeout=10s).
 */
class ServerPausingInsideABodyTest {

    private static final Duration READ_TIMEOUT = Duration.ofMillis(1000);
    /** Longer than the read timeout, shorter than two: the skip after the failed read sees the server go on. */
    private static final long PAUSE_MILLIS = 1600;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private ScriptedImapServer server;
    private ImapMailboxSession session;

    @AfterEach
    void close() throws IOException {
        timer.shutdownNow();
        if (session != null) {
            session.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aReadTimeoutInsideABodyFailsTheFetchInsteadOfFailingTheMessage() throws Exception {
        String body = "Subject: paused\r\n\r\n" + "x".repeat(4000) + "\r\n";
        int half = body.length() / 2;
        CountDownLatch resume = new CountDownLatch(1);
        server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1] logged in already")
                .expect("LIST \"\" \"\"")
                .send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK done")
                .expect("SELECT \"?INBOX\"?")
                .send("* 1 EXISTS", "* OK [UIDVALIDITY 42] UIDs valid", "{tag} OK [READ-WRITE] selected")
                .expect("UID FETCH 7 \\(UID FLAGS INTERNALDATE RFC822\\.SIZE BODY\\.PEEK\\[\\]\\)")
                .sendBytes(("* 1 FETCH (UID 7 FLAGS () INTERNALDATE \"10-Mar-2024 10:00:00 +0000\" RFC822.SIZE "
                        + body.length() + " BODY[] {" + body.length() + "}\r\n" + body.substring(0, half))
                        .getBytes(StandardCharsets.US_ASCII))
                .waitFor(resume)
                .sendBytes((body.substring(half) + ")\r\n").getBytes(StandardCharsets.US_ASCII))
                .send("{tag} OK fetch done")
                .start();
        session = new ImapMailboxSession(ConnectionSettings.plain("127.0.0.1", server.port(), READ_TIMEOUT),
                Credentials.NONE, "INBOX", Clock.systemUTC());
        session.open();
        MessageRef ref = new MessageRef("7", 0, -1, null, "scripted:INBOX;UID=7");

        timer.schedule(resume::countDown, PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        // the handler reads as the MIME parser does: a failed read of the content ends its work on this message
        IOException failure = assertThrows(IOException.class, () -> {
            Map<MessageRef, Exception> perMessage = session.fetch(List.of(ref), message -> {
                message.content().readAllBytes();
                throw new AssertionError("the whole body was read although the server paused longer than readTimeout");
            });
            // reached only when the fetch went on after the failed read: the message was blamed for the pause
            throw new AssertionError("the fetch went on and failed the message instead: " + perMessage);
        });
        assertEquals(SocketTimeoutException.class, rootCause(failure).getClass(), failure.toString());
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
