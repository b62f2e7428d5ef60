package io.catalystmail.camel.net;

import java.lang.ref.WeakReference;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.catalystmail.camel.testsupport.Eventually;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionDeadlineTest {

    private static final String SERVER = "SMTP server mail.example.test:25";

    @Test
    void operationsOneAfterAnotherShareOneWatchdogInsteadOfATimerTaskEach() {
        AtomicInteger closed = new AtomicInteger();
        ConnectionDeadline deadline = new ConnectionDeadline(SERVER, closed::incrementAndGet);
        for (int i = 0; i < 10_000; i++) {
            deadline.arm("a mail transaction", "sendTimeout", Duration.ofMinutes(5));
            deadline.disarm();
        }
        assertEquals(1, deadline.watchdogsScheduled(), "10,000 transactions within their limit share one watchdog");
        assertEquals(0, closed.get());
        assertNull(deadline.expired());
    }

    @Test
    void anOperationPastItsLimitHasTheConnectionClosedFromTheTimerThreadAndSaysSo() {
        Set<String> closedBy = ConcurrentHashMap.newKeySet();
        ConnectionDeadline deadline = new ConnectionDeadline(SERVER,
                () -> closedBy.add(Thread.currentThread().getName()));
        deadline.arm("a mail transaction", "sendTimeout", Duration.ofMillis(200));
        // the deadline is marked expired before the connection is closed: wait for the close, not the mark
        Eventually.await(Duration.ofSeconds(60), () -> !closedBy.isEmpty(), () -> "the transaction was never cut");
        assertEquals(Set.of("catalystmail-deadlines"), closedBy, "closed once, by the deadlines' timer thread");
        SocketTimeoutException timeout = deadline.expired().timeout(new java.io.IOException("Socket closed"));
        assertEquals(SERVER + " did not complete a mail transaction within 200 ms (sendTimeout); the connection was "
                + "dropped", timeout.getMessage());
        assertEquals("a mail transaction", deadline.expired().operation());
    }

    /**
     * The watchdog sleeps for the login's long limit; the transaction after it has a short one, which must still be
     * enforced at its own due time and not when the watchdog would next have woken.
     */
    @Test
    void aShorterLimitAfterALongerOneIsEnforcedOnTime() {
        AtomicInteger closed = new AtomicInteger();
        ConnectionDeadline deadline = new ConnectionDeadline(SERVER, closed::incrementAndGet);
        deadline.arm("the login", "loginTimeout", Duration.ofHours(1));
        deadline.disarm();
        deadline.arm("a mail transaction", "sendTimeout", Duration.ofMillis(200));
        Eventually.await(Duration.ofMinutes(2), () -> closed.get() == 1,
                () -> "the transaction's 200 ms limit was not enforced while the watchdog slept for an hour");
        assertEquals("a mail transaction", deadline.expired().operation());
    }

    /** The watchdog wakes for an operation that has ended and a new one has begun: it watches the new one. */
    @Test
    void anOperationThatEndedInTimeIsNotCutAndTheNextOneIsWatched() {
        AtomicInteger closed = new AtomicInteger();
        ConnectionDeadline deadline = new ConnectionDeadline(SERVER, closed::incrementAndGet);
        // long enough that the disarm right after it comes first even on a loaded machine: at 50 ms a test thread
        // descheduled between the two lines let the watchdog cut the 'login' (one failure in a full verify, load 14)
        deadline.arm("the login", "loginTimeout", Duration.ofSeconds(1));
        deadline.disarm();
        deadline.arm("a mail transaction", "sendTimeout", Duration.ofMinutes(10));
        Eventually.await(Duration.ofSeconds(60), () -> deadline.watchdogsScheduled() >= 2,
                () -> "the watchdog did not wake for the login's due time");
        assertEquals(0, closed.get(), "the login ended in time and the transaction is within its limit");
        assertNull(deadline.expired());
        deadline.disarm();
    }

    @Test
    void aWatchdogThatFoundNothingRunningComesBackWithTheNextOperation() {
        AtomicInteger closed = new AtomicInteger();
        ConnectionDeadline deadline = new ConnectionDeadline(SERVER, closed::incrementAndGet);
        deadline.arm("the login", "loginTimeout", Duration.ofMillis(20));
        deadline.disarm();
        // the watchdog wakes, finds nothing running and goes away; the next operation schedules it again
        Eventually.await(Duration.ofSeconds(60), () -> {
            deadline.arm("a mail transaction", "sendTimeout", Duration.ofMillis(100));
            boolean rescheduled = deadline.watchdogsScheduled() >= 2;
            if (!rescheduled) {
                deadline.disarm();
            }
            return rescheduled;
        }, () -> "the watchdog never came back");
        // awaited on the running operation, not on the close count: under load the thread can stall between an
        // attempt's check and its disarm long enough for that attempt's transaction to be cut, and then disarmed
        Eventually.await(Duration.ofSeconds(60), () -> deadline.expired() != null,
                () -> "the transaction was never cut");
        assertEquals("a mail transaction", deadline.expired().operation());
        assertTrue(closed.get() >= 1, "the connection was closed as the transaction was cut");
    }

    /**
     * A connection closed while an operation was armed (a session dropped on a failure, a stopping consumer): the
     * deadline must not close it again later. The timer has one thread and runs its tasks in due order, so a task
     * due after the operation's limit is the point by which the watchdog would have fired.
     */
    @Test
    void aClosedConnectionIsNeverCutLater() throws InterruptedException {
        AtomicInteger closed = new AtomicInteger();
        ConnectionDeadline deadline = new ConnectionDeadline(SERVER, closed::incrementAndGet);
        deadline.arm("a mail transaction", "sendTimeout", Duration.ofMillis(50));
        deadline.close();
        CountDownLatch pastTheLimit = new CountDownLatch(1);
        OperationDeadline.runLater(pastTheLimit::countDown, TimeUnit.MILLISECONDS.toNanos(200));
        Eventually.await(Duration.ofSeconds(60), () -> pastTheLimit.getCount() == 0, () -> "the timer never ran");
        assertEquals(0, closed.get(), "the watchdog closed a connection that was closed already");
        assertNull(deadline.expired());
    }

    /**
     * Before close() existed, a connection's watchdog stayed in the timer's queue until the longest limit armed had
     * passed (minutes for sendTimeout or fetchTimeout), holding the connection through {@code onExpiry}: a sender or
     * consumer reconnecting every few seconds kept every dropped connection's objects alive meanwhile.
     */
    @Test
    void aClosedConnectionIsNotHeldByTheTimer() {
        WeakReference<Object> connection = closedWhileArmedForAnHour();
        Eventually.await(Duration.ofSeconds(60), () -> {
            System.gc();
            return connection.get() == null;
        }, () -> "the timer still holds a closed connection whose limit is an hour away");
    }

    private static WeakReference<Object> closedWhileArmedForAnHour() {
        Object connection = new Object();
        ConnectionDeadline deadline = new ConnectionDeadline(SERVER, connection::notifyAll);
        deadline.arm("a mail transaction", "sendTimeout", Duration.ofHours(1));
        deadline.close();
        return new WeakReference<>(connection);
    }

    /** The close that follows a cut operation must not hide why it failed. */
    @Test
    void aCutOperationIsStillNamedAfterTheClose() {
        AtomicInteger closed = new AtomicInteger();
        ConnectionDeadline deadline = new ConnectionDeadline(SERVER, closed::incrementAndGet);
        deadline.arm("the login", "loginTimeout", Duration.ofMillis(50));
        Eventually.await(Duration.ofSeconds(60), () -> closed.get() == 1, () -> "the login was never cut");
        deadline.close();
        assertEquals("the login", deadline.expired().operation());
    }
}
