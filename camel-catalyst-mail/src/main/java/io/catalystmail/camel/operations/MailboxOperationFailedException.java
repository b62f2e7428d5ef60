package io.catalystmail.camel.operations;

import java.io.IOException;

/**
 * A mailbox operation that failed without an answer: the connection was lost, timed out or broke the protocol
 * during it. The cause names the server and the command it was at (which may be a SELECT before the operation's
 * own); this names the operation and its folders, as a refusal ({@link MailboxOperationException}) does. The
 * connection is closed; the next exchange opens another.
 */
public final class MailboxOperationFailedException extends IOException {

    private final String operation;
    private final String folder;

    MailboxOperationFailedException(String operation, String server, String folder, String destination,
            IOException cause) {
        super(operation + " on " + server + MailboxOperationException.where(folder, destination) + " failed: "
              + cause.getMessage(), cause);
        this.operation = operation;
        this.folder = folder;
    }

    /** The operation, e.g. {@code rename}. */
    public String operation() {
        return operation;
    }

    /** The folder as the server names it, null when the operation has none. */
    public String folder() {
        return folder;
    }
}
