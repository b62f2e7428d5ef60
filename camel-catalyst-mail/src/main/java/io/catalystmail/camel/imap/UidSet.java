package io.catalystmail.camel.imap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** UID sets in IMAP sequence-set syntax (RFC 3501 §9): compact ranges out, bounded expansion in. */
final class UidSet {

    /**
     * The longest set {@link #pieces} puts in one command. RFC 7162 §4 advises clients to keep a command line to
     * about 8,192 octets, and servers refuse longer ones (Dovecot's imap_max_line_length is 64 KiB): scattered UIDs
     * of ten digits take eleven octets each, so an expunge of a poll's 10,000 scattered deletions would be a line of
     * 110 KB. This leaves about 190 octets of the line to the tag, the command and a STORE's flags; a COPY or MOVE
     * adds its folder, quoted up to 1,000 characters (a longer name goes as a literal, which ends the line), so its
     * line may reach about 9 KB: past the advice, far below what servers refuse.
     */
    static final int MAX_SET_OCTETS = 8_000;

    /** A part of a UID set: its text for the command, and the UIDs it names, ascending. */
    record Piece(String set, List<Long> uids) {
    }

    private UidSet() {
    }

    /** {@code uids} (in any order, repeats ignored) cut into sets of at most {@link #MAX_SET_OCTETS}, ascending. */
    static List<Piece> pieces(Collection<Long> uids) {
        return pieces(uids, MAX_SET_OCTETS);
    }

    /** {@link #pieces(Collection)} with another limit, at least the 21 octets of the widest range. */
    static List<Piece> pieces(Collection<Long> uids, int maxOctets) {
        long[] sorted = sortedUids(uids);
        List<Piece> pieces = new ArrayList<>();
        cut(sorted, maxOctets, (set, from, to) -> pieces.add(new Piece(set, distinct(sorted, from, to))));
        return pieces;
    }

    /**
     * The texts of {@link #pieces(Collection)} alone, for a caller that needs no piece's UIDs (a consumer's round
     * fetch): no UID is boxed again.
     */
    static List<String> sets(Collection<Long> uids) {
        List<String> sets = new ArrayList<>();
        cut(sortedUids(uids), MAX_SET_OCTETS, (set, from, to) -> sets.add(set));
        return sets;
    }

    /**
     * {@link #sets} of each maximal run of ascending UIDs, the runs in the order given: a consumer's round fetched
     * in the order its messages were listed, each line within the ~8,192 octets RFC 7162 §4 advises (fetchRoundSize
     * has no upper bound, and about 727 scattered UIDs of ten digits pass it).
     */
    static List<String> setsInOrder(List<Long> uids) {
        List<String> sets = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= uids.size(); i++) {
            if (i == uids.size() || uids.get(i) < uids.get(i - 1)) {
                sets.addAll(sets(uids.subList(from, i)));
                from = i;
            }
        }
        return sets;
    }

    private static long[] sortedUids(Collection<Long> uids) {
        if (uids.isEmpty()) {
            throw new IllegalArgumentException("empty UID set");
        }
        long[] sorted = UidList.sorted(uids);
        if (sorted[0] <= 0) {
            throw new IllegalArgumentException("not a UID: " + sorted[0]);
        }
        return sorted;
    }

    /** Where {@link #cut} ends a set: its text, and the positions {@code [from, to)} of the sorted UIDs it names. */
    private interface PieceSink {
        void piece(String set, int from, int to);
    }

    /**
     * The one walk over sorted UIDs: consecutive ones (and repeats) become a range "a:b", ranges are joined by ','
     * and a set ends before the range that would take it past {@code maxOctets}.
     */
    private static void cut(long[] sorted, int maxOctets, PieceSink sink) {
        if (maxOctets < 21) {
            throw new IllegalArgumentException("a set of " + maxOctets + " octets cannot hold a range of UIDs");
        }
        StringBuilder set = new StringBuilder();
        int from = 0;
        int i = 0;
        while (i < sorted.length) {
            long start = sorted[i];
            int end = i;
            while (end + 1 < sorted.length && sorted[end + 1] <= sorted[end] + 1) {
                end++; // the next UID, or the same one given twice
            }
            long last = sorted[end];
            int width = (set.length() > 0 ? 1 : 0) + digits(start) + (last != start ? 1 + digits(last) : 0);
            if (set.length() + width > maxOctets) {
                sink.piece(set.toString(), from, i);
                set.setLength(0);
                from = i;
            }
            if (set.length() > 0) {
                set.append(',');
            }
            set.append(start);
            if (last != start) {
                set.append(':').append(last);
            }
            i = end + 1;
        }
        sink.piece(set.toString(), from, sorted.length);
    }

    /** {@code sorted[from, to)} without repeats. */
    private static List<Long> distinct(long[] sorted, int from, int to) {
        List<Long> uids = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            if (i == from || sorted[i] != sorted[i - 1]) {
                uids.add(sorted[i]);
            }
        }
        return List.copyOf(uids);
    }

    private static int digits(long n) {
        return Long.toString(n).length();
    }

    /**
     * Adds a set the server sent (ESEARCH ALL) to {@code uids} as ranges, never expanded. '*' has no meaning in a
     * server's answer; it and any other entry that is not a UID or range of UIDs is counted as invalid there.
     */
    static void parseInto(String set, UidRanges uids) {
        for (String range : set.split(",", -1)) {
            int colon = range.indexOf(':');
            long from = number(colon < 0 ? range : range.substring(0, colon));
            long to = colon < 0 ? from : number(range.substring(colon + 1));
            if (from < 1 || to < 1 || Math.max(from, to) > UidRanges.MAX_UID) {
                uids.addInvalid(range);
            } else {
                uids.add(from, to);
            }
        }
    }

    /** The decimal number, or -1 when it is not one of at most ten digits. */
    private static long number(String digits) {
        if (digits.isEmpty() || digits.length() > 10) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
