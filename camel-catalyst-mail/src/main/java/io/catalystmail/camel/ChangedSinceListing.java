package io.catalystmail.camel;

import io.catalystmail.camel.mailbox.FetchedMessage;

/**
 * Whether a fetched message no longer meets the poll's search: another session acted on it between the listing and
 * the fetch. Every IMAP search asks for {@code UNDELETED} (and {@code UNSEEN} when {@code unseen=true}); the
 * FETCH's FLAGS item (RFC 3501 §7.4.2) tells the message's flags when it is read. A poll that outlasts the lock age
 * of an orphan-lock repository meets this when a killed node had routed and flagged a message of its listing: the
 * dead node's reservation expired, the add succeeds, and the message would be routed a second time. POP3 has no
 * flags (empty set): never changed.
 */
final class ChangedSinceListing {

    private final boolean unseenSearched;

    ChangedSinceListing(boolean unseenSearched) {
        this.unseenSearched = unseenSearched;
    }

    boolean test(FetchedMessage message) {
        return message.deleted() || unseenSearched && message.seen();
    }

    /** Whether the message is flagged for deletion: with {@code delete=true} its deletion can be completed. */
    static boolean flaggedDeleted(FetchedMessage message) {
        return message.deleted();
    }
}
