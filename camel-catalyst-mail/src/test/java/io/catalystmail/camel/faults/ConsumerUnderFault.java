package io.catalystmail.camel.faults;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FaultProxy.Fault;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.ScheduledPollConsumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.params.provider.Arguments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A consumer route over a {@link FaultProxy} that counts, per Subject, how often each message was processed,
 * and checks the matrix's invariants while it waits for recovery: a message gone from the server was processed
 * first; with an idempotent repository none is processed twice; in the end every message was processed and the
 * mailbox is empty.
 */
final class ConsumerUnderFault implements AutoCloseable {

    /** The consumer matrices' cells: every step, cut and stalled, without and with an idempotent repository. */
    static Stream<Arguments> cells(Enum<?>[] steps) {
        Stream.Builder<Arguments> cells = Stream.builder();
        for (Enum<?> step : steps) {
            for (Fault fault : List.of(Fault.CUT, Fault.STALL)) {
                cells.add(Arguments.of(step, fault, false));
                cells.add(Arguments.of(step, fault, true));
            }
        }
        return cells.build();
    }

    /** Long enough for a read timeout, a failed poll and a clean one on a loaded machine; short enough to show a hang. */
    static final Duration RECOVERY = Duration.ofSeconds(15);

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final Map<String, Integer> processed = new ConcurrentHashMap<>();

    ConsumerUnderFault(String uri, IdempotentRepository repository) throws Exception {
        if (repository != null) {
            context.getRegistry().bind("processedIds", repository);
        }
        String endpoint = uri + (repository != null ? "&idempotentRepository=#processedIds" : "");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).routeId("faulty").process(e -> processed.merge(
                        e.getMessage().getHeader("Subject", String.class), 1, Integer::sum));
            }
        });
    }

    ConsumerUnderFault start() {
        context.start();
        return this;
    }

    DefaultCamelContext context() {
        return context;
    }

    /** How often each subject was processed so far. */
    Map<String, Integer> processed() {
        return new TreeMap<>(processed);
    }

    /**
     * Polls until every message in {@code all} was processed and {@code onServer} is empty, failing at once when a
     * message is gone from the server without having been processed, or was processed twice while
     * {@code exactlyOnce} (an idempotent repository, or a fault before anything was routed).
     */
    void awaitRecovery(Set<String> all, Supplier<Set<String>> onServer, boolean exactlyOnce) {
        Set<String> left = new HashSet<>();
        Eventually.await(RECOVERY, () -> {
            // look at the server first: a message is recorded before its deletion is sent, so one missing from the
            // server now must be in the record read after
            left.clear();
            left.addAll(onServer.get());
            Map<String, Integer> seen = processed();
            for (String subject : all) {
                if (!left.contains(subject) && !seen.containsKey(subject)) {
                    fail("message '" + subject + "' was deleted without being processed; processed " + seen
                         + ", on the server " + left);
                }
                if (exactlyOnce && seen.getOrDefault(subject, 0) > 1) {
                    fail("message '" + subject + "' was processed " + seen.get(subject) + " times where this cell "
                         + "guarantees once: " + seen);
                }
            }
            return left.isEmpty() && seen.keySet().containsAll(all);
        }, () -> "no recovery: processed " + processed() + ", still on the server " + left);
        assertEquals(all, processed().keySet(), "processed exactly the messages delivered");
        processed().values().forEach(n -> assertTrue(n >= 1));
    }

    @Override
    public void close() {
        // Camel's shutdown re-checks a consumer caught mid-poll only after a second: stop between two polls
        if (context.getRoute("faulty").getConsumer() instanceof ScheduledPollConsumer poller) {
            try {
                Awaitility.await().atMost(Duration.ofSeconds(5)).pollInSameThread().until(() -> !poller.isPolling());
            } catch (ConditionTimeoutException stillPolling) {
                // stop anyway: the context's shutdown then waits for the poll itself
            }
        }
        context.stop();
    }
}
