package io.catalystmail.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;

/**
 * The poll strategy of a consume run's one route: lets its scheduled polls through only while a batch of messages is
 * due, starts the batch's clock when the first of them begins, and counts the messages of the polls that finished.
 * Both components call {@link #commit} only after {@code poll()} returned, that is after the route processed the
 * messages and the server was told to delete them, so a batch ends when the work is really done. Between batches
 * every poll is refused at {@link #begin}: the driver refills the mailbox then, and a poll running meanwhile would
 * take messages meant for the next batch. One route thread polls at a time, so once a batch's last poll has
 * committed no other is running.
 */
final class PollGate implements PollingConsumerPollStrategy {

    static final String BEAN_NAME = "benchmarkPollGate";

    private int due;
    private int done;
    private WorkloadMain.Phase phase;
    private List<Integer> servers = List.of();
    private MeasurementStart start;
    private Exception failure;

    /**
     * Lets polls through until {@code messages} more have been consumed; the clock starts when the first of them
     * begins, not now: the wait for the route's next scheduled tick (up to its delay) is the harness's, not the
     * component's. {@code phase} is null for a warm-up batch; {@code servers} are the mail servers measured with it.
     */
    synchronized void open(int messages, WorkloadMain.Phase phase, List<Integer> servers) {
        this.due = messages;
        this.done = 0;
        this.phase = phase;
        this.servers = servers;
        this.start = null;
        this.failure = null;
    }

    @Override
    public synchronized boolean begin(Consumer consumer, Endpoint endpoint) {
        if (done >= due || failure != null) {
            return false;
        }
        if (start == null) {
            start = MeasurementStart.now(phase, servers);
        }
        return true;
    }

    @Override
    public synchronized void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        done += polledMessages;
        notifyAll();
    }

    @Override
    public synchronized boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        failure = cause;
        notifyAll();
        // no retry inside the poll, and no poll after it: a failed poll spoils the batch, which fails the run
        return false;
    }

    /** Ends the batch at once with {@code cause} (the route failed on an exchange). */
    synchronized void fail(Exception cause) {
        if (failure == null) {
            failure = cause;
        }
        notifyAll();
    }

    /**
     * Waits until the open batch's polls have consumed its messages and returns where its clock started; throws when
     * a poll or the route failed, or at {@code deadlineNanos}, saying how far it got. {@link #consumed()} then says
     * how many messages its polls took.
     */
    synchronized MeasurementStart awaitDone(long deadlineNanos, String during) throws InterruptedException {
        while (done < due && failure == null) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(during + "only " + done + " of " + due
                                                + " messages consumed in time");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (failure != null) {
            throw new IllegalStateException(during + "a poll or the route failed after " + done + " of " + due
                                            + " messages", failure);
        }
        return start;
    }

    /** Messages the open batch's finished polls consumed so far. */
    synchronized int consumed() {
        return done;
    }
}
