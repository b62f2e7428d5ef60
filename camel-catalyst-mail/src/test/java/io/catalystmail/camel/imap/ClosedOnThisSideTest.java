package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection closed on this side (a consumer stopping during a poll the server holds up) fails the command it was
 * waiting on with an error that says so, not as a connection the server lost ("Socket closed").
 */
class ClosedOnThisSideTest {

    private ScriptedPreauth session;

    @AfterEach
    void stop() throws Exception {
        if (session != null) {
            session.close();
        }
    }

    /**
     * A NOOP on another thread, blocked reading the tagged answer that never comes: the server's untagged line was
     * read when this returns.
     */
    private CompletableFuture<Void> noopTheServerHoldsUp() throws Exception {
        session = ScriptedPreauth.connect(ScriptedPreauth.script("").expect("NOOP").send("* 4 EXISTS").stall());
        ImapConnection c = session.connection();
        CountDownLatch answering = new CountDownLatch(1);
        CompletableFuture<Void> noop = CompletableFuture.runAsync(() -> {
            try {
                c.execute(new ImapCommand("NOOP"), r -> answering.countDown(), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertTrue(answering.await(5, TimeUnit.SECONDS));
        return noop;
    }

    @Test
    void anAbortDuringAnUnansweredCommandSaysTheConnectionWasClosedOnThisSide() throws Exception {
        CompletableFuture<Void> noop = noopTheServerHoldsUp();
        ScriptedImapServer server = session.server();
        session.connection().abort();

        Throwable failure = assertThrows(ExecutionException.class,
                () -> noop.get(5, TimeUnit.SECONDS)).getCause().getCause();
        // blocked in its read, the thread gets the closed socket's failure; about to read, the transport's check
        assertTrue(failure instanceof SocketException
                   ? failure.getMessage().endsWith(": the connection was closed on this side during NOOP (the consumer"
                                                   + " stopped, suspended or dropped it)")
                   : failure.getMessage().endsWith(": the connection was closed on this side (the consumer stopped,"
                                                   + " suspended or dropped it)"), failure::toString);
        assertTrue(failure.getMessage().startsWith("IMAP server 127.0.0.1:" + server.port()), failure::toString);
    }

    /**
     * A connection dropped because it failed on another thread (IDLE's DONE written while the reader waits, and the
     * write broke): the waiting read names the lost connection and that write's failure, not a stop of ours.
     */
    @Test
    void aDropForAFailedWriteElsewhereSaysTheConnectionWasLostAndWhy() throws Exception {
        CompletableFuture<Void> noop = noopTheServerHoldsUp();
        session.connection().drop(new SocketException("Broken pipe"));

        Throwable failure = assertThrows(ExecutionException.class,
                () -> noop.get(5, TimeUnit.SECONDS)).getCause().getCause();
        assertFalse(failure.getMessage().contains("closed on this side"), failure::toString);
        if (failure instanceof SocketException) { // blocked in its read: the lost connection, for the write's reason
            assertTrue(failure.getMessage().endsWith(" lost the connection during NOOP: Broken pipe"), failure::toString);
        }
    }
}
