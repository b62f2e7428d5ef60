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
 * read) for the order RFC 3501 §5.5 asks of commands whose results depend on each other: a UID EXPUNGE depends on the
 * UID STORE that flagged its messages \Deleted, a UID MOVE on the \Seen set before it, a UID COPY and a flag on each
 * other; the later one may go out only once the earlier one was answered, never pipelined behind it.
 * <p>
 * Tags restart with every connection (A1, A2... on each), so a tag names a command only together with its
 * connection: the log's connections follow each other (a consumer's session is replaced, never doubled), and each
 * begins with its greeting ("S: ... (greeting from host:port)"). A command left unanswered when its connection was
 * lost is never answered: an answer on the next connection with the same tag is another command's.
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
            if (isGreeting(line)) {
                flagging.clear(); // the last connection's flags unanswered by now never will be
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

    /**
     * No UID STORE +FLAGS, UID COPY, UID MOVE or UID EXPUNGE goes out while an earlier one naming a common message is
     * unanswered, unless both add flags or both copy (either order gives the same result); and at least one
     * command had such a predecessor (answered before it went out), so the log shows the case.
     *
     * @return how many commands had to wait for such a predecessor's answer
     */
    public static int assertDependentCommandsFollowAnswers(String log) {
        Map<String, String> unanswered = new HashMap<>();
        Map<String, List<Long>> named = new HashMap<>();
        List<String> kinds = new ArrayList<>();
        List<List<Long>> uidsOf = new ArrayList<>();
        int dependent = 0;
        for (String line : log.lines().toList()) {
            String[] words = line.substring(line.lastIndexOf('|') + 1).split(" ");
            if (words.length < 3) {
                continue;
            }
            if (isGreeting(line)) {
                unanswered.clear(); // the last connection's commands unanswered by now never will be
                continue;
            }
            if (words[0].equals("S:")) {
                unanswered.remove(words[1]);
                continue;
            }
            String kind = words[0].equals("C:") && words.length > 4 && words[2].equals("UID") ? kind(words) : null;
            if (kind == null) {
                continue;
            }
            List<Long> uids = uids(words[4]);
            for (Map.Entry<String, String> open : unanswered.entrySet()) {
                assertTrue(!dependent(kind, uids, open.getValue(), named.get(open.getKey())), "UID " + words[3]
                        + " " + words[4] + " went out before the answer to the " + open.getValue() + " of "
                        + named.get(open.getKey()) + " it depends on:\n" + log);
            }
            for (int i = 0; i < kinds.size(); i++) {
                if (dependent(kind, uids, kinds.get(i), uidsOf.get(i))) {
                    dependent++;
                    break;
                }
            }
            unanswered.put(words[1], kind);
            named.put(words[1], uids);
            kinds.add(kind);
            uidsOf.add(uids);
        }
        assertTrue(dependent > 0, "no command depended on an earlier one:\n" + log);
        return dependent;
    }

    /** The first line of a connection: its tags start again from A1. */
    private static boolean isGreeting(String line) {
        return line.contains("|S: ") && line.contains(" (greeting from ");
    }

    /** STORE+ (adds flags), STORE (any other), COPY, MOVE or EXPUNGE for a UID command's words; null otherwise. */
    private static String kind(String[] words) {
        return switch (words[3]) {
            case "STORE" -> words.length > 5 && words[5].startsWith("+") ? "STORE+" : "STORE";
            case "COPY", "MOVE", "EXPUNGE" -> words[3];
            default -> null;
        };
    }

    private static boolean dependent(String kind, List<Long> uids, String earlierKind, List<Long> earlierUids) {
        boolean commute = kind.equals(earlierKind) && (kind.equals("STORE+") || kind.equals("COPY"));
        return !commute && uids.stream().anyMatch(earlierUids::contains);
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
