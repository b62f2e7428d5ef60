package io.catalystmail.camel.testsupport;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The shape every leak test shares: the scenario runs a few times to warm up (pools start their threads, the JVM
 * opens its jars, TLS loads its providers), the JVM's resources are read at their {@link ProcessResources#quietest
 * quietest}, the scenario runs some more times, and the JVM must come back to no more than it held then. A leak of
 * one descriptor, thread or timer task per run shows as many times over as the scenario ran after the snapshot; more
 * runs only catch a leak that happens on some runs and not others, at the price of CI time.
 *
 * @param warmUp runs before the snapshot
 * @param rounds runs after it
 * @param quiet  the window the snapshot takes the least over: long enough to see the JVM between two of the
 *               scenario's runs where they happen on their own (a consumer's polls); a window that misses that
 *               moment only makes the check more lenient, never flaky
 */
public record LeakCheck(int warmUp, int rounds, Duration quiet) {

    /**
     * For the proxy's and the servers' ends of the last connections to close after the client's ends: a limit, not a
     * wait (it costs time only when something leaked). One ProducerLeaksTest scenario (DOT_NEVER_ARRIVES) once took
     * 13 s in all at load 5, most of it waiting here.
     */
    private static final Duration SETTLE = Duration.ofSeconds(30);

    /** Runs {@code times} more of the scenario: cycles, sends, or failed polls waited for. */
    @FunctionalInterface
    public interface Scenario {
        void run(int times) throws Exception;
    }

    /**
     * Warms {@code scenario} up, takes the snapshot, runs it {@link #rounds} more times and waits for the JVM to be
     * back; fails with what it still holds, {@code what} the scenario did ("failed polls (SILENT)") and
     * {@code lastFailure} (read only then).
     */
    public void assertNothingLeft(Scenario scenario, String what, Supplier<String> lastFailure) throws Exception {
        scenario.run(warmUp);
        ProcessResources.Snapshot warm = ProcessResources.quietest(quiet);
        scenario.run(rounds);
        ProcessResources.awaitBackTo(warm, SETTLE, () -> rounds + " more " + what + lastFailureText(lastFailure));
    }

    private static String lastFailureText(Supplier<String> lastFailure) {
        String text = lastFailure == null ? "" : lastFailure.get();
        return text.isEmpty() ? "" : "; the last failure:\n" + text;
    }
}
