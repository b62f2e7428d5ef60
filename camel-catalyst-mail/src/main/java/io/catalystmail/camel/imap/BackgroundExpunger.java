package io.catalystmail.camel.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expunges messages already flagged \Deleted on a second connection to the same folder, while the session's
 * own connection goes on fetching. A server works through one connection's commands in order, and an expunge
 * is slow (Dovecot: about 0.1 ms per message, unlinking files and rewriting its index), so on the fetching
 * connection every expunge would stall the next fetch; on a connection of its own it runs alongside.
 *
 * <p>Only UID EXPUNGE (UIDPLUS, RFC 4315) is used here: it removes exactly the UIDs given, whatever else
 * another client flagged. Batches run one after another on the executor's threads. The second connection is
 * opened at the first batch; when it cannot be opened or fails (a server that allows one connection per
 * account, a cut connection, a folder whose UIDVALIDITY changed), its batches are handed back by
 * {@link #awaitAll()} for the session to expunge on its own connection, and no second connection is tried
 * again for this session.
 */
final class BackgroundExpunger {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundExpunger.class);

    private final ConnectionSettings settings;
    private final Credentials credentials;
    private final String folder;
    private final long uidValidity;
    private final Executor executor;
    private final PendingExpunges pending;
    /** Touched only by the batch running on the executor. */
    private ImapConnection connection;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    /** Batches queued and not yet done: whatever of them never ran is owed back too. */
    private final List<List<Long>> queued = new ArrayList<>();
    private final List<Long> handedBack = new ArrayList<>();
    private boolean unavailable;
    private boolean closed;

    BackgroundExpunger(ConnectionSettings settings, Credentials credentials, String folder, long uidValidity,
                       Executor executor, PendingExpunges pending) {
        this.settings = settings;
        this.credentials = credentials;
        this.folder = folder;
        this.uidValidity = uidValidity;
        this.executor = executor;
        this.pending = pending;
    }

    /** Queues UID EXPUNGE of {@code uids}, which the caller has flagged \Deleted already; returns at once. */
    synchronized void submit(List<Long> uids) {
        List<Long> batch = List.copyOf(uids);
        if (unavailable || closed) {
            handedBack.addAll(batch);
            return;
        }
        queued.add(batch);
        try {
            tail = tail.thenRunAsync(() -> expunge(batch), executor);
        } catch (RejectedExecutionException stopping) {
            // the executor is shutting down: awaitAll() hands the batch back
        }
    }

    /**
     * Waits until every queued batch has run; returns the UIDs that were not expunged here, for the session to
     * expunge on its own connection.
     */
    List<Long> awaitAll() {
        CompletableFuture<Void> last;
        synchronized (this) {
            last = tail;
        }
        // expunge() catches its own failures; the chain fails only when the executor refused a batch, which then
        // is still queued and handed back below
        last.handle((done, refused) -> null).join();
        synchronized (this) {
            List<Long> owed = new ArrayList<>(handedBack);
            queued.forEach(owed::addAll);
            queued.clear();
            handedBack.clear();
            if (tail == last) {
                // a chain broken by a refused batch would refuse every later one too
                tail = CompletableFuture.completedFuture(null);
            }
            return owed;
        }
    }

    /**
     * Waits for the queued batches, then logs the second connection out; UIDs still owed are dropped (they stay
     * flagged \Deleted, so no poll lists them again).
     */
    void close() {
        synchronized (this) {
            closed = true;
        }
        // once the chain has completed no batch runs, and none is queued after closed: the connection is free
        awaitAll();
        logout();
    }

    private void expunge(List<Long> uids) {
        boolean skip;
        synchronized (this) {
            queued.remove(uids);
            skip = unavailable;
        }
        if (skip) {
            handBack(uids);
            return;
        }
        try {
            if (connection == null || !connection.isUsable()) {
                connection = open();
            }
            connection.execute(new ImapCommand("UID EXPUNGE").raw(UidSet.format(uids)), null, null);
            pending.expunged(uids);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Expunging on a second connection to {} failed ({}); the first connection expunges instead",
                    settings.describe(), e.toString());
            logout();
            synchronized (this) {
                unavailable = true;
            }
            handBack(uids);
        }
    }

    private ImapConnection open() throws IOException {
        ImapConnection c = ImapConnection.connect(settings);
        try {
            c.authenticate(credentials);
            long validity = ImapMailboxSession.select(c, folder);
            if (validity != uidValidity) {
                // the folder was recreated: these UIDs would name other messages here
                throw new ImapProtocolException("UIDVALIDITY of " + folder + " is " + validity + " on the second"
                                                + " connection, " + uidValidity + " on the first");
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private synchronized void handBack(List<Long> uids) {
        handedBack.addAll(uids);
    }

    private void logout() {
        if (connection != null) {
            connection.logout();
            connection = null;
        }
    }
}
