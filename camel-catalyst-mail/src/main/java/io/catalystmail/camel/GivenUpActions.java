package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routed messages whose after-processing one poll gave up on, after their last attempt: told in one ERROR that
 * names the count, the cause (which names the server and the command) and the first few messages with their action;
 * each message's own line is at DEBUG. A poll that gives up a thousand deletions at once (a QUIT refused after them)
 * thus writes one ERROR, not a thousand. Not thread-safe: one poll fills and tells it.
 */
final class GivenUpActions {

    /** Logged under the category of {@link UnfinishedActions}, where the retries' lines are. */
    private static final Logger LOG = LoggerFactory.getLogger(UnfinishedActions.class);

    private final int attempts;
    private final List<String> messages = new ArrayList<>();
    private String firstCause;

    /** @param attempts the attempts each message had (afterProcessingAttempts) */
    GivenUpActions(int attempts) {
        this.attempts = attempts;
    }

    /** @param message the message and its action, e.g. {@code UID 7 in INBOX (move to 'Done')} */
    void add(String message, String cause) {
        if (firstCause == null) {
            firstCause = cause;
        }
        messages.add(message);
        LOG.debug("Giving up the after-processing of message {} after {} failed attempts, the last: {}", message,
                attempts, cause);
    }

    /** Writes the one ERROR, if any message was given up since the last call. */
    void tell() {
        if (messages.isEmpty()) {
            return;
        }
        int named = UnfinishedActions.NAMED_IN_WARNING;
        LOG.error("Giving up the after-processing of {} message(s) after {} failed attempts each, the first failing"
                  + " last with: {}. They were routed successfully; they stay on the server as they are and this"
                  + " consumer will not route them again. {}", messages.size(), attempts, firstCause,
                messages.size() > named
                        ? "The first " + named + ": " + String.join(", ", messages.subList(0, named)) + ", ..."
                        : String.join(", ", messages));
        messages.clear();
        firstCause = null;
    }
}
