package io.catalystmail.camel.operations;

import java.io.IOException;

import io.catalystmail.camel.imap.AppendOutcomeUnknownException;
import io.catalystmail.camel.imap.ImapCommandException;
import io.catalystmail.camel.mailbox.ConnectionStillInStep;

/**
 * The one rule for an IMAP operation that failed, whether the whole operation or a round of a streamed fetch: what
 * the exchange is failed with, and whether the connection serves the next exchange. Only a connection the failure
 * left in step goes back to the pool: the server answered (a refusal), or the client decided from answers it read
 * whole ({@link ConnectionStillInStep}); any other failure may have left an answer half read.
 */
final class FailedOperation {

    private FailedOperation() {
    }

    /** Whether {@code session} is in step after {@code failure}, so a pool may lend it again. */
    static boolean inStep(ImapOperationSession session, IOException failure) {
        return session.isUsable()
               && (failure instanceof ImapCommandException || failure instanceof ConnectionStillInStep);
    }

    /**
     * {@code failure} naming the operation, the server and the folders: a refusal as a {@link MailboxOperationException},
     * a loss, timeout or broken answer (which names only the server and the command it was at) as a
     * {@link MailboxOperationFailedException}, and so is a BYE: the server ended the session instead of answering
     * (RFC 3501 §7.1.5), so a command it may have carried out first was not refused; failures that name the
     * operation themselves, by types a route may handle, as they are.
     */
    static IOException named(MailboxOperation operation, String server, String folder, String destination,
            ImapOperationSession session, IOException failure) {
        if (failure instanceof ImapCommandException refused && !refused.status().equals("BYE")) {
            return MailboxOperationException.of(operation, server, folder, destination, refused);
        }
        if (inStep(session, failure) || failure instanceof AppendOutcomeUnknownException
                || failure instanceof FetchDroppedForSizeException) {
            return failure;
        }
        return new MailboxOperationFailedException(ImapOperationRunner.name(operation), server, folder, destination,
                failure, session.changeMayHaveHappened());
    }
}
