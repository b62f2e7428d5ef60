package io.catalystmail.camel;

import java.util.concurrent.atomic.AtomicInteger;

import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * A sweep whose close throws does not end the sweeping: before, the scheduled executor ran the task that threw never
 * again, and every later idle connection stayed open, holding its place in the pool.
 */
class IdleConnectionSweeperTest {

    @Test
    void aSweepThatThrowsIsFollowedByTheNextOne() throws Exception {
        AtomicInteger sweeps = new AtomicInteger();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            IdleConnectionSweeper sweeper = IdleConnectionSweeper.start(context, this, "SweeperTest", 2000, () -> {
                if (sweeps.incrementAndGet() == 1) {
                    throw new IllegalStateException("a close that throws");
                }
            });
            try {
                // every second (half of idleTimeout=2000): the second sweep comes about a second after the first
                Eventually.await(java.time.Duration.ofSeconds(20), () -> sweeps.get() >= 2,
                        () -> sweeps.get() + " sweep(s)");
            } finally {
                sweeper.stop();
            }
        }
    }
}
