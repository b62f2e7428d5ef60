package io.catalystmail.camel.operations;

import io.catalystmail.camel.mailbox.ConnectionStillInStep;
import io.catalystmail.camel.mailbox.MessageTooLargeException;

/**
 * A message the fetch operation did not download for its size: found above maxMessageSize by SEARCH LARGER and
 * RFC822.SIZE, or its literal skipped unread when it came longer than announced. Either way the answer was read
 * whole, so the connection serves the next exchange. A literal far above the limit costs the connection instead
 * ({@link FetchDroppedForSizeException}).
 */
final class TooLargeToFetchException extends MessageTooLargeException implements ConnectionStillInStep {

    TooLargeToFetchException(String server, long uid, long size, long limit) {
        super(server, "UID " + uid, size, limit, true);
    }
}
