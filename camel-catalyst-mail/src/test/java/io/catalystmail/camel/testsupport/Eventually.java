package io.catalystmail.camel.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Waits for a condition by checking it until a deadline (through Awaitility, as Camel's own tests do): tests never
 * wait a fixed time for mail to arrive. The condition runs on the test's thread, so an assertion failing inside it
 * fails the test at once.
 */
public final class Eventually {

    /** The limit of {@link #await(BooleanSupplier, Supplier)}. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(20);

    private static final Duration CHECK_EVERY = Duration.ofMillis(20);

    private Eventually() {
    }

    public static void await(Duration limit, BooleanSupplier condition, Supplier<String> describe) {
        try {
            Awaitility.await()
                    .atMost(limit)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(CHECK_EVERY)
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            fail("not within " + limit + ": " + describe.get());
        }
    }

    public static void await(BooleanSupplier condition, Supplier<String> describe) {
        await(DEFAULT_LIMIT, condition, describe);
    }
}
