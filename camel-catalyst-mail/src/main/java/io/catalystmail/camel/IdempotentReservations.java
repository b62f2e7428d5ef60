package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.catalystmail.camel.mailbox.MessageRef;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.LoggerFactory;

/**
 * The eager idempotent mode ({@code idempotentEager=true}, as in Camel's file consumer): a message's key is added
 * to the repository before its round is fetched, confirmed when its exchange succeeded and removed when it did
 * not, or when it was never routed. With a repository shared by several nodes whose {@code add} is atomic, the
 * add is the reservation: the node whose add succeeds routes the message, the others skip it at once, without
 * waiting. A repository that expires reservations of dead holders (camel-sql's
 * {@code JdbcOrphanLockAwareIdempotentRepository}) hands a dead node's messages to the others.
 * <p>
 * Used by one poll at a time: the consumer's thread confirms and releases while the fetch-ahead thread reserves
 * the next round ({@link RoundAhead}), so the two sets are guarded, never the repository's calls (a database query
 * each: the route must not wait for a reservation); every key reserved is confirmed or released by the end of the
 * poll.
 */
final class IdempotentReservations {

    private final IdempotentRepository repository;
    /** Most keys remembered as routed here and possibly not yet applied on the server. */
    private static final int MAX_ROUTED_HERE = 100_000;

    /** Keys this poll added and has neither confirmed nor removed yet. */
    private final Set<String> held = new LinkedHashSet<>();
    /**
     * Keys confirmed by this consumer whose message the server still listed at the last poll: their
     * after-processing may have been lost with a connection. The repository cannot tell them from another node's
     * reservations, this set can.
     */
    private final Set<String> routedHere = new LinkedHashSet<>();
    /** idempotentRemoveOnCommit: keys are removed once their message has left the folder. */
    private final boolean removeOnCommit;
    /** Keys of messages the server confirmed gone in this poll, removed at the end of the next one. */
    private final Set<String> gone = new LinkedHashSet<>();
    /** Keys of messages the server confirmed gone in the poll before, removed at the end of this one. */
    private List<String> goneBefore = List.of();

    IdempotentReservations(IdempotentRepository repository, boolean removeOnCommit) {
        this.repository = repository;
        this.removeOnCommit = removeOnCommit;
    }

    /** Adds the message's key; false when another node (or an earlier poll) holds or processed it: skip it. */
    boolean reserve(MessageRef ref) {
        boolean added;
        try {
            added = repository.add(ref.identity());
        } catch (RuntimeException e) {
            // a repository with a unique key refuses the second of two concurrent adds (JDBC: a duplicate key);
            // when the key is there now another node holds it, else the repository itself failed
            if (repository.contains(ref.identity())) {
                return false;
            }
            throw e;
        }
        if (!added) {
            return false;
        }
        synchronized (this) {
            held.add(ref.identity());
        }
        return true;
    }

    /**
     * A message routed successfully whose key {@link UnrecordedKeys} confirmed (held by this poll) or added (one routed
     * without a reservation: an exchange queue Camel handed to {@code processBatch}): its key stays, for good, and its
     * after-processing is applied again, not routed, while the server still lists it.
     */
    synchronized void routedHere(String identity) {
        if (routedHere.size() >= MAX_ROUTED_HERE) {
            routedHere.remove(routedHere.iterator().next());
        }
        routedHere.add(identity);
    }

    /**
     * The message was acted on elsewhere: found flagged at the fetch after its holder's reservation expired (a node
     * that died after routing it). Its key stays, for good, as for a message routed here.
     */
    void keep(MessageRef ref) {
        if (unhold(ref)) {
            repository.confirm(ref.identity());
        }
    }

    /**
     * Called with each poll's listing: forgets the keys of messages routed here that the server no longer lists
     * (their after-processing took effect) and tells which listed ones were routed here, so their after-processing
     * is applied again instead of routing them.
     */
    synchronized Set<String> routedHereAndStillListed(Set<String> listed) {
        routedHere.retainAll(listed);
        return Set.copyOf(routedHere);
    }

    /**
     * The server answered the UID EXPUNGE or UID MOVE that took these messages out of the folder (never called
     * before): with idempotentRemoveOnCommit their keys are removed by {@link #removeGone()}, not here, as this runs
     * on the thread that reads the server's answers. A UID is never listed again once expunged (RFC 3501 §2.3.1.1),
     * so the key has nothing left to guard.
     */
    synchronized void gone(List<String> identities) {
        if (removeOnCommit) {
            for (String key : identities) {
                if (gone.size() >= MAX_ROUTED_HERE) {
                    gone.remove(gone.iterator().next()); // left to the repository's own expiry
                }
                gone.add(key);
            }
        }
    }

    /**
     * Called at the end of each poll: removes the keys of the messages that left the folder in the poll before this
     * one, and keeps this poll's for the next call. Another node's poll whose listing predates the expunge would
     * otherwise reserve such a key as soon as it is free, fetch nothing (Dovecot answers BODY[] NIL, James leaves
     * the message out) and log a warning for it: 32 of 150 messages in a SeveralNodesInteropIT run on Dovecot when
     * removed in the same poll, none in the next run with the removal one poll later, when such listings are mostly
     * used up.
     */
    void removeGone() {
        List<String> keys;
        synchronized (this) {
            keys = goneBefore;
            goneBefore = new ArrayList<>(gone);
            gone.clear();
            routedHere.removeAll(goneBefore);
        }
        remove(keys);
    }

    /** The consumer stops: every key gone from the folder is removed now, this poll's too. */
    void removeAllGone() {
        removeGone();
        removeGone();
    }

    /** Removes {@code keys}; one that fails stays, left to the repository's own expiry. */
    private void remove(List<String> keys) {
        int failed = 0;
        String firstFailure = null;
        for (String key : keys) {
            try {
                repository.remove(key);
            } catch (RuntimeException e) {
                failed++;
                firstFailure = firstFailure == null ? e.toString() : firstFailure;
            }
        }
        if (failed > 0) {
            LoggerFactory.getLogger(IdempotentReservations.class).warn("Could not remove the keys of {} of {}"
                    + " message(s) gone from the folder (idempotentRemoveOnCommit); they stay in the repository until"
                    + " its own expiry. The first failure: {}", failed, keys.size(), firstFailure);
        }
    }

    /** The message failed in the route: it may be routed again, here or on another node. */
    void release(MessageRef ref) {
        if (unhold(ref)) {
            repository.remove(ref.identity());
        }
    }

    /** Whether this poll held the message's key; it holds it no longer. */
    synchronized boolean unhold(MessageRef ref) {
        return held.remove(ref.identity());
    }

    /**
     * Releases what the poll reserved and did not route (unreadable, dropped when stopping or with a lost
     * connection); called at the end of every poll. A failing remove is left to the repository's own expiry.
     */
    synchronized void releaseUnsettled() {
        for (String key : held) {
            try {
                repository.remove(key);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(IdempotentReservations.class)
                        .warn("Could not release the reservation of {}: {}", key, e.toString());
            }
        }
        held.clear();
    }
}
