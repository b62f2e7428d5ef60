package io.catalystmail.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;

/**
 * Counts the messages of polls that have finished. Both components call {@link #commit} only after
 * {@code poll()} returned, that is after the route processed the messages and the server was told to delete
 * them, so a run ends when the work is really done, not when the last exchange entered the route.
 */
final class CompletedPolls implements PollingConsumerPollStrategy {

    static final String BEAN_NAME = "benchmarkCompletedPolls";

    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicReference<Exception> lastFailure = new AtomicReference<>();

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        messages.addAndGet(polledMessages);
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        lastFailure.set(cause);
        // no retry inside the poll: the next scheduled poll tries again, and the run's deadline bounds it all
        return false;
    }

    int messages() {
        return messages.get();
    }

    Exception lastFailure() {
        return lastFailure.get();
    }
}
