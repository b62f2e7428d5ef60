package io.catalystmail.camel;

/**
 * A poll ended by an Error (an OutOfMemoryError, say), carried as an Exception: Camel's scheduler stops polling for
 * good after an Error, but reports an Exception to the consumer's exception handler and health check and polls
 * again on schedule.
 */
public class PollFailedException extends Exception {

    public PollFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
