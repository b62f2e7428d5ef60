package io.catalystmail.camel.imap;

import java.io.IOException;

/**
 * An APPEND whose message was written whole but whose tagged answer never came: the connection was lost or the
 * operation's deadline passed first. The server may have stored the message (RFC 3501 §6.3.11: it is stored when the
 * command completes, and the answer is only its report), so appending it again may file it twice. Unlike a refusal
 * (NO or BAD, {@link ImapCommandException}) or a failure while the message was still being written (a literal cut
 * short stores nothing), this outcome is unknown: a route should look for the message (SEARCH HEADER Message-ID)
 * before it appends again, as SMTP's uncertain delivery asks of a sender (RFC 5321 §4.1.1.4).
 */
public class AppendOutcomeUnknownException extends IOException {

    private final String folder;

    /**
     * @param server how the server is named, e.g. {@code IMAP server imap.example.com:993}
     * @param folder the mailbox appended to, as the server names it
     * @param lost   why the answer never came
     */
    public AppendOutcomeUnknownException(String server, String folder, IOException lost) {
        super(server + ": the message for APPEND to " + FolderNamesShown.shown(folder) + " was sent whole, but the"
                + " answer was lost (" + lost.getMessage() + "): the server may have stored it; look for it before"
                + " appending it again", lost);
        this.folder = folder;
    }

    /** The folder appended to, as the server names it. */
    public String folder() {
        return folder;
    }
}
