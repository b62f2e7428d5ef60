package io.catalystmail.camel.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.catalystmail.camel.mailbox.AfterProcessing;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A poll counts its actions per action the route decided and names them when it ends: the summary and the running
 * totals count by name, so actions that share a name add up, and an action with two steps counts under both.
 */
class MailboxStatisticsTest {

    private static final AfterProcessing DELETE = new AfterProcessing(false, true, null, null);
    private static final AfterProcessing SEEN_AND_DELETE = new AfterProcessing(true, true, null, null);
    private static final AfterProcessing COPY_AND_MOVE = new AfterProcessing(false, false, "Done", "Archive");

    private final MailboxStatistics statistics = new MailboxStatistics("imap://imap.example.org:993/INBOX");

    @Test
    void actionsThatShareANameAddUpAndTwoStepsCountUnderBoth() throws Exception {
        PollSummary summary = statistics.poll(() -> {
            List.of(DELETE, SEEN_AND_DELETE, DELETE, COPY_AND_MOVE).forEach(statistics::action);
            return 4;
        }).summary();
        Map<String, Long> expected = Map.of("deleted", 3L, "copied to Archive", 1L, "moved to Done", 1L);
        assertEquals(expected, summary.actions());
        assertEquals(expected, statistics.actionsApplied());
        assertEquals(Map.of(), summary.refused());
        assertEquals("Polled imap://imap.example.org:993/INBOX: 0 listed, 0 routed, 0 failed, 0 skipped, 0 bytes in "
                + summary.durationMillis() + " ms; after processing: 1 copied to Archive, 3 deleted, 1 moved to Done",
                summary.toString(), "sorted by name");

        statistics.poll(() -> {
            statistics.action(SEEN_AND_DELETE);
            return 1;
        });
        assertEquals(Map.of("deleted", 4L, "copied to Archive", 1L, "moved to Done", 1L),
                statistics.actionsApplied(), "the totals go on across polls");
    }

    @Test
    void aRefusalWithdrawnInTheSamePollLeavesOnlyWhatStaysRefused() throws Exception {
        PollSummary summary = statistics.poll(() -> {
            statistics.action(DELETE);
            statistics.action(SEEN_AND_DELETE);
            statistics.inFlightActionsRefused();
            // retried one at a time: the server did the first, refused the second again
            statistics.refusalWithdrawn(DELETE);
            statistics.actionApplied(DELETE);
            return 2;
        }).summary();
        assertEquals(Map.of("deleted", 1L), summary.refused());
        assertEquals(Map.of("deleted", 1L), summary.actions());
        assertEquals(Map.of("deleted", 1L), statistics.actionsRefused());
    }

    @Test
    void aPollWithoutActionsNamesNone() throws Exception {
        PollSummary summary = statistics.poll(() -> 0).summary();
        assertEquals(Map.of(), summary.actions());
        assertEquals(Map.of(), summary.refused());
        assertEquals(Map.of(), statistics.actionsApplied());
    }

    /**
     * A reader (JMX, metrics) that sees a poll counted sees that poll's actions too: the poll is counted last. It was
     * counted first, and a reader between the two steps saw {} applied after a poll that deleted (OperationsFiguresJmxTest
     * failed so 1 run in 4 at load 6-9). A reader thread checks after every poll it sees, while polls that delete one
     * message each run on this thread.
     */
    @Test
    void aPollIsCountedOnlyOnceItsActionsAre() throws Exception {
        int polls = 20_000;
        AtomicReference<String> seenHalfDone = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            long seen = 0;
            while (seen < polls && seenHalfDone.get() == null) {
                long counted = statistics.polls();
                if (counted > seen) {
                    long deleted = statistics.actionsApplied().getOrDefault("deleted", 0L);
                    if (deleted < counted) {
                        seenHalfDone.set(counted + " polls counted, " + deleted + " deletions");
                    }
                    seen = counted;
                }
            }
        });
        reader.start();
        for (int i = 0; i < polls && seenHalfDone.get() == null; i++) {
            statistics.poll(() -> {
                statistics.action(DELETE);
                return 1;
            });
        }
        reader.join(60_000);
        assertNull(seenHalfDone.get(), seenHalfDone::get);
    }
}
