package io.catalystmail.camel.imap;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tags of an {@link ImapConnection}: each command sent gets the next one, and is in flight until its tagged
 * answer is read. RFC 3501 §5.5 lets a server complete pipelined commands in another order than they were sent,
 * so an answer read while awaiting another command is kept for its own await; an answer to no command in flight
 * breaks the protocol.
 */
final class CommandsInFlight {

    private static final Logger LOG = LoggerFactory.getLogger(ImapConnection.class);
    /** Commands named in an error about pipelined answers; a pipeline holds a few dozen at most. */
    private static final int NAMED_IN_ERRORS = 8;

    private int tagCounter;
    /** Commands sent whose tagged answer has not been read yet, by tag, in the order sent: named in errors. */
    private final Map<String, String> names = new LinkedHashMap<>();
    /** Tagged answers read while awaiting a command sent before them. */
    private final Map<String, ImapResponse> answeredEarly = new HashMap<>();
    /** The bounds of the SEARCH commands in flight that have one, by tag, the first sent first. */
    private final Map<String, SearchAnswerBound> searchBounds = new LinkedHashMap<>();

    /** The tag for a new command, in flight from now on. */
    String sent(String commandName) {
        String tag = "A" + (++tagCounter);
        names.put(tag, commandName);
        return tag;
    }

    /**
     * The tag for {@code command}, in flight from now on, its SEARCH answer bounded as the command says: counted
     * afresh for this sending, so a command sent again has its whole bound again.
     */
    String sent(ImapCommand command) {
        String tag = sent(command.name());
        if (command.searchAnswerSize() != null) {
            searchBounds.put(tag, new SearchAnswerBound(command.searchAnswerSize()));
        }
        return tag;
    }

    /**
     * What an untagged SEARCH line read now counts against: SEARCH answers carry no tag (RFC 3501 §7.2.5), so they
     * belong to the first bounded SEARCH command in flight; null when there is none. A bound ends with its command.
     */
    SearchAnswerBound searchBound() {
        return searchBounds.isEmpty() ? null : searchBounds.values().iterator().next();
    }

    /** The command in flight under {@code tag}, for naming a failure while awaiting its answer. */
    String nameOf(String tag) {
        String name = names.get(tag);
        return name != null ? name : "a command";
    }

    /**
     * The commands awaiting their answer when more than one is, in the order sent, for an error about an answer
     * that broke the protocol or never came: with pipelining (RFC 3501 §5.5) the culprit may be another command
     * than the one awaited, such as a server that wrote a later command's answer ahead of an earlier one's. Empty
     * with one command in flight.
     */
    String pipelined() {
        int awaiting = names.size() - answeredEarly.size();
        if (awaiting <= 1) {
            return "";
        }
        StringJoiner named = new StringJoiner(", ", " (" + awaiting + " commands in flight: ", ")");
        int shown = 0;
        for (Map.Entry<String, String> command : names.entrySet()) {
            if (answeredEarly.containsKey(command.getKey())) {
                continue;
            }
            if (shown++ == NAMED_IN_ERRORS) {
                named.add("...");
                break;
            }
            named.add(command.getKey() + " " + command.getValue());
        }
        return named.toString();
    }

    /** The command of {@code tagged}'s tag is answered. */
    void settle(ImapResponse tagged) {
        names.remove(tagged.tag());
        searchBounds.remove(tagged.tag());
        LOG.debug("S: {}", tagged);
    }

    /** The answer for {@code tag} read earlier, settled now; null when it has not come yet. */
    ImapResponse takeEarlyAnswer(String tag) {
        ImapResponse early = answeredEarly.remove(tag);
        if (early != null) {
            names.remove(tag);
            searchBounds.remove(tag);
        }
        return early;
    }

    /** Keeps the answer to another command still in flight for its own await; any other tag is an error. */
    void keepEarlyAnswer(ImapResponse r) throws ImapProtocolException {
        if (!names.containsKey(r.tag()) || answeredEarly.containsKey(r.tag())) {
            throw new ImapProtocolException("tagged response for unknown tag " + ImapValues.describe(r.tag()));
        }
        LOG.debug("S: {}", r);
        answeredEarly.put(r.tag(), r);
    }
}
