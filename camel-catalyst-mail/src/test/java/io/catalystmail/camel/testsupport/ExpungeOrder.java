package io.catalystmail.camel.testsupport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads a consumer's IMAP protocol log ({@link CapturedLog}: "C:" as a command is written, "S:" as a tagged answer is
 * read) for the order RFC 3501 §5.5 asks of an expunge: a UID EXPUNGE depends on the UID STORE that flagged its
 * messages \Deleted, so it may go out only once that STORE was answered, never pipelined behind it.
 */
public final class ExpungeOrder {

    private ExpungeOrder() {
    }

    /** Every UID EXPUNGE in the protocol log names UIDs whose \Deleted STORE was answered OK on an earlier line. */
    public static void assertExpungesFollowAnsweredFlags(String log) {
        Map<String, List<Long>> flagging = new HashMap<>();
        Set<Long> answered = new HashSet<>();
        int expunges = 0;
        for (String line : log.lines().toList()) {
            String[] words = line.substring(line.lastIndexOf('|') + 1).split(" ");
            if (words.length < 3) {
                continue;
            }
            if (words[0].equals("C:") && line.contains("UID STORE") && line.contains("\\Deleted")) {
                flagging.put(words[1], uids(words[4]));
            } else if (words[0].equals("S:") && words[2].equals("OK") && flagging.containsKey(words[1])) {
                answered.addAll(flagging.remove(words[1]));
            } else if (words[0].equals("C:") && line.contains("UID EXPUNGE")) {
                expunges++;
                List<Long> named = uids(words[4]);
                assertTrue(answered.containsAll(named), "UID EXPUNGE before the flag of "
                        + named.stream().filter(u -> !answered.contains(u)).toList() + " was answered:\n" + log);
            }
        }
        assertTrue(expunges > 0, log);
    }

    /** The UIDs of a UID set such as 1:7,9 (RFC 3501 §9, sequence-set). */
    static List<Long> uids(String set) {
        List<Long> out = new ArrayList<>();
        for (String range : set.split(",")) {
            String[] ends = range.split(":");
            long first = Long.parseLong(ends[0]);
            long last = Long.parseLong(ends[ends.length - 1]);
            for (long uid = Math.min(first, last); uid <= Math.max(first, last); uid++) {
                out.add(uid);
            }
        }
        return out;
    }
}
