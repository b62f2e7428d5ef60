package io.catalystmail.camel.operations;

import java.io.IOException;

import io.catalystmail.camel.imap.ImapCommandException;

/**
 * A mailbox operation the server refused (IMAP NO or BAD, POP3 -ERR): names the operation, the server, the folder
 * and what the server said. The connection stays usable, as the server answered in step.
 */
public class MailboxOperationException extends IOException {

    /** The characters of a folder name the message quotes: enough to recognise it. */
    private static final int FOLDER_SHOWN = 100;

    private final String operation;
    private final String folder;
    private final String serverText;

    public MailboxOperationException(String operation, String server, String folder, String serverText,
            Throwable cause) {
        super(operation + " on " + server + (folder == null ? "" : " (folder " + shown(folder) + ")") + " refused: "
                + serverText, cause);
        this.operation = operation;
        this.folder = folder;
        this.serverText = serverText;
    }

    /**
     * The folder quoted for the message: a route may name one of any length (a server refuses it, as Dovecot does
     * past 255 characters), and a message of kilobytes hides what was refused. {@link #folder()} keeps it whole.
     */
    private static String shown(String folder) {
        if (folder.length() <= FOLDER_SHOWN) {
            return "'" + folder + "'";
        }
        int end = Character.isHighSurrogate(folder.charAt(FOLDER_SHOWN - 1)) ? FOLDER_SHOWN - 1 : FOLDER_SHOWN;
        return "'" + folder.substring(0, end) + "...', " + folder.length() + " characters";
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

    /** The server's status and text, e.g. {@code NO [TRYCREATE] Mailbox doesn't exist}. */
    public String serverText() {
        return serverText;
    }
}
