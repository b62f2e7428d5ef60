package io.catalystmail.camel.imap;

import java.util.Collection;
import java.util.List;

/**
 * The UIDs flagged \Deleted whose expunge has not been confirmed. It outlives a session: when a connection is
 * lost between the flag and the expunge, the next session of the same consumer expunges them first thing, so a
 * message the route processed does not linger flagged (no list offers a \Deleted message again). The UIDs belong
 * to one UIDVALIDITY; under another they would name other messages and are forgotten. Thread-safe: the
 * consumer's threads hand the session to each other.
 */
public final class PendingExpunges {

    private long uidValidity = -1;
    private final UidList uids = new UidList();

    /** Records UIDs about to be flagged \Deleted in a folder with this UIDVALIDITY. */
    synchronized void flagging(long validity, Collection<Long> flagged) {
        resetIfOther(validity);
        uids.addAll(flagged);
    }

    /** Forgets UIDs whose expunge the server confirmed. */
    synchronized void expunged(Collection<Long> done) {
        uids.removeAll(done);
    }

    /** Forgets every UID: a plain EXPUNGE removed all that were flagged. */
    synchronized void allExpunged() {
        uids.clear();
    }

    /** The UIDs still owed an expunge in a folder with this UIDVALIDITY, ascending. */
    synchronized List<Long> owed(long validity) {
        resetIfOther(validity);
        return uids.sortedDistinct();
    }

    private void resetIfOther(long validity) {
        if (validity != uidValidity) {
            uids.clear();
            uidValidity = validity;
        }
    }
}
