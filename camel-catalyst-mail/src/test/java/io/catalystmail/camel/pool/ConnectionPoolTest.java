package io.catalystmail.camel.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.PoolWaiters;
import org.junit.jupiter.api.Test;

/**
 * The pool's waiting order, which no server can show: with every connection busy, exchanges are served in the
 * order they began to wait; and a close that breaks its promise not to throw, which no server can make happen.
 */
class ConnectionPoolTest {

    private static long waiting() {
        return PoolWaiters.count();
    }

    /** A pool of numbered connections (1, 2, ... as opened), always reusable, closed by {@code close}. */
    private static ConnectionPool<Integer> pool(AtomicInteger opened, java.util.function.Consumer<Integer> close,
            ConnectionPool.Limits limits) {
        return new ConnectionPool<>(new ConnectionPool.Connections<>() {
            @Override
            public Integer open() {
                return opened.incrementAndGet();
            }

            @Override
            public boolean reusable(Integer connection, long idleNanos) {
                return true;
            }

            @Override
            public void close(Integer connection) {
                close.accept(connection);
            }
        }, limits);
    }

    @Test
    void exchangesWaitingForABusyConnectionGetItInTheOrderTheyCame() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        ConnectionPool<Integer> pool = pool(opened, connection -> { }, new ConnectionPool.Limits(60_000, 1, 60_000,
                "test://server"));
        ExecutorService borrowers = Executors.newFixedThreadPool(5);
        try {
            Integer held = pool.borrow().connection();
            List<Integer> served = new CopyOnWriteArrayList<>();
            List<CompletableFuture<Void>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                all.add(CompletableFuture.runAsync(() -> {
                    try {
                        Integer c = pool.borrow().connection();
                        served.add(n);
                        pool.giveBack(c);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, borrowers));
                // the next one comes only once this one waits
                Eventually.await(() -> waiting() == n + 1, () -> waiting() + " waiting, expected " + (n + 1));
            }
            pool.giveBack(held);
            for (CompletableFuture<Void> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(List.of(0, 1, 2, 3, 4), served);
            assertEquals(1, opened.get(), "one connection served them all");
        } finally {
            borrowers.shutdownNow();
            pool.close();
        }
    }

    @Test
    void aCloseThatThrowsStillFreesTheSlotsOfTheOtherExpiredConnections() throws Exception {
        List<Integer> closeTried = new CopyOnWriteArrayList<>();
        ConnectionPool<Integer> pool = pool(new AtomicInteger(), connection -> {
            closeTried.add(connection);
            if (closeTried.size() == 1) {
                throw new IllegalStateException("close of connection " + connection + " broke");
            }
        }, new ConnectionPool.Limits(0, 2, 60_000, "test://server"));
        Integer first = pool.borrow().connection();
        Integer second = pool.borrow().connection();
        pool.giveBack(first);
        pool.giveBack(second);
        long givenBack = System.nanoTime();
        Eventually.await(() -> System.nanoTime() - givenBack > 1_000_000, () -> "a millisecond to pass");

        IllegalStateException thrown = assertThrows(IllegalStateException.class, pool::closeExpired);

        assertEquals(2, closeTried.size(), "both expired connections closed, not only the first: " + closeTried);
        assertEquals(0, pool.idleCount(), "idle");
        assertEquals(0, pool.openCount(), "open after " + thrown.getMessage());
        pool.close();
    }

    @Test
    void aCloseThatThrowsWhenANewConnectionTakesAnIdleOnesSlotStillLendsTheNewOne() throws Exception {
        ConnectionPool<Integer> pool = pool(new AtomicInteger(), connection -> {
            throw new IllegalStateException("close of connection " + connection + " broke");
        }, new ConnectionPool.Limits(60_000, 1, 60_000, "test://server"));
        pool.giveBack(pool.borrow().connection());

        ConnectionPool.Lease<Integer> fresh = pool.borrowNew();

        assertEquals(2, fresh.connection(), "a new connection in the idle one's slot");
        assertEquals(1, pool.openCount(), "open");
        assertThrows(IllegalStateException.class, () -> pool.discard(fresh.connection()));
        assertEquals(0, pool.openCount(), "open after the new one is discarded");
    }
}
