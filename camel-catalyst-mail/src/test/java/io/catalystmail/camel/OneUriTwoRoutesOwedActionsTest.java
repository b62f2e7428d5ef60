package io.catalystmail.camel;

import java.io.EOFException;

import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MessageRef;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two routes consuming one identical URI share one endpoint (Camel keys endpoints by their normalised URI), and each
 * stopping consumer hands the endpoint what it still owes. The second hand-over replaced the first, so the consumer
 * that started next forgot the first route's messages, routed them a second time and never did their actions.
 */
class OneUriTwoRoutesOwedActionsTest {

    private static final AfterProcessing DELETE = new AfterProcessing(false, true, null, null);

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void whatBothStoppedConsumersOwedIsHandedToTheNextOne() {
        CatalystMailEndpoint endpoint = context.getEndpoint(
                "catalystmail:imap:imap.example.org?username=bob&password=s3cret&delete=true", CatalystMailEndpoint.class);
        UnfinishedActions first = owing(endpoint, 1);
        UnfinishedActions second = owing(endpoint, 2);
        first.giveUp(ref(3), "refused for the test");

        endpoint.keepUnfinishedActions(first);
        endpoint.keepUnfinishedActions(second);
        UnfinishedActions next = endpoint.takeUnfinishedActions();

        assertTrue(next.remembers(ref(1).identity()), "the first route's owed deletion was forgotten");
        assertTrue(next.remembers(ref(2).identity()), "the second route's owed deletion was forgotten");
        assertTrue(next.remembers(ref(3).identity()), "the first route's given-up message was forgotten");
        assertTrue(next.anyDue(), "nothing retried by the next consumer");
        assertNull(endpoint.takeUnfinishedActions(), "handed over twice");
    }

    @Test
    void oneConsumerHandingOverTwiceIsKeptOnce() {
        CatalystMailEndpoint endpoint = context.getEndpoint(
                "catalystmail:imap:imap.example.org?username=bob&password=s3cret&delete=true", CatalystMailEndpoint.class);
        UnfinishedActions owed = owing(endpoint, 1);
        endpoint.keepUnfinishedActions(owed);
        endpoint.keepUnfinishedActions(owed);
        assertSame(owed, endpoint.takeUnfinishedActions());
    }

    /** A consumer of {@code endpoint} whose deletion of message {@code uid} the server did not confirm. */
    private static UnfinishedActions owing(CatalystMailEndpoint endpoint, int uid) {
        UnfinishedActions unfinished = new UnfinishedActions(3, MessageRef::id, endpoint.mailboxStatistics());
        unfinished.routed(ref(uid), DELETE);
        unfinished.failInFlight(new EOFException("imap.example.org:143 closed the connection"));
        unfinished.pollEnded();
        return unfinished;
    }

    private static MessageRef ref(int uid) {
        return new MessageRef(Integer.toString(uid), 0, 100, null, "imap://bob@imap.example.org/INBOX;UID=" + uid);
    }
}
