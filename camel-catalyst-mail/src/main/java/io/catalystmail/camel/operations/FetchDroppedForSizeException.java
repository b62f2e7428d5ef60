package io.catalystmail.camel.operations;

import java.io.IOException;

/**
 * The fetch operation met a message whose BODY[] literal the server announced so far above maxMessageSize (a
 * {5000000000} for a message its SEARCH LARGER did not name) that reading past it would have cost up to fetchTimeout
 * and gigabytes: the producer dropped the connection at the announcement instead, and the exchange fails, every
 * message of its fetch with it. The message stays on the server; the next exchange logs in again. Not a
 * MessageTooLargeException: a route that handles that one (a fetch of one UID too large, nothing else lost) must not
 * swallow this failure of a whole fetch of several.
 */
public final class FetchDroppedForSizeException extends IOException {

    private final String messageId;

    /**
     * @param server      the server, as errors name it
     * @param folder      the folder fetched from
     * @param message     the message, "UID 7" (or "message 3" when the server sent no UID before the body)
     * @param others      how many other messages the same FETCH asked for, which fail with it
     * @param size        the octets announced
     * @param limit       maxMessageSize
     * @param mostSkipped the most octets above the limit read past to keep the connection
     */
    FetchDroppedForSizeException(String server, String folder, String message, int others, long size, long limit,
            long mostSkipped) {
        super("fetch from " + folder + ": " + message + " on " + server + " is " + size + " octets, above"
              + " maxMessageSize=" + limit + " by more than the " + mostSkipped + " octets read past to keep the"
              + " connection: the connection was dropped instead and the exchange failed"
              + (others == 0 ? "" : ", with the " + others + " other message(s) of its fetch (fetch them without this"
                                    + " one)")
              + "; the message stays on the server");
        this.messageId = message;
    }

    /** The message that cost the connection, as named in the text: "UID 7" or "message 3". */
    public String messageId() {
        return messageId;
    }
}
