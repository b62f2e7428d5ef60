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
}
