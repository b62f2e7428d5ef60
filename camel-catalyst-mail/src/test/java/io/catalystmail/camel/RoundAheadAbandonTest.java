package io.catalystmail.camel;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed poll gives up a round fetched ahead: the connection is dropped only while the round is on its way, the
 * wait for the fetch-ahead thread is bounded, and every exchange of the round is released exactly once, by the poll
 * or, when the wait ran out, by the fetch-ahead thread itself.
 */
class RoundAheadAbandonTest {

    private static final RoundAhead.WaitLimit LONG_WAIT = new RoundAhead.WaitLimit(Duration.ofMinutes(5), "h:1");

    private final ExecutorService fetchAhead = Executors.newSingleThreadExecutor();
    private final DefaultCamelContext context = new DefaultCamelContext();
    private final List<Exchange> released = new CopyOnWriteArrayList<>();

    @AfterEach
    void shutdown() {
        fetchAhead.shutdownNow();
    }

    private static MessageRef ref(int n) {
        return new MessageRef(String.valueOf(n), n, 10, Instant.EPOCH, "id-" + n);
    }

    private RoundAhead.Fetched fetched(List<MessageRef> round) {
        ArrayDeque<Exchange> exchanges = new ArrayDeque<>();
        round.forEach(r -> exchanges.add(new DefaultExchange(context)));
        return new RoundAhead.Fetched(new FetchedRound(exchanges, Map.of(), Map.of(), Map.of()), null);
    }

    /** A round of two whose repository lookups take longer than the poll is willing to wait: until {@code answers}. */
    private static RoundPlanner plannerWhoseRepositoryWaitsFor(CountDownLatch answers) {
        return new RoundPlanner(List.of(ref(1), ref(2)), 2, 0, r -> {
            try {
                return answers.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aFetchStillBusyAfterTheLimitReleasesItsRoundItself() throws Exception {
        CountDownLatch repositoryAnswers = new CountDownLatch(1);
        RoundPlanner planner = plannerWhoseRepositoryWaitsFor(repositoryAnswers);
        AtomicInteger drops = new AtomicInteger();
        RoundAhead ahead = new RoundAhead(fetchAhead, null, planner, false, LONG_WAIT, (round, upcoming) -> fetched(round));

        assertFalse(ahead.abandon(released::add, drops::incrementAndGet, Duration.ofMillis(1)),
                "the fetch-ahead thread is still in the repository");
        assertEquals(1, drops.get(), "the connection was dropped while the round was on its way");
        repositoryAnswers.countDown();
        Eventually.await(() -> released.size() == 2, () -> released.size() + " of the round's 2 exchanges released");
        fetchAhead.shutdown();
        assertTrue(fetchAhead.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(2, released.size(), "each released once");
    }

    /** Socket work has deadlines of its own; a repository that hangs must not hold the poll, and so the consumer. */
    @Test
    void aFetchAheadThreadStuckInTheRepositoryFailsThePollAfterTheLimitNamingTheServer() throws Exception {
        CountDownLatch repositoryAnswers = new CountDownLatch(1);
        RoundPlanner planner = plannerWhoseRepositoryWaitsFor(repositoryAnswers);
        RoundAhead ahead = new RoundAhead(fetchAhead, null, planner, false,
                new RoundAhead.WaitLimit(Duration.ofMillis(300), "mail.example.com:993"),
                (round, upcoming) -> fetched(round));

        assertTrue(ahead.isLast(), "a planning stuck past the limit is taken as the last, the poll ends at await()");
        IOException stuck = assertThrows(IOException.class, ahead::await);
        assertEquals("The poll of mail.example.com:993 waited 300 ms (twice fetchTimeout) for its fetch-ahead thread,"
                     + " which is stuck (in the idempotent repository, or on the server); the round it works on is not"
                     + " routed", stuck.getMessage());
        // the failed poll gives the round up as it does for any failure; the thread releases it once unstuck
        assertFalse(ahead.abandon(released::add, () -> { }, Duration.ofMillis(1)));
        repositoryAnswers.countDown();
        Eventually.await(() -> released.size() == 2, () -> released.size() + " of the round's 2 exchanges released");
    }

    @Test
    void aPollInterruptedWhileItWaitsForTheRoundStillGivesItUp() throws Exception {
        CountDownLatch serverAnswers = new CountDownLatch(1);
        RoundPlanner planner = new RoundPlanner(List.of(ref(1), ref(2)), 2, 0, r -> true);
        RoundAhead ahead = new RoundAhead(fetchAhead, null, planner, false, LONG_WAIT, (round, upcoming) -> {
            serverAnswers.await(); // the round is still on its way
            return fetched(round);
        });
        // the poll's thread waits for the round and is interrupted (Camel cancels a running poll when it stops the
        // consumer): its wait ends, nothing was taken
        AtomicReference<Throwable> waitEnded = new AtomicReference<>();
        Thread poll = new Thread(() -> {
            try {
                ahead.await();
            } catch (Throwable e) {
                waitEnded.set(e);
            }
        });
        poll.start();
        Eventually.await(() -> poll.getState() == Thread.State.TIMED_WAITING,
                () -> "the poll does not wait: " + poll.getState());
        poll.interrupt();
        poll.join(30_000);
        assertTrue(waitEnded.get() instanceof InterruptedException, "the wait ended with " + waitEnded.get());
        AtomicInteger drops = new AtomicInteger();

        assertFalse(ahead.abandon(released::add, drops::incrementAndGet, Duration.ofMillis(1)));
        assertEquals(1, drops.get(), "the connection was dropped while the round was on its way");
        serverAnswers.countDown();
        Eventually.await(() -> released.size() == 2, () -> released.size() + " of the round's 2 exchanges released");
    }

    @Test
    void aRoundFetchedBeforeThePollFailedIsReleasedWithoutDroppingTheConnection() throws Exception {
        RoundPlanner planner = new RoundPlanner(List.of(ref(1), ref(2), ref(3)), 3, 0, r -> true);
        RoundAhead ahead = new RoundAhead(fetchAhead, null, planner, false, LONG_WAIT, (round, upcoming) -> fetched(round));
        fetchAhead.shutdown();
        assertTrue(fetchAhead.awaitTermination(30, TimeUnit.SECONDS), "the round was fetched");
        AtomicInteger drops = new AtomicInteger();

        assertTrue(ahead.abandon(released::add, drops::incrementAndGet, Duration.ofSeconds(30)));
        assertEquals(0, drops.get(), "the session was free: the consumer decides how to end it");
        assertEquals(3, released.size());
    }
}
