package io.catalystmail.camel.testsupport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;

/**
 * A consumer's {@code pollStrategy} that counts the polls that returned, so a test can look at the server once a poll
 * has done all it does (routed, acted on the server, expunged), not when its last exchange entered the route.
 */
public final class FinishedPolls implements PollingConsumerPollStrategy {

    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        messages.addAndGet(polledMessages);
        polls.incrementAndGet();
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        failure.compareAndSet(null, cause);
        return false;
    }

    /** Waits until {@code count} polls returned; a failed poll fails the wait at once. */
    public void await(int count) {
        await(count, Eventually.DEFAULT_LIMIT);
    }

    /**
     * The same with a limit of the caller's: a poll of thousands of messages needs more than the default on a
     * loaded machine, and the wait ends as soon as the polls returned, so a longer limit costs a passing test nothing.
     */
    public void await(int count, Duration limit) {
        Eventually.await(limit, () -> {
            if (failure.get() != null) {
                throw new AssertionError("a poll failed", failure.get());
            }
            return polls.get() >= count;
        }, () -> polls.get() + " of " + count + " polls finished");
    }

    /** The messages the finished polls said they routed. */
    public int messages() {
        return messages.get();
    }
}
