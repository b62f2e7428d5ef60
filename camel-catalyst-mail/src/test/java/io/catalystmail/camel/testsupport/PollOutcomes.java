package io.catalystmail.camel.testsupport;

import java.util.function.Consumer;
import java.util.function.IntConsumer;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;

/**
 * A poll strategy ({@code pollStrategy=#name}) that tells a test how each poll ended: Camel's default one says
 * nothing a test could wait for. It never asks for a poll to be retried at once, so the consumer goes on as with the
 * default strategy.
 */
public final class PollOutcomes implements PollingConsumerPollStrategy {

    private final IntConsumer succeeded;
    private final Consumer<Exception> failed;

    /**
     * @param succeeded gets the number of messages of each poll that succeeded
     * @param failed    gets the failure of each poll that failed
     */
    public PollOutcomes(IntConsumer succeeded, Consumer<Exception> failed) {
        this.succeeded = succeeded;
        this.failed = failed;
    }

    /** Reports only the polls that failed. */
    public static PollOutcomes onFailure(Consumer<Exception> failed) {
        return new PollOutcomes(polled -> { }, failed);
    }

    /** Reports that a poll ended, whichever way. */
    public static PollOutcomes onEveryPoll(Runnable ended) {
        return new PollOutcomes(polled -> ended.run(), cause -> ended.run());
    }

    @Override
    public boolean begin(org.apache.camel.Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(org.apache.camel.Consumer consumer, Endpoint endpoint, int polledMessages) {
        succeeded.accept(polledMessages);
    }

    @Override
    public boolean rollback(org.apache.camel.Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        failed.accept(cause);
        return false;
    }
}
