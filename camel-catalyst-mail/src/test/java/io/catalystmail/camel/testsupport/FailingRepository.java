package io.catalystmail.camel.testsupport;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;

/**
 * An in-memory idempotent repository whose {@code add} fails for the keys chosen, as a repository whose database
 * is down does: the route has processed the message, and the failure comes from recording it.
 */
public final class FailingRepository extends MemoryIdempotentRepository {

    /** The failure's message. */
    public static final String DOWN = "the repository's database is down";

    private final Predicate<String> failing;

    private FailingRepository(Predicate<String> failing) {
        this.failing = failing;
    }

    /** Fails the first add, whatever its key; the rest succeed. */
    public static FailingRepository failingOnce() {
        AtomicBoolean first = new AtomicBoolean(true);
        return new FailingRepository(key -> first.getAndSet(false));
    }

    /** Fails every add of a key {@code failing} picks. */
    public static FailingRepository failingFor(Predicate<String> failing) {
        return new FailingRepository(failing);
    }

    @Override
    public boolean add(String key) {
        if (failing.test(key)) {
            throw new IllegalStateException(DOWN);
        }
        return super.add(key);
    }
}
