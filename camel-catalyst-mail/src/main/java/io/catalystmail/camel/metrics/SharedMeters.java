package io.catalystmail.camel.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.catalystmail.camel.auth.AccountTag;
import org.apache.camel.CamelContext;

/**
 * A component's meters, one set per kind, {@code endpointName} and {@code account}: endpoints of one user on one
 * server (or folder) that differ in other options ({@code to}, {@code subject}, {@code delay}) get the same meter
 * names and tags, so they are counted together (see {@link MeterGroup}); another user's get meters of their own. The
 * meters are bound when the first endpoint of a group starts and removed when its last one stops, not when the first
 * of several stops.
 */
public final class SharedMeters {

    private final Map<String, Bound<?>> groups = new HashMap<>();

    /**
     * Counts a starting consumer in the meters of its folder and user ({@link AccountTag}); the returned handle
     * stops counting it, once.
     */
    public MeterBinding.Unbind mailbox(CamelContext context, MailboxStatistics statistics, String account) {
        return acquire("consumer " + statistics.mailbox() + " " + account, statistics,
                group -> MeterBinding.bindMailbox(context, statistics.mailbox(), account, group));
    }

    /** Counts a starting producer in the meters of its server and user; the handle stops counting it, once. */
    public MeterBinding.Unbind submission(CamelContext context, SubmissionStatistics statistics, String account) {
        return acquire("producer " + statistics.server() + " " + account, statistics,
                group -> MeterBinding.bindSubmission(context, statistics.server(), account, group));
    }

    private synchronized <S> MeterBinding.Unbind acquire(String key, S statistics,
            Function<MeterGroup<S>, MeterBinding.Unbind> binder) {
        @SuppressWarnings("unchecked")
        Bound<S> bound = (Bound<S>) groups.get(key);
        if (bound == null) {
            MeterGroup<S> group = new MeterGroup<>();
            bound = new Bound<>(group, binder.apply(group));
            groups.put(key, bound);
        }
        bound.group.start(statistics);
        Bound<S> taken = bound;
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                release(key, taken, statistics);
            }
        };
    }

    private synchronized <S> void release(String key, Bound<S> bound, S statistics) {
        if (bound.group.stop(statistics) && groups.get(key) == bound) {
            groups.remove(key);
            bound.meters.unbind();
        }
    }

    private record Bound<S>(MeterGroup<S> group, MeterBinding.Unbind meters) {
    }
}
