package io.catalystmail.camel.imap;

import java.io.IOException;

/**
 * The server sent something that is not IMAP as this client reads it, or exceeded one of the reader's
 * {@link ImapLimits}. The connection is unusable afterwards: the reader no longer knows where responses begin.
 */
public class ImapProtocolException extends IOException {

    public ImapProtocolException(String message) {
        super(message);
    }

    public ImapProtocolException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code e}, found in the answer to {@code command} after it completed (the connection is in step), as a failure
     * naming the server and the command, never the command's arguments.
     */
    static ImapProtocolException inAnswer(ImapConnection c, String command, ImapProtocolException e) {
        return new ImapProtocolException("IMAP server " + c.settings().describe() + " answered " + command
                + " with a response this client cannot use: " + e.getMessage(), e);
    }
}
