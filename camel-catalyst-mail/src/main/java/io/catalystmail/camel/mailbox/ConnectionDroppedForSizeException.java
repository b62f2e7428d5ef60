package io.catalystmail.camel.mailbox;

/**
 * A message whose content the server announced so far above maxMessageSize (an IMAP literal of {5000000000} octets
 * for a message it listed as small) that the session dropped the connection rather than read past it: skipping the
 * content would have read it all, up to fetchTimeout. The fetch, and with it the poll, fails; the message stays on the
 * server, and the consumer leaves {@link #ref()} out of its later polls, which go on with the rest.
 */
public final class ConnectionDroppedForSizeException extends MessageTooLargeException {

    private final transient MessageRef ref;

    /**
     * @param server      the server, as errors name it
     * @param ref         the message
     * @param size        the octets announced
     * @param limit       maxMessageSize
     * @param mostSkipped the most octets above the limit a session reads past to keep its connection
     */
    public ConnectionDroppedForSizeException(String server, MessageRef ref, long size, long limit, long mostSkipped) {
        super("message UID " + ref.id() + " on " + server + " is " + size + " octets, above maxMessageSize=" + limit
              + " by more than the " + mostSkipped + " octets read past to keep the connection: the connection was"
              + " dropped instead; the message stays on the server and later polls leave it out",
                "UID " + ref.id());
        this.ref = ref;
    }

    /** The message, to be left out of later polls. */
    public MessageRef ref() {
        return ref;
    }
}
