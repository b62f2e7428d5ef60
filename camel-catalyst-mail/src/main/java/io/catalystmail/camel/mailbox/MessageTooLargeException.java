package io.catalystmail.camel.mailbox;

import java.io.IOException;

/**
 * A message above the size limit (endpoint option maxMessageSize): refused from its announced size before it was
 * downloaded, or while it streamed when the announcement was false. It stays on the server.
 */
public class MessageTooLargeException extends IOException {

    private final String messageId;

    public MessageTooLargeException(String server, String messageId, long size, long limit, boolean announced) {
        super("message " + messageId + " on " + server + (announced ? " is " + size + " octets"
                : " sent more than " + limit + " octets") + ", above maxMessageSize=" + limit
              + "; it was not downloaded");
        this.messageId = messageId;
    }

    /** For a subclass that says more of what was done about it. */
    protected MessageTooLargeException(String message, String messageId) {
        super(message);
        this.messageId = messageId;
    }

    public String messageId() {
        return messageId;
    }
}
