package io.catalystmail.camel;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.catalystmail.camel.mailbox.MessageRef;

/**
 * The round after the one in the route, planned and fetched on the fetch-ahead thread while that one is routed.
 * Planning admits each message (a repository lookup or reservation: a database query each with a shared
 * repository), so it runs beside the route instead of before it: a poll's first message waits for its own round's
 * lookups only, which is most of a new leader's takeover on a full mailbox. The route learns as soon as the round
 * is planned whether one follows, for the last exchange's {@code CamelBatchComplete}, without waiting for its fetch.
 */
final class RoundAhead {

    /** How long the poll waits for the fetch-ahead thread, and the server named when that is exceeded. */
    record WaitLimit(Duration limit, String server) {
    }

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
    private final WaitLimit waitLimit;
    /** Completed once the fetch-ahead thread is done with the planner. */
    private final CompletableFuture<List<MessageRef>> planned = new CompletableFuture<>();
    private final Future<Fetched> fetched;
    private boolean taken;
    /** Set when the poll abandoned this round: the fetch-ahead thread then releases what it fetched itself. */
    private FetchedRound.ExchangeRelease abandonedWith;
    /** The fetch-ahead thread returned its round before it was abandoned. */
    private boolean handedOver;

    /**
     * @param plannedBefore the round when it was planned already (announced with the fetch before), or null: it is
     *                      planned on the fetch-ahead thread
     * @param announcing    whether the round after it is planned now, to be announced with its fetch
     */
    RoundAhead(ExecutorService fetchAhead, List<MessageRef> plannedBefore, RoundPlanner planner, boolean announcing,
            WaitLimit waitLimit, Fetch fetch) {
        this.plannedBefore = plannedBefore;
        this.waitLimit = waitLimit;
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
            return handOver(fetch.fetch(round, upcoming));
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
            return planned.get(waitLimit.limit().toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            // a planning stuck past the limit: the poll ends at await(), with that thread's failure or the limit's
            return true;
        }
    }

    /**
     * The fetched round, or null when none followed; a failure of the fetch-ahead thread is thrown here. A wait that
     * was interrupted (Camel cancels a running poll as it stops the consumer) takes nothing: {@link #abandon} still
     * gives the round up.
     */
    Fetched await() throws Exception {
        Fetched result = get(fetched, waitLimit);
        taken = true;
        return result;
    }

    /**
     * The result of work on the fetch-ahead thread, waited for at most {@code waitLimit}; its failure thrown as it
     * was. Its socket work has deadlines of its own; the limit is for what has none (an idempotent repository that
     * hangs), so a stuck thread fails the poll, named, instead of holding the consumer for good.
     */
    static <T> T get(Future<T> work, WaitLimit waitLimit) throws Exception {
        try {
            return work.get(waitLimit.limit().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("The poll of " + waitLimit.server() + " waited " + waitLimit.limit().toMillis()
                    + " ms (twice fetchTimeout) for its fetch-ahead thread, which is stuck (in the idempotent"
                    + " repository, or on the server); the round it works on is not routed", e);
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
     * The poll failed while this round was on its way, so nothing of it will be routed. When it is still being
     * fetched, {@code dropConnection} runs first: a fetch waiting on a server that stalls ends at once instead of
     * holding the poll until the server's deadlines, and what the server sent of the round is never acted on. Then
     * waits, at most {@code limit}, until the fetch-ahead thread is done with the planner and the session (a
     * reservation it made after the poll released its own would be held until the repository expires it), and
     * releases what it fetched. Never throws.
     *
     * @return false when the fetch-ahead thread was still busy after {@code limit} (in the repository, say): it then
     *         releases whatever it still fetches itself
     */
    boolean abandon(FetchedRound.ExchangeRelease release, Runnable dropConnection, Duration limit) {
        if (taken) {
            return true;
        }
        taken = true;
        synchronized (this) {
            abandonedWith = release;
        }
        if (!fetched.isDone()) {
            dropConnection.run();
        }
        try {
            release(fetched.get(limit.toMillis(), TimeUnit.MILLISECONDS), release);
            return true;
        } catch (TimeoutException e) {
            return handedOverNow(release);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return handedOverNow(release);
        } catch (ExecutionException | RuntimeException e) {
            // a fetch that failed released its own; the poll's own failure is the one reported
            return true;
        }
    }

    /** The fetch-ahead thread's result, or, once the round was abandoned, null with what it fetched released. */
    private synchronized Fetched handOver(Fetched result) {
        if (abandonedWith != null) {
            release(result, abandonedWith);
            return null;
        }
        handedOver = true;
        return result;
    }

    /**
     * After a wait that ended early: when the result was handed over before the round was abandoned, it is on its
     * way out of the task and is released here; otherwise the task releases it (see {@link #handOver}).
     */
    private boolean handedOverNow(FetchedRound.ExchangeRelease release) {
        synchronized (this) {
            if (!handedOver) {
                return false;
            }
        }
        boolean interrupted = Thread.interrupted();
        try {
            release(fetched.get(), release);
        } catch (InterruptedException | ExecutionException | RuntimeException e) {
            // nothing handed over to release
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }

    private static void release(Fetched fetched, FetchedRound.ExchangeRelease release) {
        if (fetched != null) {
            fetched.round().releaseUnrouted(release);
        }
    }
}
