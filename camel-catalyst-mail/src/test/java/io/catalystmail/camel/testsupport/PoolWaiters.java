package io.catalystmail.camel.testsupport;

import java.util.Arrays;

import io.catalystmail.camel.pool.ConnectionPool;

/** Threads parked in a {@link ConnectionPool}, waiting for a connection to come free. */
public final class PoolWaiters {

    private PoolWaiters() {
    }

    public static long count() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getState() == Thread.State.TIMED_WAITING)
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("acquire")
                        && f.getClassName().equals(ConnectionPool.class.getName())))
                .count();
    }
}
