package io.catalystmail.camel.operations;

import java.io.IOException;

import io.catalystmail.camel.imap.FolderNamesShown;
import io.catalystmail.camel.imap.ImapCommandException;
import io.catalystmail.camel.net.ServerText;

/**
 * A mailbox operation the server refused (IMAP NO or BAD, POP3 -ERR): names the operation, the server, the folder
 * and what the server said. The connection stays usable, as the server answered in step.
 */
public class MailboxOperationException extends IOException {

    /** The characters of the server's text the message shows, control characters escaped ({@link ServerText}). */
    private static final int SERVER_TEXT_SHOWN = 500;

    private final String operation;
    private final String folder;
    private final String serverText;

    public MailboxOperationException(String operation, String server, String folder, String serverText,
            Throwable cause) {
        super(operation + " on " + server + (folder == null ? "" : " (folder " + FolderNamesShown.shown(folder) + ")")
                + " refused: " + ServerText.shown(serverText, SERVER_TEXT_SHOWN), cause);
        this.operation = operation;
        this.folder = folder;
        this.serverText = serverText;
    }

    static MailboxOperationException of(MailboxOperation operation, String server, String folder,
            ImapCommandException refusal) {
        String code = refusal.code() == null ? "" : "[" + refusal.code().name() + "] ";
        return new MailboxOperationException(operation.name().toLowerCase(java.util.Locale.ROOT) + " ("
                + refusal.command() + ")", server, folder, refusal.status() + " " + code + refusal.serverText(), refusal);
    }

    /** The operation, e.g. {@code move (UID MOVE)}. */
    public String operation() {
        return operation;
    }

    /** The folder as the server names it, null when the operation has none. */
    public String folder() {
        return folder;
    }

    /** The server's status and text as sent, e.g. {@code NO [TRYCREATE] Mailbox doesn't exist}: for matching. */
    public String serverText() {
        return serverText;
    }
}
