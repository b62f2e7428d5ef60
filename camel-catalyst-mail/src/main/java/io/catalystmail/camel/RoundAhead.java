package io.catalystmail.camel;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import io.catalystmail.camel.mailbox.MessageRef;

/**
 * The round after the one in the route, planned and fetched on the fetch-ahead thread while that one is routed.
 * Planning admits each message (a repository lookup or reservation: a database query each with a shared
 * repository), so it runs beside the route instead of before it: a poll's first message waits for its own round's
 * lookups only, which is most of a new leader's takeover on a full mailbox. The route learns as soon as the round
 * is planned whether one follows, for the last exchange's {@code CamelBatchComplete}, without waiting for its fetch.
 */
final class RoundAhead {

    /** A fetched round and the round after it when that was planned to be announced with the fetch (else null). */
    record Fetched(FetchedRound round, List<MessageRef> upcoming) {
    }

    /**
     * Fetches a planned round, announcing {@code upcoming} (null: nothing announced). An empty round: nothing to
     * fetch (the actions still owed are sent) and a null result.
     */
    @FunctionalInterface
    interface Fetch {
        Fetched fetch(List<MessageRef> round, List<MessageRef> upcoming) throws Exception;
    }

    private final List<MessageRef> plannedBefore;
    /** Completed once the fetch-ahead thread is done with the planner. */
    private final CompletableFuture<List<MessageRef>> planned = new CompletableFuture<>();
    private final Future<Fetched> fetched;
    private boolean taken;

    /**
     * @param plannedBefore the round when it was planned already (announced with the fetch before), or null: it is
     *                      planned on the fetch-ahead thread
     * @param announcing    whether the round after it is planned now, to be announced with its fetch
     */
    RoundAhead(ExecutorService fetchAhead, List<MessageRef> plannedBefore, RoundPlanner planner, boolean announcing,
            Fetch fetch) {
        this.plannedBefore = plannedBefore;
        fetched = fetchAhead.submit(() -> {
            List<MessageRef> round;
            List<MessageRef> upcoming;
            try {
                round = plannedBefore != null ? plannedBefore : planner.nextRound();
                upcoming = announcing && !round.isEmpty() ? planner.nextRound() : null;
            } catch (RuntimeException | Error e) {
                planned.completeExceptionally(e);
                throw e;
            }
            planned.complete(round);
            return fetch.fetch(round, upcoming);
        });
    }

    /**
     * True when no round follows (waits for the planning, not for the fetch). A planning that failed says true: the
     * poll ends with that failure at {@link #await()}, after the exchange in hand.
     */
    boolean isLast() throws InterruptedException {
        if (plannedBefore != null) {
            return plannedBefore.isEmpty();
        }
        try {
            return planned.get().isEmpty();
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** The fetched round, or null when none followed; a failure of the fetch-ahead thread is thrown here. */
    Fetched await() throws Exception {
        taken = true;
        return get(fetched);
    }

    /** The result of work on the fetch-ahead thread; its failure thrown as it was. */
    static <T> T get(Future<T> work) throws Exception {
        try {
            return work.get();
        } catch (ExecutionException e) {
            // the connection or the repository failed under the fetch-ahead thread: what this poll routed stays
            // recorded in the idempotent repository (if any), and the next poll reconnects and re-applies
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * The poll failed while this round was on its way: waits until the fetch-ahead thread is done with the planner
     * and the session (a reservation it made after the poll released its own would be held until the repository
     * expires it; a failed session ends the fetch at once) and releases what it fetched, which will not be routed.
     * Never throws.
     */
    void abandon(FetchedRound.ExchangeRelease release) {
        if (taken) {
            return;
        }
        taken = true;
        try {
            Fetched f = fetched.get();
            if (f != null) {
                f.round().releaseUnrouted(release);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            // a fetch that failed released its own; the poll's own failure is the one reported
        }
    }
}
