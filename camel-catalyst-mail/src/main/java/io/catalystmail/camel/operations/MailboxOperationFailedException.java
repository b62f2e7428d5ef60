package io.catalystmail.camel.operations;

import java.io.IOException;

/**
 * A mailbox operation that failed without an answer: the connection was lost, timed out or broke the protocol
 * during it. The cause names the server and the command it was at (which may be a SELECT before the operation's
 * own); this names the operation and its folders, as a refusal ({@link MailboxOperationException}) does. When the
 * operation's changing command (COPY, MOVE, STORE, EXPUNGE, a folder change) had been sent, the server may have done
 * it before the answer was lost: the outcome is unknown ({@link #commandSent()}), and a redelivered copy would copy
 * twice. The connection is closed; the next exchange opens another.
 */
public final class MailboxOperationFailedException extends IOException {

    private final String operation;
    private final String folder;
    private final boolean commandSent;

    MailboxOperationFailedException(String operation, String server, String folder, String destination,
            IOException cause, boolean commandSent) {
        super(operation + " on " + server + MailboxOperationException.where(folder, destination)
              + (commandSent ? ": outcome unknown, the command was sent and the server may have carried it out before"
                               + " the answer was lost (check before retrying: a retry may do it twice): "
                             : " failed: ") + cause.getMessage(), cause);
        this.operation = operation;
        this.folder = folder;
        this.commandSent = commandSent;
    }

    /** The operation, e.g. {@code rename}. */
    public String operation() {
        return operation;
    }

    /** The folder as the server names it, null when the operation has none. */
    public String folder() {
        return folder;
    }

    /**
     * True when the operation's changing command had been sent: the server may have carried it out. False when the
     * failure came before it (a SELECT, say): nothing was changed.
     */
    public boolean commandSent() {
        return commandSent;
    }
}
