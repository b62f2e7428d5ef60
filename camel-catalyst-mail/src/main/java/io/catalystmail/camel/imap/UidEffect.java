package io.catalystmail.camel.imap;

import java.util.Collection;
import java.util.Set;

/**
 * What a pipelined command does to the messages it names by UID, so that {@link HeldCommands} can tell which
 * commands depend on each other's result. RFC 3501 §5.5 forbids pipelining those: a server may run pipelined
 * commands side by side (Dovecot does with UID commands), so a command whose result depends on an earlier one's
 * goes out only once the earlier one is answered.
 * <p>
 * Two commands naming a common message depend on each other unless both add flags (\Seen and \Deleted end up set
 * in either order) or both copy (neither changes the original). Any other pair does: a copy carries the flags the
 * message has when it runs (§6.4.7), so a \Seen or \Deleted set before or after it is in the copy or not; a move or
 * an expunge removes the message the other command names.
 */
record UidEffect(Kind kind, Set<Long> uids) {

    enum Kind {
        /** UID STORE +FLAGS. */
        ADDS_FLAGS,
        /** UID COPY. */
        COPIES,
        /** UID MOVE, UID EXPUNGE, EXPUNGE. */
        REMOVES
    }

    static UidEffect addsFlags(Collection<Long> uids) {
        return new UidEffect(Kind.ADDS_FLAGS, Set.copyOf(uids));
    }

    static UidEffect copies(Collection<Long> uids) {
        return new UidEffect(Kind.COPIES, Set.copyOf(uids));
    }

    static UidEffect removes(Collection<Long> uids) {
        return new UidEffect(Kind.REMOVES, Set.copyOf(uids));
    }

    /** True when this command's result depends on whether {@code earlier}'s ran before it. */
    boolean dependsOn(UidEffect earlier) {
        if (kind == earlier.kind && kind != Kind.REMOVES) {
            return false;
        }
        Set<Long> small = uids.size() <= earlier.uids.size() ? uids : earlier.uids;
        Set<Long> large = small == uids ? earlier.uids : uids;
        for (Long uid : small) {
            if (large.contains(uid)) {
                return true;
            }
        }
        return false;
    }
}
