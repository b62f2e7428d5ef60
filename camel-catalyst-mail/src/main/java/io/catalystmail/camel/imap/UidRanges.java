package io.catalystmail.camel.imap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The UIDs of a SEARCH or ESEARCH answer as ranges, 8 octets per range however many UIDs it spans: an ESEARCH
 * {@code ALL 1:1999999} is one range, not two million objects. The number of ranges is capped: a server that
 * answers with more separate ranges than that (every other UID of a huge mailbox, or a hostile answer) gets the
 * first ones kept and the rest dropped, which {@link #truncated()} reports. Entries that are not UIDs (0, or above
 * 2^32-1, RFC 3501 §9 nz-number) are counted in {@link #invalid()} and skipped, so the valid ones still count.
 */
final class UidRanges {

    static final long MAX_UID = 0xFFFF_FFFFL;
    /** Entries that were not UIDs kept as the server sent them, for a warning to show what was there. */
    private static final int INVALID_EXAMPLES = 3;

    private final int maxRanges;
    /** Packed ranges: low UID in the high 32 bits, high UID in the low 32 bits. */
    private long[] ranges = new long[16];
    private int count;
    private boolean sorted = true;
    private boolean truncated;
    private long invalid;
    private final List<String> invalidExamples = new ArrayList<>(0);

    UidRanges(int maxRanges) {
        this.maxRanges = maxRanges;
    }

    /** Adds one UID from the server's answer; false when it is not a UID (skipped). */
    boolean add(long uid) {
        return add(uid, uid);
    }

    /**
     * Adds the UIDs low..high (either order, as "5:3" is allowed); false, adding nothing, when either end is not a
     * UID: the caller counts the entry with {@link #addInvalid}, which keeps its text.
     */
    boolean add(long from, long to) {
        long low = Math.min(from, to);
        long high = Math.max(from, to);
        if (low < 1 || high > MAX_UID) {
            return false;
        }
        if (count > 0) {
            long last = ranges[count - 1];
            long lastLow = last >>> 32;
            long lastHigh = last & MAX_UID;
            if (low >= lastLow && low <= lastHigh + 1) {
                ranges[count - 1] = lastLow << 32 | Math.max(lastHigh, high);
                return true;
            }
            if (low < lastLow) {
                sorted = false;
            }
        }
        if (count == maxRanges) {
            truncated = true;
            return true;
        }
        if (count == ranges.length) {
            ranges = Arrays.copyOf(ranges, Math.min(maxRanges, count * 2));
        }
        ranges[count++] = low << 32 | high;
        return true;
    }

    /** Counts {@code entry} of the server's answer as not a UID, keeping the first few as written. */
    void addInvalid(String entry) {
        invalid++;
        if (invalidExamples.size() < INVALID_EXAMPLES) {
            invalidExamples.add(ImapValues.describe(entry));
        }
    }

    /** Adds every range of {@code other}, with its invalid entries and truncation. */
    void addAll(UidRanges other) {
        for (int i = 0; i < other.count; i++) {
            add(other.ranges[i] >>> 32, other.ranges[i] & MAX_UID);
        }
        invalid += other.invalid;
        for (String example : other.invalidExamples) {
            if (invalidExamples.size() < INVALID_EXAMPLES) {
                invalidExamples.add(example);
            }
        }
        truncated |= other.truncated;
    }

    /** Entries that were not UIDs. */
    long invalid() {
        return invalid;
    }

    /** The first few entries that were not UIDs, quoted as sent, where the reader kept their text. */
    List<String> invalidExamples() {
        return List.copyOf(invalidExamples);
    }

    /** True when ranges beyond the cap were dropped. */
    boolean truncated() {
        return truncated;
    }

    int maxRanges() {
        return maxRanges;
    }

    /** The number of UIDs in the set. */
    long size() {
        normalize();
        long size = 0;
        for (int i = 0; i < count; i++) {
            size += (ranges[i] & MAX_UID) - (ranges[i] >>> 32) + 1;
        }
        return size;
    }

    /** At most {@code n} UIDs, lowest first, or highest first when {@code descending}. */
    List<Long> first(int n, boolean descending) {
        normalize();
        List<Long> uids = new ArrayList<>((int) Math.min(n, size()));
        for (int k = 0; k < count && uids.size() < n; k++) {
            long range = ranges[descending ? count - 1 - k : k];
            long low = range >>> 32;
            long high = range & MAX_UID;
            for (long uid = descending ? high : low; uids.size() < n && uid >= low && uid <= high;
                    uid += descending ? -1 : 1) {
                uids.add(uid);
            }
        }
        return uids;
    }

    /** Sorts and merges the ranges; packed values compare as unsigned, so the sign bit is flipped for the sort. */
    private void normalize() {
        if (sorted) {
            return;
        }
        for (int i = 0; i < count; i++) {
            ranges[i] ^= Long.MIN_VALUE;
        }
        Arrays.sort(ranges, 0, count);
        for (int i = 0; i < count; i++) {
            ranges[i] ^= Long.MIN_VALUE;
        }
        int merged = 0;
        for (int i = 0; i < count; i++) {
            long low = ranges[i] >>> 32;
            long high = ranges[i] & MAX_UID;
            if (merged > 0 && low <= (ranges[merged - 1] & MAX_UID) + 1) {
                long prevLow = ranges[merged - 1] >>> 32;
                ranges[merged - 1] = prevLow << 32 | Math.max(high, ranges[merged - 1] & MAX_UID);
            } else {
                ranges[merged++] = low << 32 | high;
            }
        }
        count = merged;
        sorted = true;
    }
}
