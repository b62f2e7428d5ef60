package io.catalystmail.camel.smtp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a transaction the server accepted.
 *
 * @param acceptedRecipients the recipients the server took, in envelope order
 * @param rejectedRecipients recipients refused with the server's reply (a partial failure), in envelope order
 * @param finalReply         the reply to the end of data, typically {@code 250 2.0.0 Ok: queued as ...}
 */
public record SubmissionResult(List<String> acceptedRecipients, Map<String, SmtpReply> rejectedRecipients,
        SmtpReply finalReply) {

    public SubmissionResult {
        acceptedRecipients = List.copyOf(acceptedRecipients);
        // the usual outcome, every recipient taken, shares the empty map: copying an empty LinkedHashMap per message
        // was one of the larger C2 compilations in a profiled send run (it inlines the whole map copy)
        rejectedRecipients = rejectedRecipients.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(rejectedRecipients));
    }
}
