package io.catalystmail.camel.imap;

import java.util.Collection;

/** UID sets in IMAP sequence-set syntax (RFC 3501 §9): compact ranges out, bounded expansion in. */
final class UidSet {

    private UidSet() {
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
            uids.add(from, to);
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
