package io.catalystmail.camel;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.imap.ImapCommandException;
import io.catalystmail.camel.imap.ImapMailboxSession;
import io.catalystmail.camel.imap.MissingFolderException;
import io.catalystmail.camel.imap.PendingExpunges;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.ConfirmedSteps;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.net.ConnectionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's mailbox session, opened when a poll needs it and kept across polls, unless its actions become final
 * only at its goodbye (POP3), which ends it after each: a kept session is checked before use, a lost one replaced, and
 * a new one prepared (the target folders, the UIDVALIDITY compared with the last one's, the deletions a lost session
 * owed).
 */
final class KeptSession {

    /** The consumer's category: these lines are part of what the consumer says about its mailbox. */
    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    private final CatalystMailEndpoint endpoint;
    private final CatalystMailConfiguration config;
    private final MailboxStatistics statistics;
    /** Built once at start: the TLS context behind it is costly, and POP3 opens a session every poll. */
    private final ConnectionSettings connection;
    private final Credentials credentials;
    /** The folders the configured actions use (moveTo, copyTo, moveFailedTo). */
    private final List<AfterProcessing> configuredActions;
    /** IMAP deletions flagged but not yet expunged; handed from a lost session to the next. */
    private final PendingExpunges pendingExpunges = new PendingExpunges();
    /** Told the steps of the after-processing the server confirmed (IMAP; see ImapMailboxSession#reportConfirmedTo). */
    private ConfirmedSteps confirmed = ConfirmedSteps.NONE;
    /** Read by a stopping thread, which closes it when a poll is stuck in it. */
    private volatile MailboxSession session;
    /** True once the configured target folders were found (or created) on the server. */
    private boolean foldersReady;
    /** While the server refuses them: said once, not on every poll. */
    private final UnusableFolders unusableFolders;
    /** True during the check at start, where a missing folder stops the route instead of failing each poll. */
    private boolean starting;
    /** True from opening a session until the poll that used it first looked for what a dead node flagged. */
    private boolean freshSession;

    KeptSession(CatalystMailEndpoint endpoint, MailboxStatistics statistics, List<AfterProcessing> configuredActions)
            throws Exception {
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.statistics = statistics;
        this.connection = endpoint.connectionSettings();
        this.credentials = endpoint.credentials();
        this.configuredActions = configuredActions;
        this.foldersReady = AfterProcessing.folders(configuredActions).isEmpty();
        this.unusableFolders = new UnusableFolders(endpoint.getProtocol().kind() + " server " + connection.describe(),
                config.getFolder());
    }

    /** The open session, or null; for a thread that must cut a poll short or hand the connection to IDLE. */
    MailboxSession current() {
        return session;
    }

    ConnectionSettings settings() {
        return connection;
    }

    /** True once per new session: the first poll on it looks for what a dead node flagged but never expunged. */
    boolean takeFresh() {
        boolean fresh = freshSession;
        freshSession = false;
        return fresh;
    }

    /**
     * Looks for the moveTo, copyTo and moveFailedTo folders (creating them with autoCreateFolders), so a missing
     * one stops the route from starting instead of failing every poll. When the server cannot be reached now,
     * the first poll that connects does the check.
     */
    void checkFoldersAtStart() throws Exception {
        if (foldersReady) {
            return;
        }
        starting = true;
        try {
            open();
        } catch (MissingFolderException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (UnusableFolderException e) {
            // said at WARN (UnusableFolders); the route starts and each poll tries again
        } catch (IOException e) {
            LOG.warn("Could not check the folders of {} at start ({}); the first poll checks them",
                    connection.describe(), e.getMessage());
        } finally {
            starting = false;
        }
    }

    /** Tells {@code listener} the messages whose UID COPY, UID MOVE or UID EXPUNGE the server answered with OK. */
    void reportConfirmedTo(ConfirmedSteps listener) {
        this.confirmed = listener;
    }

    /** The kept session if it is still alive, else a new one, opened and prepared. */
    MailboxSession open() throws Exception {
        if (session != null && session.isAlive()) {
            return session;
        }
        close();
        MailboxSession fresh = endpoint.createMailboxSession(connection, credentials);
        if (fresh instanceof ImapMailboxSession imap) {
            imap.keepPendingExpungesIn(pendingExpunges);
            imap.reportConfirmedTo(confirmed);
        }
        // visible to a stopping thread from now on, so a login stuck on a silent server can be cut too
        session = fresh;
        try {
            fresh.open();
        } catch (Exception e) {
            session = null;
            fresh.close();
            statistics.disconnected("login failed: " + e.getClass().getSimpleName());
            if (e instanceof AuthenticationException) {
                statistics.loginFailed();
            }
            throw e;
        }
        statistics.connected(fresh instanceof ImapMailboxSession imap ? imap.capabilities().toString() : "");
        freshSession = true;
        if (!foldersReady) {
            // a missing or refused folder fails here, before anything is routed, with the folder's name
            Set<String> folders = AfterProcessing.folders(configuredActions);
            try {
                fresh.prepareFolders(folders, config.isAutoCreateFolders());
            } catch (ImapCommandException | MissingFolderException e) {
                close();
                // a BYE ended the session, whatever the folder: no refusal to say once and then keep quiet about
                if (!UnfinishedActions.isRefusal(e) || starting && e instanceof MissingFolderException) {
                    throw e;
                }
                throw unusableFolders.refused(folders, e);
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
            foldersReady = true;
            unusableFolders.usable(folders);
        }
        if (fresh instanceof ImapMailboxSession imap) {
            long validity = imap.uidValidity();
            // the endpoint's figures keep the last one across consumer restarts, so a change between them is seen
            long previous = statistics.uidValidity();
            statistics.uidValidity(validity, previous >= 0 && validity != previous);
            if (previous >= 0 && validity != previous) {
                LOG.warn("UIDVALIDITY of folder {} changed from {} to {}: the server renumbered its messages; they are"
                         + " new to the idempotent repository, whose keys include UIDVALIDITY",
                        config.getFolder(), previous, validity);
            }
        }
        return fresh;
    }

    /** A polite goodbye (LOGOUT or QUIT); the next {@link #open()} connects again. */
    void close() {
        MailboxSession s = session;
        session = null;
        if (s != null) {
            s.close();
            statistics.disconnected("not connected");
        }
    }

    /**
     * The end of a poll that went well. A session whose actions become final only at its goodbye (POP3: the deletions
     * DELE marked happen when QUIT is answered with +OK, RFC 1939 §6) ends now, and when they may not have become
     * final this throws, naming the server and its answer. Any other session is kept for the next poll.
     */
    void pollSucceeded() throws IOException {
        MailboxSession s = session;
        if (s == null || !s.actionsFinalAtGoodbye()) {
            return;
        }
        session = null;
        try {
            s.goodbye();
        } finally {
            statistics.disconnected("not connected");
        }
    }

    /**
     * The end of every poll, failed or not: a session whose actions become final only at its goodbye is not kept
     * (a POP3 server also locks the maildrop for the session), so it ends politely here unless it ended already.
     */
    void pollEnded() {
        MailboxSession s = session;
        if (s != null && s.actionsFinalAtGoodbye()) {
            close();
        }
    }

    /** Drops the connection without a goodbye the server may never answer (it is out of step or dead). */
    void abort() {
        MailboxSession s = session;
        session = null;
        if (s != null) {
            s.abort();
            s.close();
            statistics.disconnected("connection dropped");
        }
    }
}
