package io.catalystmail.camel;

import java.io.IOException;

/**
 * The failure of a poll that ended where a message cost the connection for its size
 * ({@link io.catalystmail.camel.mailbox.ConnectionDroppedForSizeException}). The message was reported on its own, as
 * an unreadable message, once; this only makes the poll count as failed, so the consumer's health check, error counter
 * and backoff see a server that sends such answers (every message of them would otherwise leave the consumer UP, its
 * polls "successful", nothing routed). It names the message, never repeats its report: {@link QuietPollFailures} says
 * it in one line with what the poll did, a configured exceptionHandler gets it as a poll's failure, and with
 * bridgeErrorHandler it is only logged ({@link BridgedPollFailures}): the route's error handler had the message's report.
 */
final class PollEndedForSizeException extends IOException {

    private static final long serialVersionUID = 1L;

    PollEndedForSizeException(String server, String message) {
        super("The poll of " + server + " ended where " + message + " cost the connection for its size (reported on"
              + " its own); later polls leave it out and go on with the rest");
    }
}
