package io.catalystmail.camel.mailbox;

/** The order in which a poll hands messages to the route. */
public enum MessageOrder {
    /** Oldest first by server id (IMAP UID, POP3 message number): the arrival order. */
    UID_ASCENDING,
    /** Newest first by server id. */
    UID_DESCENDING,
    /** Oldest first by arrival date (IMAP INTERNALDATE; POP3 falls back to message number). */
    DATE_ASCENDING,
    /** Newest first by arrival date. */
    DATE_DESCENDING
}
