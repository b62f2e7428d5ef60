package io.catalystmail.camel.imap;

import io.catalystmail.camel.mailbox.MessageRef;

/**
 * The refs a fetch still waits for, keyed by UID without boxing: each FETCH response is looked up by the UID it
 * carries, and a {@code HashMap<Long, MessageRef>} made a {@code Long} and parsed {@link MessageRef#uid()} again for
 * every lookup, once per message on the consumer's fetch path. Open addressing with linear probing over a table that
 * stays between a quarter and half full; removal shifts the probe chain back (no tombstones), so the table never
 * holds more than the refs wanted. Sized by what is put in: the rounds of one fetch, bounded by the consumer's round
 * size. Not thread-safe.
 */
final class RefsByUid {

    /** UID 0 is not a valid UID (RFC 3501 §2.3.1.1), so it marks a free slot. */
    private static final long FREE = 0;

    private long[] uids;
    private MessageRef[] refs;
    private int size;

    RefsByUid(int expected) {
        int capacity = 8;
        while (capacity < expected * 2) {
            capacity <<= 1;
        }
        uids = new long[capacity];
        refs = new MessageRef[capacity];
    }

    int size() {
        return size;
    }

    /** Adds {@code ref} under {@code uid}, replacing any ref under the same UID. */
    void put(long uid, MessageRef ref) {
        if (uid <= 0) {
            // listings keep only nz-numbers (UidRanges); 0 would read as a free slot
            throw new IllegalArgumentException("UID " + uid + " is not a valid UID (RFC 3501 §9 nz-number)");
        }
        if ((size + 1) * 2 > uids.length) {
            grow();
        }
        int slot = slotOf(uid);
        if (uids[slot] == FREE) {
            uids[slot] = uid;
            size++;
        }
        refs[slot] = ref;
    }

    boolean contains(long uid) {
        return uid > 0 && uids[slotOf(uid)] == uid;
    }

    /** Removes and returns the ref under {@code uid}, or null when there is none. */
    MessageRef remove(long uid) {
        if (uid <= 0) {
            return null;
        }
        int slot = slotOf(uid);
        if (uids[slot] != uid) {
            return null;
        }
        MessageRef removed = refs[slot];
        size--;
        int mask = uids.length - 1;
        // backward-shift deletion: move later entries of the chain into the gap when their home slot allows it
        int gap = slot;
        for (int next = (gap + 1) & mask; uids[next] != FREE; next = (next + 1) & mask) {
            int home = home(uids[next]);
            if (((next - home) & mask) >= ((next - gap) & mask)) {
                uids[gap] = uids[next];
                refs[gap] = refs[next];
                gap = next;
            }
        }
        uids[gap] = FREE;
        refs[gap] = null;
        return removed;
    }

    /** The slot holding {@code uid}, or the free slot where it would go. */
    private int slotOf(long uid) {
        int mask = uids.length - 1;
        int slot = home(uid);
        while (uids[slot] != FREE && uids[slot] != uid) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** UIDs of a round are mostly consecutive: a multiplicative hash spreads them over the table. */
    private int home(long uid) {
        long h = uid * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & (uids.length - 1);
    }

    private void grow() {
        long[] oldUids = uids;
        MessageRef[] oldRefs = refs;
        uids = new long[oldUids.length * 2];
        refs = new MessageRef[oldUids.length * 2];
        size = 0;
        for (int i = 0; i < oldUids.length; i++) {
            if (oldUids[i] != FREE) {
                put(oldUids[i], oldRefs[i]);
            }
        }
    }
}
