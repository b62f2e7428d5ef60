package io.catalystmail.camel.imap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

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
        for (long uid : new TreeSet<>(uids)) {
            if (uid <= 0) {
                throw new IllegalArgumentException("not a UID: " + uid);
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
     * Expands a set the server sent (ESEARCH ALL), refusing more than {@code max} UIDs; '*' has no meaning
     * in a server's answer and is refused too.
     */
    static List<Long> parse(String set, int max) throws ImapProtocolException {
        List<Long> uids = new ArrayList<>();
        for (String range : set.split(",", -1)) {
            int colon = range.indexOf(':');
            long from = ImapValues.number(colon < 0 ? range : range.substring(0, colon));
            long to = colon < 0 ? from : ImapValues.number(range.substring(colon + 1));
            long low = Math.min(from, to);
            long high = Math.max(from, to);
            if (high - low >= max - uids.size()) {
                throw new ImapProtocolException("UID set expands to more than " + max + " UIDs");
            }
            for (long uid = low; uid <= high; uid++) {
                uids.add(uid);
            }
        }
        return uids;
    }
}
