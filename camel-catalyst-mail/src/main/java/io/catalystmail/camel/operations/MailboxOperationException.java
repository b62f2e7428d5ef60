package io.catalystmail.camel.operations;

import java.io.IOException;

import io.catalystmail.camel.imap.FolderNamesShown;
import io.catalystmail.camel.imap.ImapCommandException;
import io.catalystmail.camel.net.ServerText;

/**
 * A mailbox operation the server refused (IMAP NO or BAD, POP3 -ERR): names the operation, the server, the folder
 * (and the destination of a copy, move or rename) and what the server said. The connection stays usable, as the server answered in step.
 */
public class MailboxOperationException extends IOException {

    /** The characters of the server's text the message shows, control characters escaped ({@link ServerText}). */
    private static final int SERVER_TEXT_SHOWN = 500;

    private final String operation;
    private final String folder;
    private final String destination;
    private final String serverText;

    public MailboxOperationException(String operation, String server, String folder, String serverText,
            Throwable cause) {
        this(operation, server, folder, null, serverText, "", cause);
    }

    private MailboxOperationException(String operation, String server, String folder, String destination,
            String serverText, String advice, Throwable cause) {
        super(operation + " on " + server + where(folder, destination) + " refused: "
              + ServerText.shown(serverText, SERVER_TEXT_SHOWN) + advice, cause);
        this.operation = operation;
        this.folder = folder;
        this.destination = destination;
        this.serverText = serverText;
    }

    /** {@code  (folder 'A', destination 'B')} for an error's message; empty without a folder. */
    static String where(String folder, String destination) {
        if (folder == null) {
            return "";
        }
        return " (folder " + FolderNamesShown.shown(folder)
               + (destination == null ? "" : ", destination " + FolderNamesShown.shown(destination)) + ")";
    }

    /**
     * @param destination the server's name of the target of a copy or move, the new name of a rename; else null
     */
    static MailboxOperationException of(MailboxOperation operation, String server, String folder, String destination,
            ImapCommandException refusal) {
        String code = refusal.code() == null ? "" : "[" + refusal.code().name() + "] ";
        String text = refusal.serverText() == null || refusal.serverText().isBlank()
                ? ImapCommandException.shown(refusal.serverText()) : refusal.serverText();
        return new MailboxOperationException(operation.name().toLowerCase(java.util.Locale.ROOT) + " ("
                + refusal.command() + ")", server, folder, destination, refusal.status() + " " + code + text,
                tryCreate(refusal, destination != null ? destination : folder), refusal);
    }

    /**
     * TRYCREATE (RFC 3501 §7.1) means the target of an APPEND, COPY or MOVE does not exist and would take the
     * command once created; the server's own text may name neither the folder nor that, so the message says both.
     */
    private static String tryCreate(ImapCommandException refusal, String target) {
        if (refusal.code() == null || !refusal.code().name().equals("TRYCREATE") || target == null) {
            return "";
        }
        return "; TRYCREATE: folder " + FolderNamesShown.shown(target) + " does not exist, create it first"
               + " (operation=create) and repeat (RFC 3501 §7.1)";
    }

    /** The operation, e.g. {@code move (UID MOVE)}. */
    public String operation() {
        return operation;
    }

    /** The folder as the server names it, null when the operation has none. */
    public String folder() {
        return folder;
    }

    /** The target of a copy or move, the new name of a rename, as the server names it; null for other operations. */
    public String destination() {
        return destination;
    }

    /** The server's status and text as sent, e.g. {@code NO [TRYCREATE] Mailbox doesn't exist}: for matching. */
    public String serverText() {
        return serverText;
    }
}
