package io.catalystmail.camel;

import java.io.EOFException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.catalystmail.camel.imap.MissingFolderException;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.metrics.PollSummary;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the server refused is told to the figures by the actions' own record, on every path that fails the poll's
 * actions (the consumer's batch entry point included): the poll's summary and the retries agree on it.
 */
class UnfinishedActionsTest {

    private static final AfterProcessing MOVE_TO_DONE = new AfterProcessing(false, false, "Done", null);

    private final MailboxStatistics statistics = new MailboxStatistics("imap://imap.example.org:993/INBOX");
    private final UnfinishedActions unfinished = new UnfinishedActions(3, MessageRef::id, statistics);

    private static MessageRef ref(int uid) {
        return new MessageRef(Integer.toString(uid), 0, 100, null, "imap://joe@imap.example.org/INBOX;UID=" + uid);
    }

    /**
     * A poll that routed two messages, handed their moves to the server, and was told {@code outcome}; a refusal
     * leaves the poll in step, anything else ends it.
     */
    private PollSummary pollWhoseActionsFailed(Exception outcome) {
        return statistics.poll(() -> {
            for (int uid = 1; uid <= 2; uid++) {
                unfinished.routed(ref(uid), MOVE_TO_DONE);
                statistics.action(MOVE_TO_DONE);
            }
            unfinished.failInFlight(outcome);
            unfinished.pollEnded();
            if (!(outcome instanceof MissingFolderException)) {
                throw outcome;
            }
            return 2;
        }).summary();
    }

    @Test
    void actionsTheServerRefusedCountAsRefusedNotApplied() {
        PollSummary summary = pollWhoseActionsFailed(new MissingFolderException("imap.example.org:993", "Done"));
        assertEquals(Map.of("moved to Done", 2L), summary.refused());
        assertEquals(Map.of(), summary.actions());
        assertEquals(Map.of("moved to Done", 2L), statistics.actionsRefused());
    }

    @Test
    void actionsLostWithTheConnectionAreNeitherRefusedNorApplied() {
        PollSummary summary = pollWhoseActionsFailed(new EOFException("imap.example.org:993 closed the connection"));
        assertEquals(Map.of(), summary.refused());
        assertEquals(Map.of(), summary.actions());
    }

    /**
     * The poll looks its listing up by identity only when something is due ({@link MailboxPoll}): actions handed
     * to the server in this poll are not (POP3 keeps its DELEs in flight until QUIT), one that failed or was owed
     * from before is.
     */
    @Test
    void onlyActionsFromBeforeThisPollAreDue() {
        unfinished.routed(ref(1), MOVE_TO_DONE);
        assertFalse(unfinished.isEmpty());
        assertFalse(unfinished.anyDue(), "in flight in this poll");
        unfinished.failInFlight(new MissingFolderException("imap.example.org:993", "Done"));
        assertTrue(unfinished.anyDue(), "refused in this poll, retried");
        unfinished.confirmInFlight();
        assertTrue(unfinished.anyDue(), "a failed action is no longer in flight");

        UnfinishedActions later = new UnfinishedActions(3, MessageRef::id, statistics);
        later.owed(ref(2), MOVE_TO_DONE);
        assertTrue(later.anyDue(), "found routed before");
    }

    /**
     * A step the server answered is not sent again: the copy of message 1 and 2 was made, and for 2 the copy its move
     * is made of on a server without MOVE, so 2 is left with the deletion of its original. 3 got no answer at all.
     */
    @Test
    void whatTheServerConfirmedIsLeftOutOfTheRetry() {
        AfterProcessing copyAndMove = new AfterProcessing(true, false, "Done", "Copies");
        for (int uid = 1; uid <= 3; uid++) {
            unfinished.routed(ref(uid), copyAndMove);
        }
        unfinished.copied(List.of(ref(1).identity(), ref(2).identity()));
        unfinished.movedCopyMade(List.of(ref(2).identity()));
        unfinished.failInFlight(new EOFException("imap.example.org:993 closed the connection"));
        Map<String, AfterProcessing> retried = new TreeMap<>();
        unfinished.due(identity -> null).forEach(e -> retried.put(e.ref().id(), e.action()));
        assertEquals(Map.of("1", new AfterProcessing(true, false, "Done", null),
                "2", new AfterProcessing(true, true, null, null), "3", copyAndMove), retried);
    }
}
