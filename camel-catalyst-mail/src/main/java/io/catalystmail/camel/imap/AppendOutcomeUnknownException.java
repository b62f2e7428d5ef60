package io.catalystmail.camel.imap;

import java.io.IOException;

/**
 * An APPEND whose message was written whole but whose tagged answer never came: the connection was lost, the server
 * said BYE, or the operation's deadline passed first. The server may have stored the message (RFC 3501 section
 * 6.3.11 promises only that no partial message is appended, and the answer is merely the report of what was done),
 * so appending it again may file it twice, as a lost reply to SMTP's final dot may deliver twice (RFC 5321 section
 * 4.5.3.2.6, RFC 1047). Unlike a refusal (NO or BAD, {@link ImapCommandException}) or a failure while the message
 * was still being written (a literal cut short stores nothing), the outcome is unknown: a route should look for the
 * message (SEARCH HEADER Message-ID) before it appends again.
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
