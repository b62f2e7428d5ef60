package io.catalystmail.camel.imap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * UIDs collected message by message (flagged, awaiting their expunge), kept as primitive longs and sorted only when
 * taken out. A TreeSet of Longs cost a tree entry per message, and its compare calls, shared with the TreeSets of
 * Strings elsewhere, made the JIT deoptimize TreeMap.put (class_check) in the middle of a poll. Not thread-safe.
 */
final class UidList {

    private long[] uids = new long[16];
    private int size;

    void addAll(Collection<Long> added) {
        if (size + added.size() > uids.length) {
            uids = Arrays.copyOf(uids, Math.max(size + added.size(), uids.length * 2));
        }
        for (long uid : added) {
            uids[size++] = uid;
        }
    }

    /** Removes every occurrence of the given UIDs. */
    void removeAll(Collection<Long> removed) {
        if (removed.isEmpty() || size == 0) {
            return;
        }
        long[] gone = sorted(removed);
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (Arrays.binarySearch(gone, uids[i]) < 0) {
                uids[kept++] = uids[i];
            }
        }
        size = kept;
    }

    void clear() {
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The UIDs in ascending order, each once. */
    List<Long> sortedDistinct() {
        long[] copy = Arrays.copyOf(uids, size);
        Arrays.sort(copy);
        List<Long> result = new ArrayList<>(size);
        for (int i = 0; i < copy.length; i++) {
            if (i == 0 || copy[i] != copy[i - 1]) {
                result.add(copy[i]);
            }
        }
        return result;
    }

    /** The given UIDs as a sorted array (duplicates kept), for binary search and for ranges. */
    static long[] sorted(Collection<Long> given) {
        long[] array = new long[given.size()];
        int i = 0;
        for (long uid : given) {
            array[i++] = uid;
        }
        Arrays.sort(array);
        return array;
    }
}
