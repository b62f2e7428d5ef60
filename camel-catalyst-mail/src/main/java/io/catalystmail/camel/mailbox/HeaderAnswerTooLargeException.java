package io.catalystmail.camel.mailbox;

import java.io.IOException;

/**
 * A server announced its answer to a header-field fetch (the Message-ID or Date of a listed message) so far above what
 * such an answer can be that the session dropped the connection rather than read past it: skipping it would have
 * read it all, up to fetchTimeout. The operation, and with it the poll, fails; the message itself is not judged.
 */
public final class HeaderAnswerTooLargeException extends IOException {

    private final String identity;

    /**
     * @param message  names the server, the command, the message and the octets announced
     * @param identity the message's {@link MessageRef#identity()}, null when the answer named no message asked about
     */
    public HeaderAnswerTooLargeException(String message, String identity) {
        super(message);
        this.identity = identity;
    }

    /** The message whose answer it was, to be left out of the next header fetches; null when not known. */
    public String identity() {
        return identity;
    }
}
