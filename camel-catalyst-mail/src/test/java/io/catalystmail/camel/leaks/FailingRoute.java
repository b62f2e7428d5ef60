package io.catalystmail.camel.leaks;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.concurrent.atomic.AtomicReference;

import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.ConsumerThreads;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.GreenMailCertificates;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ExceptionHandler;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A consumer route that fails over and over, and counts how often: each poll's failure (through the consumer's
 * exception handler) and each exchange the route fails ({@code failInRoute}). The leak tests let it fail a few times
 * to warm up, take a snapshot of the JVM's resources, let it fail many more times and compare.
 */
final class FailingRoute implements AutoCloseable {

    /** Polls back to back: a leak of one descriptor per poll shows within seconds. */
    static final String FAST_POLLS = "&initialDelay=0&delay=20&pollSummaryLoggingLevel=OFF";

    /** Long enough for dozens of failed polls (a read timeout each) on a loaded two-core machine. */
    private static final Duration FAILURES_DEADLINE = Duration.ofSeconds(90);

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<Throwable> last = new AtomicReference<>();

    FailingRoute(String uri, boolean failInRoute) throws Exception {
        context.getRegistry().bind("failures", new CountingHandler());
        context.getRegistry().bind("greenMailTrust", GreenMailCertificates.trustParameters());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri + FAST_POLLS + "&exceptionHandler=#failures").routeId("failing")
                        .errorHandler(defaultErrorHandler().logExhausted(false).logStackTrace(false))
                        .process(e -> {
                            if (failInRoute) {
                                IllegalStateException failure = new IllegalStateException("the route fails (leak test)");
                                failed(failure);
                                throw failure;
                            }
                        });
            }
        });
    }

    private void failed(Throwable t) {
        last.set(t);
        failures.incrementAndGet();
    }

    /** Counts, and keeps only the last: hundreds of kept exceptions would be a leak of the test's own. */
    private final class CountingHandler implements ExceptionHandler {

        @Override
        public void handleException(Throwable exception) {
            failed(exception);
        }

        @Override
        public void handleException(String message, Throwable exception) {
            failed(exception);
        }

        @Override
        public void handleException(String message, Exchange exchange, Throwable exception) {
            failed(exception);
        }
    }

    FailingRoute start() {
        context.start();
        return this;
    }

    DefaultCamelContext context() {
        return context;
    }

    /**
     * Waits until {@code more} further failures were counted, or, where the failure is no failed poll (a dropped
     * IDLE), until {@code progress} (the proxy's connections, say) grew by that much; null: the failures.
     */
    void awaitFailures(int more, IntSupplier progress) {
        IntSupplier count = progress != null ? progress : failures::get;
        int target = count.getAsInt() + more;
        Eventually.await(FAILURES_DEADLINE, () -> count.getAsInt() >= target,
                () -> count.getAsInt() + " of " + target + "; the last failure: " + last.get() + "\n"
                      + ConsumerThreads.dump());
    }

    /** The last failure's message, to show a scenario fails the way it means to. */
    String lastFailure() {
        Throwable t = last.get();
        return t == null ? "" : CapturedExceptions.fullText(t);
    }

    @Override
    public void close() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), context::stop, "the context did not stop");
    }
}
