package io.catalystmail.camel.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

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

    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);

    private static final String BODY = "Subject: paused\r\n\r\n" + "x".repeat(4000) + "\r\n";

    /** Opened by the handler once its read has timed out: the server then sends the rest of the body. */
    private final CountDownLatch resume = new CountDownLatch(1);
    private final MessageRef ref = new MessageRef("7", 0, -1, null, "scripted:INBOX;UID=7");
    private ScriptedImapServer server;
    private ImapMailboxSession session;

    @AfterEach
    void close() throws IOException {
        if (session != null) {
            session.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aReadTimeoutInsideABodyFailsTheFetchInsteadOfFailingTheMessage() throws Exception {
        openSessionOnAServerPausingInsideTheBody();
        // the handler reads as the MIME parser does: a failed read of the content ends its work on this message. The
        // server goes on the moment the client's read has timed out, so whatever reads after that gets the rest
        IOException failure = assertThrows(IOException.class, () -> {
            Map<MessageRef, Exception> perMessage = session.fetch(List.of(ref), message -> {
                try {
                    message.content().readAllBytes();
                } catch (SocketTimeoutException e) {
                    resume.countDown();
                    throw e;
                }
                throw new AssertionError("the whole body was read although the server paused longer than readTimeout");
            });
            // reached only when the fetch went on after the failed read: the message was blamed for the pause
            throw new AssertionError("the fetch went on and failed the message instead: " + perMessage);
        });
        assertEquals(SocketTimeoutException.class, rootCause(failure).getClass(), failure.toString());
    }

    @Test
    void aHandlerReadingOnAfterItsTimeoutMeetsTheSameFailureAtOnce() throws Exception {
        openSessionOnAServerPausingInsideTheBody();
        IOException[] reads = new IOException[2];
        assertThrows(IOException.class, () -> session.fetch(List.of(ref), message -> {
            try {
                message.content().readAllBytes();
            } catch (SocketTimeoutException e) {
                reads[0] = e;
                resume.countDown();
            }
            // the server has gone on: without the remembered failure this read would return the rest of the body
            try {
                message.content().readAllBytes();
            } catch (IOException e) {
                reads[1] = e;
            }
            throw new IllegalStateException("the handler gives up on this message, as a parser would");
        }));
        assertSame(reads[0], reads[1], "the second read throws the connection's failure again");
    }

    private void openSessionOnAServerPausingInsideTheBody() throws IOException {
        int half = BODY.length() / 2;
        server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1] logged in already")
                .expect("LIST \"\" \"\"")
                .send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK done")
                .expect("SELECT \"?INBOX\"?")
                .send("* 1 EXISTS", "* OK [UIDVALIDITY 42] UIDs valid", "{tag} OK [READ-WRITE] selected")
                .expect("UID FETCH 7 \\(UID FLAGS INTERNALDATE RFC822\\.SIZE BODY\\.PEEK\\[\\]\\)")
                .sendBytes(("* 1 FETCH (UID 7 FLAGS () INTERNALDATE \"10-Mar-2024 10:00:00 +0000\" RFC822.SIZE "
                        + BODY.length() + " BODY[] {" + BODY.length() + "}\r\n" + BODY.substring(0, half))
                        .getBytes(StandardCharsets.US_ASCII))
                .waitFor(resume)
                .sendBytes((BODY.substring(half) + ")\r\n").getBytes(StandardCharsets.US_ASCII))
                .send("{tag} OK fetch done")
                .start();
        session = new ImapMailboxSession(ConnectionSettings.plain("127.0.0.1", server.port(), READ_TIMEOUT),
                Credentials.NONE, "INBOX", Clock.systemUTC());
        session.open();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
