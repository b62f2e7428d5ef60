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
     * 110 KB. This leaves about 190 octets of the line to the tag, the command and its other arguments.
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
        if (uids.isEmpty()) {
            throw new IllegalArgumentException("empty UID set");
        }
        if (maxOctets < 21) {
            throw new IllegalArgumentException("a set of " + maxOctets + " octets cannot hold a range of UIDs");
        }
        List<Piece> pieces = new ArrayList<>();
        StringBuilder set = new StringBuilder();
        List<Long> named = new ArrayList<>();
        long[] sorted = UidList.sorted(uids);
        int i = 0;
        while (i < sorted.length) {
            long start = sorted[i];
            if (start <= 0) {
                throw new IllegalArgumentException("not a UID: " + start);
            }
            int end = i;
            while (end + 1 < sorted.length && sorted[end + 1] <= sorted[end] + 1) {
                end++; // the next UID, or the same one given twice
            }
            long last = sorted[end];
            int width = (set.length() > 0 ? 1 : 0) + digits(start) + (last != start ? 1 + digits(last) : 0);
            if (set.length() + width > maxOctets) {
                pieces.add(new Piece(set.toString(), List.copyOf(named)));
                set.setLength(0);
                named.clear();
            }
            appendRange(set, start, last);
            for (long uid = start; uid <= last; uid++) {
                named.add(uid);
            }
            i = end + 1;
        }
        pieces.add(new Piece(set.toString(), List.copyOf(named)));
        return pieces;
    }

    private static int digits(long n) {
        return Long.toString(n).length();
    }

    /** "1:5,7,9:10" for {1,2,3,4,5,7,9,10}; the UIDs need not be sorted or distinct. */
    static String format(Collection<Long> uids) {
        if (uids.isEmpty()) {
            throw new IllegalArgumentException("empty UID set");
        }
        StringBuilder sb = new StringBuilder();
        long start = -1;
        long last = -1;
        for (long uid : UidList.sorted(uids)) {
            if (uid <= 0) {
                throw new IllegalArgumentException("not a UID: " + uid);
            }
            if (uid == last) {
                continue; // given twice
            }
            if (start < 0) {
                start = uid;
            } else if (uid != last + 1) {
                appendRange(sb, start, last);
                start = uid;
            }
            last = uid;
        }
        appendRange(sb, start, last);
        return sb.toString();
    }

    private static void appendRange(StringBuilder sb, long start, long end) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(start);
        if (end != start) {
            sb.append(':').append(end);
        }
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
