package io.catalystmail.camel.operations;

import java.io.IOException;
import java.util.List;

import io.catalystmail.camel.mailbox.ConnectionStillInStep;

/**
 * Messages of a fetch that arrived whole but could not be mapped (malformed MIME, a header line above
 * maxHeaderLineLength...): the rest of the answer was read, so the connection serves the next exchange.
 */
public final class UnmappableMessagesException extends IOException implements ConnectionStillInStep {

    /** The failures the message shows; the count names them all. */
    private static final int SHOWN = 5;

    UnmappableMessagesException(String folder, List<String> failures) {
        super("fetch from " + folder + ": " + failures.size() + " message(s) could not be mapped: "
              + String.join("; ", failures.subList(0, Math.min(SHOWN, failures.size()))));
    }
}
