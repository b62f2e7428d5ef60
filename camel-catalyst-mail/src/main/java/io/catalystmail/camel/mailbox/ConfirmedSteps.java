package io.catalystmail.camel.mailbox;

import java.util.List;

/**
 * Told which steps of the after-processing the server confirmed, message by message ({@link MessageRef#identity()}),
 * as each answer is read: on the thread that read it (possibly the fetch-ahead one), never before it. A poll that
 * fails later retries only what is left: a step the server answered with OK is not sent again, so a copy made in a
 * failed poll is not made twice.
 */
public interface ConfirmedSteps {

    /** Confirms nothing to anybody. */
    ConfirmedSteps NONE = new ConfirmedSteps() {
    };

    /** Their UID EXPUNGE (without UIDPLUS, EXPUNGE) or UID MOVE was answered OK: they left the folder. */
    default void left(List<String> identities) {
    }

    /** Their UID COPY to the copyTo folder was answered OK. */
    default void copied(List<String> identities) {
    }

    /**
     * Without MOVE (RFC 6851), a move is a UID COPY followed by the deletion of the original: their COPY to the
     * moveTo folder was answered OK, only the deletion is left.
     */
    default void movedCopyMade(List<String> identities) {
    }
}
