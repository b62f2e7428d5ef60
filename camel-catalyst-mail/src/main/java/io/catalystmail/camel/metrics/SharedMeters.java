package io.catalystmail.camel.metrics;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The meters of one endpoint's statistics, shared by every producer (or consumer) of that endpoint: Micrometer
 * registers a meter once per name and tags, so they are bound when the first user starts and removed when the last
 * one stops, not when the first of several stops.
 */
public final class SharedMeters {

    private final Supplier<MeterBinding.Unbind> binder;
    private int users;
    private MeterBinding.Unbind bound;

    public SharedMeters(Supplier<MeterBinding.Unbind> binder) {
        this.binder = binder;
    }

    /** Binds the meters if nobody uses them yet; the returned handle releases this use once. */
    public synchronized MeterBinding.Unbind acquire() {
        if (users++ == 0) {
            bound = binder.get();
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                release();
            }
        };
    }

    private synchronized void release() {
        if (--users == 0) {
            bound.unbind();
            bound = null;
        }
    }
}
