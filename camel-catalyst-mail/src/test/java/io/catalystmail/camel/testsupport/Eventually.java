package io.catalystmail.camel.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits for a condition by polling it until a deadline: tests never sleep a fixed time for mail to arrive. */
public final class Eventually {

    private Eventually() {
    }

    public static void await(Duration limit, BooleanSupplier condition, Supplier<String> describe) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + limit + ": " + describe.get());
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting: " + describe.get());
            }
        }
    }

    public static void await(BooleanSupplier condition, Supplier<String> describe) {
        await(Duration.ofSeconds(20), condition, describe);
    }
}
