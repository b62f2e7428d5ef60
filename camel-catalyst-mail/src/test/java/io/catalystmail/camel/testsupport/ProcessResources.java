package io.catalystmail.camel.testsupport;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.catalystmail.camel.net.OperationDeadline;

/**
 * What this JVM holds that a long-running consumer or producer could leak: open descriptors (from /proc/self/fd,
 * sockets, pipes, files, epoll instances), live threads, and the tasks queued on the component's deadline timer.
 * A leak test ({@link LeakCheck}) takes a {@link #quietest snapshot} once the scenario has warmed up (threads of
 * pools started, classes and jars loaded), runs the scenario more times, and {@link #awaitBackTo waits} for the
 * counts to come back: a client socket that is never closed, a thread per failed poll or a timer task per connection
 * never does.
 *
 * <p>Descriptors are counted by kind ("socket", "pipe", "anon_inode:[eventpoll]"), regular files by path, so a leaked
 * temp file is named; threads by name with digits folded ("Camel (camel-#) thread #"). Threads that come and go on
 * their own (the common fork-join pool's workers) are left out. Linux only, as CI is.
 */
public final class ProcessResources {

    private static final File FDS = new File("/proc/self/fd");

    /** Threads that appear and retire with no relation to the code under test. */
    private static final List<String> TRANSIENT_THREADS = List.of("ForkJoinPool.commonPool-worker", "Attach Listener",
            "awaitility");

    /** Counts by kind of the open descriptors, by folded name of the live threads, and the queued deadline tasks. */
    public record Snapshot(Map<String, Integer> descriptors, Map<String, Integer> threads,
            Map<String, Integer> timerTasks) {

        public int descriptorTotal() {
            return descriptors.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** What this snapshot holds beyond {@code before}: "+2 socket, +1 thread 'CatalystMailIdle'"; empty: nothing. */
        public String beyond(Snapshot before) {
            List<String> more = new ArrayList<>();
            excess(before.descriptors, descriptors, "", more);
            excess(before.threads, threads, "thread ", more);
            excess(before.timerTasks, timerTasks, "deadline timer task of ", more);
            return String.join(", ", more);
        }

        /** Key by key the lesser count of the two (a key missing from either counts 0). */
        Snapshot least(Snapshot other) {
            return new Snapshot(lesser(descriptors, other.descriptors), lesser(threads, other.threads),
                    lesser(timerTasks, other.timerTasks));
        }

        private static Map<String, Integer> lesser(Map<String, Integer> a, Map<String, Integer> b) {
            Map<String, Integer> least = new TreeMap<>();
            a.forEach((key, count) -> {
                int min = Math.min(count, b.getOrDefault(key, 0));
                if (min > 0) {
                    least.put(key, min);
                }
            });
            return least;
        }

        private static void excess(Map<String, Integer> before, Map<String, Integer> now, String label,
                List<String> out) {
            now.forEach((key, count) -> {
                int extra = count - before.getOrDefault(key, 0);
                if (extra > 0) {
                    out.add("+" + extra + " " + label + "'" + key + "'");
                }
            });
        }
    }

    private static final Pattern WRAPPED_TASK = Pattern.compile("task = ([\\w.]+?)(\\$\\$Lambda|@|\\])");
    private static final long SAMPLE_EVERY_NANOS = Duration.ofMillis(20).toNanos();

    private ProcessResources() {
    }

    public static Snapshot now() {
        return new Snapshot(descriptors(), threads(), timerTasks());
    }

    /**
     * The least the JVM held, key by key, over {@code window} of checks every 20 ms: with a consumer polling every
     * few milliseconds, its state between two polls (no connection open, the timer idle), which a single snapshot
     * taken in the middle of a poll would overstate.
     */
    public static Snapshot quietest(Duration window) {
        long end = System.nanoTime() + window.toNanos();
        Snapshot least = now();
        while (System.nanoTime() - end < 0) {
            LockSupport.parkNanos(SAMPLE_EVERY_NANOS); // the sampling rate, not a wait for a result
            least = least.least(now());
        }
        return least;
    }

    /**
     * Waits until the JVM holds no more than {@code before} did (fewer is fine: a pool may retire a thread), failing
     * with what is left over and the component's thread stacks.
     */
    public static void awaitBackTo(Snapshot before, Duration limit, Supplier<String> after) {
        Snapshot[] last = new Snapshot[1];
        Eventually.await(limit, () -> {
            last[0] = now();
            return last[0].beyond(before).isEmpty();
        }, () -> "after " + after.get() + "\nthe JVM still holds " + last[0].beyond(before) + " ("
                 + before.descriptorTotal() + " descriptors before, " + last[0].descriptorTotal() + " now)\n"
                 + ConsumerThreads.dump());
    }

    private static Map<String, Integer> descriptors() {
        Map<String, Integer> kinds = new TreeMap<>();
        String[] names = FDS.list(); // an array, not a stream: nothing to close, and no descriptor of its own after
        if (names == null) {
            throw new IllegalStateException("no " + FDS + ": the leak tests need Linux");
        }
        for (String name : names) {
            String target;
            try {
                target = Files.readSymbolicLink(Path.of(FDS.getPath(), name)).toString();
            } catch (IOException closedMeanwhile) {
                continue; // includes the descriptor list() itself held while reading the directory
            }
            kinds.merge(kindOf(target), 1, Integer::sum);
        }
        return kinds;
    }

    /** "socket:[4711]" is a socket, "pipe:[815]" a pipe; anything else (a file, "anon_inode:[eventpoll]") by name. */
    private static String kindOf(String target) {
        int bracket = target.indexOf(":[");
        return bracket > 0 && !target.startsWith("anon_inode") ? target.substring(0, bracket) : target;
    }

    private static Map<String, Integer> threads() {
        Map<String, Integer> names = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive() && TRANSIENT_THREADS.stream().noneMatch(name::startsWith)) {
                names.merge(name.replaceAll("\\d+", "#"), 1, Integer::sum);
            }
        }
        return names;
    }

    /**
     * The tasks waiting on the JVM-wide timer of {@link OperationDeadline} (deadlines, watchdogs), by the class that
     * scheduled them: a queued task's text names the task it wraps ("...[Wrapped task = a.b.C$$Lambda$12/0x..@1f]").
     */
    private static Map<String, Integer> timerTasks() {
        ScheduledThreadPoolExecutor timer;
        try {
            Field field = OperationDeadline.class.getDeclaredField("TIMER");
            field.setAccessible(true);
            timer = (ScheduledThreadPoolExecutor) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("OperationDeadline has no TIMER any more: update this test support", e);
        }
        Map<String, Integer> kinds = new TreeMap<>();
        for (Runnable task : timer.getQueue().toArray(new Runnable[0])) {
            kinds.merge(scheduler(task.toString()), 1, Integer::sum);
        }
        return kinds;
    }

    private static String scheduler(String task) {
        Matcher m = WRAPPED_TASK.matcher(task);
        return m.find() ? m.group(1) : "?";
    }
}
