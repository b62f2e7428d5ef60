package io.catalystmail.camel.mailbox;

/** The order in which a poll hands messages to the route. */
public enum MessageOrder {
    /** Oldest first by server id (IMAP UID, POP3 message number): the arrival order. */
    UID_ASCENDING,
    /** Newest first by server id. */
    UID_DESCENDING,
    /**
     * Oldest first by sent date, as IMAP SORT (RFC 5256) DATE and camel-mail's sort term: the Date header, or the
     * arrival date (INTERNALDATE) when it is missing or unreadable. POP3 reads the headers with TOP for it.
     */
    DATE_ASCENDING,
    /** Newest first by sent date. */
    DATE_DESCENDING
}
