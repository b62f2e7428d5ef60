package io.catalystmail.camel.operations;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.imap.FolderState;
import io.catalystmail.camel.imap.ImapConnection;
import io.catalystmail.camel.imap.ImapFolderOperations;
import io.catalystmail.camel.imap.ImapLimits;
import io.catalystmail.camel.imap.ImapMessageOperations;
import io.catalystmail.camel.imap.MailFolder;
import io.catalystmail.camel.imap.MailboxNames;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.pool.ConnectionPool;

/**
 * One logged-in IMAP connection of the operations producer, with what it learnt: the server's folder naming
 * (namespace and delimiter), the special-use folders found, and the folder selected last (so exchanges on the same
 * folder do not SELECT again).
 */
final class ImapOperationSession {

    /**
     * How the operations' {@link ConnectionPool} opens, checks and closes these: a connection gets a NOOP before it
     * is lent again when {@link ImapConnection#needsNoop} says so, the rule the consumer's polls follow too.
     */
    static final class Connections implements ConnectionPool.Connections<ImapOperationSession> {
        private final ConnectionSettings settings;
        private final Credentials credentials;
        /** RENAMEs and DELETEs made over any of these connections (see {@link #open(String, boolean)}). */
        private final AtomicLong folderChanges = new AtomicLong();

        Connections(ConnectionSettings settings, Credentials credentials) {
            this.settings = settings;
            this.credentials = credentials;
        }

        @Override
        public ImapOperationSession open() throws IOException {
            return ImapOperationSession.open(settings, credentials, folderChanges);
        }

        @Override
        public boolean reusable(ImapOperationSession session, long idleNanos) {
            return !session.needsCheck() || session.isAlive();
        }

        @Override
        public void close(ImapOperationSession session) {
            session.close();
        }
    }

    private final ImapConnection connection;
    private final MailboxNames names;
    private final ImapFolderOperations folders;
    private final ImapMessageOperations messages;
    private final Map<String, String> specialUses = new HashMap<>();
    private final AtomicLong folderChanges;
    /** The pool's count of folder changes when the selected folder was opened. */
    private long selectedAtChange = -1;
    /** The pool's count of folder changes when {@link #specialUses} was last found valid. */
    private long specialUsesAtChange;
    /** The current operation's changing command (COPY, MOVE, STORE, EXPUNGE, a folder change) was sent. */
    private boolean changeSent;

    private ImapOperationSession(ImapConnection connection, MailboxNames names, AtomicLong folderChanges) {
        this.connection = connection;
        this.names = names;
        this.folderChanges = folderChanges;
        this.folders = new ImapFolderOperations(connection);
        this.messages = new ImapMessageOperations(connection);
    }

    /** Connects and logs in within the login deadline (loginTimeout). */
    static ImapOperationSession open(ConnectionSettings settings, Credentials credentials, AtomicLong folderChanges)
            throws IOException {
        ImapConnection c = ImapConnection.connect(settings, ImapLimits.DEFAULT);
        try {
            c.authenticate(credentials);
            return new ImapOperationSession(c, MailboxNames.discover(c), folderChanges);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        } finally {
            c.endDeadline();
        }
    }

    /** Called as an operation starts on this (borrowed) session: nothing of it has reached the server yet. */
    void operationStarts() {
        changeSent = false;
    }

    /** The operation's changing command goes out now: a connection lost from here leaves its outcome unknown. */
    void changeSending() {
        changeSent = true;
    }

    /** Whether the current operation's changing command may have reached the server. */
    boolean changeMayHaveHappened() {
        return changeSent;
    }

    ImapFolderOperations folders() {
        return folders;
    }

    ImapMessageOperations messages() {
        return messages;
    }

    ImapConnection connection() {
        return connection;
    }

    /**
     * The server's name for a folder as the user wrote it: a special-use attribute such as {@code \Sent} is looked
     * up once per connection (RFC 6154) and again after a rename or delete over a connection of the pool, any other
     * name goes through the namespace rules of {@link MailboxNames}.
     */
    String resolve(String folder) throws IOException {
        if (MailFolder.isSpecialUse(folder)) {
            long changes = folderChanges.get(); // read before LIST, as in open()
            if (specialUsesAtChange != changes) {
                // a folder found was renamed or deleted over some connection of the pool since: look again
                specialUses.clear();
                specialUsesAtChange = changes;
            }
            String found = specialUses.get(folder.strip().toLowerCase(java.util.Locale.ROOT));
            if (found == null) {
                found = folders.specialUse(folder).name();
                specialUses.put(folder.strip().toLowerCase(java.util.Locale.ROOT), found);
            }
            return found;
        }
        return names.resolve(folder);
    }

    /**
     * The folder selected (read-write) or examined (read-only), opening it unless it is open that way already and no
     * folder was renamed or deleted over a connection of this pool since: a server keeps a renamed folder selected
     * under its new name, so a folder created since with the old name would otherwise be skipped and the renamed
     * one's messages fetched, flagged or expunged in its place.
     */
    FolderState open(String folder, boolean readOnly) throws IOException {
        FolderState selected = folders.selected();
        long changes = folderChanges.get(); // read before SELECT: a change that overlaps it makes the next one SELECT
        if (selected != null && selectedAtChange == changes && selected.name().equals(folder)
                && (readOnly || !selected.readOnly())) {
            return selected;
        }
        FolderState opened = readOnly ? folders.examine(folder) : folders.select(folder);
        selectedAtChange = changes;
        return opened;
    }

    /**
     * Counts a RENAME or DELETE (answered or not), so every connection of the pool opens its folder anew and looks up
     * its special-use folders again.
     */
    void foldersChanged() {
        folderChanges.incrementAndGet();
    }

    /** Runs an operation under the fetchTimeout deadline: a server that drips bytes cannot hold the exchange. */
    <T> T timed(String operation, Duration limit, IoCall<T> call) throws IOException {
        connection.startDeadline(operation, "fetchTimeout", limit);
        try {
            return call.run();
        } finally {
            connection.endDeadline();
        }
    }

    @FunctionalInterface
    interface IoCall<T> {
        T run() throws IOException;
    }

    boolean isUsable() {
        return connection.isUsable();
    }

    /** Whether the connection needs a NOOP before it is lent again ({@link ImapConnection#needsNoop}). */
    boolean needsCheck() {
        return connection.needsNoop();
    }

    /** A round trip (NOOP); false when the connection is gone. */
    boolean isAlive() {
        if (!connection.isUsable()) {
            return false;
        }
        try {
            connection.startDeadline("NOOP", "readTimeout", connection.settings().readTimeout());
            folders.noop();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            connection.endDeadline();
        }
    }

    /** Logs out and closes; never throws. */
    void close() {
        connection.logout();
    }
}
