package io.catalystmail.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The results of all rounds, one row per workload and component: medians of the rounds that succeeded for
 * speed, maxima for memory, the ratio catalystmail / camel-mail of the median messages per second and each
 * component's ratio to the raw wire: the median over the rounds of its ratio to the wire run of the same round (the
 * pair), with the lowest and highest.
 */
final class ResultTable {

    private final List<RunResult> results = new ArrayList<>();
    private final List<Workload> workloads;
    private final List<ComponentUnderTest> components;
    private final String headingSuffix;
    /** The machine's load when the benchmark began, shown beside the load when the results were written. */
    private final String loadAtStart = ResultsFile.loadAverage();
    /** When the benchmark began, for how long it took (what to leave out when it takes too long). */
    private final long startedNanos = System.nanoTime();

    /** @param headingSuffix added to each workload's heading, saying which measurement of the runs the table holds */
    ResultTable(List<Workload> workloads, List<ComponentUnderTest> components, String headingSuffix) {
        this.workloads = workloads;
        this.components = components;
        this.headingSuffix = headingSuffix;
    }

    String loadAtStart() {
        return loadAtStart;
    }

    /** Minutes since the table was made, when the benchmark began. */
    double minutesSinceStart() {
        return (System.nanoTime() - startedNanos) / 60e9;
    }

    void add(RunResult result) {
        results.add(result);
    }

    List<RunResult> results() {
        return List.copyOf(results);
    }

    List<RunResult> of(Workload workload, ComponentUnderTest component) {
        return results.stream().filter(r -> r.workload() == workload && r.component() == component).toList();
    }

    Optional<Double> medianMessagesPerSecond(Workload workload, ComponentUnderTest component) {
        List<Double> speeds = of(workload, component).stream().filter(RunResult::ok)
                .map(RunResult::messagesPerSecond).toList();
        return speeds.isEmpty() ? Optional.empty() : Optional.of(median(speeds));
    }

    /** The median of values, the mean of the middle two for an even count. */
    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        for (Workload workload : workloads) {
            if (components.stream().allMatch(c -> of(workload, c).isEmpty())) {
                continue;
            }
            // one table per workload, so each compares the components with their wire and with each other
            sb.append("### ").append(workload.title()).append(headingSuffix);
            if (workload.wireReference() != null && workload.wireReference() != workload) {
                sb.append(" (vs wire: the wire of ").append(workload.wireReference().name()).append(')');
            }
            sb.append("\n\n");
            sb.append("| workload | component | msg/s | MiB/s | s/run | vs camel-mail | vs wire | CPU ms/msg | JIT ms/msg | server CPU ms/msg | alloc KiB/msg | GC/1k msg | GC ms/msg | peak heap MiB | peak RSS MiB | rounds ok | warm-up | notes |\n");
            sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
            for (ComponentUnderTest component : components) {
                List<RunResult> runs = of(workload, component);
                if (runs.isEmpty()) {
                    continue;
                }
                List<RunResult> ok = runs.stream().filter(RunResult::ok).toList();
                Optional<Double> speed = medianMessagesPerSecond(workload, component);
                String mibPerSecond = "–";
                String secondsPerRun = "–";
                if (speed.isPresent()) {
                    long messageBytes = ok.get(0).messageBytes();
                    mibPerSecond = format(speed.get() * messageBytes / (1024 * 1024));
                    secondsPerRun = format(ok.get(0).messages() / speed.get());
                }
                String ratio = "";
                if (component == ComponentUnderTest.CATALYSTMAIL && speed.isPresent()) {
                    ratio = medianMessagesPerSecond(workload, ComponentUnderTest.CAMEL_MAIL)
                            .map(camel -> format(speed.get() / camel) + "×").orElse("");
                }
                List<Pair> pairs = pairs(workload, component);
                String toWire = pairs.isEmpty() ? "" : medianAndSpread(pairs.stream().map(Pair::ratio).toList());
                double cpu = medianCpuMillis(workload, component);
                String cpuPerMessage = cpu < 0 ? "–" : format(cpu);
                List<Double> jit = ok.stream().map(RunResult::jitCpuMillisPerMessage).filter(c -> c >= 0).sorted()
                        .toList();
                String jitPerMessage = jit.isEmpty() ? "–" : format(jit.get(jit.size() / 2));
                String serverPerMessage = medianOf(ok, RunResult::serverCpuMillisPerMessage);
                List<Double> alloc = ok.stream().map(RunResult::allocatedKibPerMessage).filter(a -> a >= 0).sorted()
                        .toList();
                String allocPerMessage = alloc.isEmpty() ? "–" : format(alloc.get(alloc.size() / 2));
                String gcCount = medianOf(ok, RunResult::gcPerThousandMessages);
                String gcTime = medianOf(ok, RunResult::gcMillisPerMessage);
                String heap = ok.stream().map(RunResult::peakHeap).max(Comparator.naturalOrder())
                        .map(ResultTable::mib).orElse("–");
                String rss = ok.stream().map(RunResult::peakRss).max(Comparator.naturalOrder())
                        .map(ResultTable::mib).orElse("–");
                // the warm-up each round's JVM had, once for rounds that had the same
                String warmUp = ok.stream().map(r -> r.warmUp().describe()).distinct()
                        .reduce((a, b) -> a + "; " + b).orElse("–");
                String notes = runs.stream().filter(r -> !r.ok()).findFirst()
                        .map(r -> "round " + r.round() + ": " + shorten(r.failure())).orElse("");
                String loadMoved = loadMovedRounds(pairs);
                if (!loadMoved.isEmpty()) {
                    notes = (notes.isEmpty() ? "" : notes + "; ") + "the load moved a lot in the pair of round "
                            + loadMoved;
                }
                sb.append("| ").append(workload.name()).append(" | ").append(component.label()).append(" | ")
                        .append(speed.map(ResultTable::format).orElse("–")).append(" | ").append(mibPerSecond)
                        .append(" | ").append(secondsPerRun).append(" | ").append(ratio).append(" | ").append(toWire).append(" | ").append(cpuPerMessage).append(" | ")
                        .append(jitPerMessage).append(" | ").append(serverPerMessage).append(" | ").append(allocPerMessage).append(" | ").append(gcCount)
                        .append(" | ").append(gcTime).append(" | ").append(heap)
                        .append(" | ").append(rss).append(" | ").append(ok.size()).append('/').append(runs.size())
                        .append(" | ").append(warmUp).append(" | ").append(notes).append(" |\n");
            }
            sb.append('\n');
        }
        sb.append(roundByRound());
        sb.append(largeMailboxAgainstSmall());
        return sb.toString();
    }

    /**
     * A component's run and the wire's run of the same round, one after the other: they met the same machine within
     * a minute or two, so their ratio moves less than either figure.
     */
    record Pair(RunResult run, RunResult wire) {

        /**
         * A pair whose two measurements met loads this far apart is flagged: on the 2-core machine of these figures
         * one more busy process (a load higher by 1) takes half a core from whichever run met it, and a load 1.5
         * times the other is a different machine even when both are high.
         */
        static final double LOAD_MOVED_BY = 1.0;
        static final double LOAD_MOVED_FACTOR = 1.5;

        double ratio() {
            return run.messagesPerSecond() / wire.messagesPerSecond();
        }

        /** Whether the load when one measurement started was far from the load when the other did. */
        boolean loadMoved() {
            if (run.load() < 0 || wire.load() < 0) {
                return false;
            }
            double low = Math.min(run.load(), wire.load());
            double high = Math.max(run.load(), wire.load());
            return high - low >= LOAD_MOVED_BY && high > low * LOAD_MOVED_FACTOR;
        }
    }

    /** The component's successful runs that have a successful wire run of the same round, in round order. */
    List<Pair> pairs(Workload workload, ComponentUnderTest component) {
        if (component == ComponentUnderTest.WIRE || workload.wireReference() == null) {
            return List.of();
        }
        List<Pair> pairs = new ArrayList<>();
        for (RunResult run : of(workload, component)) {
            if (run.ok()) {
                of(workload.wireReference(), ComponentUnderTest.WIRE).stream()
                        .filter(w -> w.ok() && w.round() == run.round()).findFirst()
                        .ifPresent(w -> pairs.add(new Pair(run, w)));
            }
        }
        return pairs;
    }

    /** The rounds whose pair met loads far apart ("2, 3"), empty for none. */
    private static String loadMovedRounds(List<Pair> pairs) {
        return String.join(", ", pairs.stream().filter(Pair::loadMoved).map(p -> String.valueOf(p.run().round()))
                .toList());
    }

    /**
     * Where a component ran more than one round: each round's msg/s (with the load when its measurement started),
     * the median and the spread (lowest–highest), its ratio to the wire run of the same round, marked where the pair
     * met loads far apart, and the CPU figures round by round.
     */
    private String roundByRound() {
        StringBuilder sb = new StringBuilder();
        for (Workload workload : workloads) {
            for (ComponentUnderTest component : components) {
                List<RunResult> runs = of(workload, component);
                if (runs.size() > 1) {
                    sb.append(roundRow(workload, component, runs));
                }
            }
        }
        if (sb.isEmpty()) {
            return "";
        }
        return "### Round by round" + headingSuffix + "\n\n"
               + "Each round's figure in the order of the rounds (msg/s with the load average when the measurement"
               + " started), the median and lowest–highest; vs wire divides each round's msg/s by the wire's of the"
               + " same round (the pair, run one after the other), marked * where the pair met loads far apart (by "
               + format(Pair.LOAD_MOVED_BY) + " and " + format(Pair.LOAD_MOVED_FACTOR) + " times; the last column"
               + " gives them: this run's / the wire's).\n\n"
               + "| workload | component | msg/s by round (load) | median (lowest–highest) | vs wire by round"
               + " | median vs wire (lowest–highest) | load moved (run / wire) | CPU ms/msg by round"
               + " | server CPU ms/msg by round |\n"
               + "|---|---|---|---|---|---|---|---|---|\n" + sb + "\n";
    }

    private String roundRow(Workload workload, ComponentUnderTest component, List<RunResult> runs) {
        List<String> speeds = new ArrayList<>();
        List<Double> okSpeeds = new ArrayList<>();
        List<String> cpu = new ArrayList<>();
        List<String> serverCpu = new ArrayList<>();
        for (RunResult run : runs) {
            if (!run.ok()) {
                speeds.add("failed");
                continue;
            }
            speeds.add(format(run.messagesPerSecond()) + (run.load() < 0 ? "" : " (" + format(run.load()) + ")"));
            okSpeeds.add(run.messagesPerSecond());
            cpu.add(run.cpuMillisPerMessage() < 0 ? "–" : format(run.cpuMillisPerMessage()));
            serverCpu.add(run.serverCpuMillisPerMessage() < 0 ? "–" : format(run.serverCpuMillisPerMessage()));
        }
        List<Pair> pairs = pairs(workload, component);
        String moved = String.join(", ", pairs.stream().filter(Pair::loadMoved)
                .map(p -> "round " + p.run().round() + ": " + format(p.run().load()) + " / " + format(p.wire().load()))
                .toList());
        return "| " + workload.name() + " | " + component.label() + " | " + String.join(", ", speeds) + " | "
               + medianAndSpread(okSpeeds) + " | "
               + String.join(", ", pairs.stream().map(p -> format(p.ratio()) + (p.loadMoved() ? "*" : "")).toList())
               + " | " + medianAndSpread(pairs.stream().map(Pair::ratio).toList()) + " | " + moved + " | "
               + String.join(", ", cpu) + " | " + String.join(", ", serverCpu) + " |\n";
    }

    /** "median (lowest–highest)" of the values, "–" for none. */
    static String medianAndSpread(List<Double> values) {
        if (values.isEmpty()) {
            return "–";
        }
        double lowest = values.stream().min(Double::compare).orElseThrow();
        double highest = values.stream().max(Double::compare).orElseThrow();
        return format(median(values)) + (values.size() == 1 ? "" : " (" + format(lowest) + "–" + format(highest) + ")");
    }

    /**
     * Each component's cost per message from the large mailbox divided by that from a mailbox of the measured size
     * (wall time from the median msg/s, and CPU ms/msg), where both workloads ran; empty where none did.
     */
    private String largeMailboxAgainstSmall() {
        StringBuilder sb = new StringBuilder();
        for (Workload large : workloads) {
            Workload small = large.smallMailboxReference();
            if (small == null || !workloads.contains(small)) {
                continue;
            }
            for (ComponentUnderTest component : components) {
                Optional<Double> largeSpeed = medianMessagesPerSecond(large, component);
                Optional<Double> smallSpeed = medianMessagesPerSecond(small, component);
                if (largeSpeed.isEmpty() || smallSpeed.isEmpty()) {
                    continue;
                }
                double largeCpu = medianCpuMillis(large, component);
                double smallCpu = medianCpuMillis(small, component);
                sb.append("| ").append(large.name()).append(" / ").append(small.name()).append(" | ")
                        .append(component.label()).append(" | ").append(format(smallSpeed.get() / largeSpeed.get()))
                        .append("× | ").append(largeCpu > 0 && smallCpu > 0 ? format(largeCpu / smallCpu) + "×" : "–")
                        .append(" |\n");
            }
        }
        if (sb.isEmpty()) {
            return "";
        }
        return "### Large mailbox against one of the measured size" + headingSuffix + "\n\n"
               + "Time and CPU per message consuming from the large mailbox, divided by the same from a mailbox"
               + " holding only the messages consumed (issue 19 asks for at most 1.1×).\n\n"
               + "| workloads | component | time per message | CPU per message |\n|---|---|---:|---:|\n" + sb + "\n";
    }

    /** The median CPU ms per message of a workload's successful runs, or -1. */
    private double medianCpuMillis(Workload workload, ComponentUnderTest component) {
        List<Double> cpu = of(workload, component).stream().filter(RunResult::ok).map(RunResult::cpuMillisPerMessage)
                .filter(c -> c >= 0).sorted().toList();
        return cpu.isEmpty() ? -1 : cpu.get(cpu.size() / 2);
    }

    /** The median (upper, for an even count) of a figure the runs know, or "–". */
    private static String medianOf(List<RunResult> runs, java.util.function.ToDoubleFunction<RunResult> figure) {
        List<Double> known = runs.stream().map(figure::applyAsDouble).filter(v -> v >= 0).sorted().toList();
        return known.isEmpty() ? "–" : format(known.get(known.size() / 2));
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "–" : String.valueOf(Math.round(bytes / (1024.0 * 1024.0)));
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }

    /** Keeps the start of a failure and its root cause, which says most. */
    private static String shorten(String failure) {
        String oneLine = failure.replace('|', '/');
        int cause = oneLine.indexOf(" (cause: ");
        String head = cause >= 0 ? oneLine.substring(0, cause) : oneLine;
        String tail = cause >= 0 ? oneLine.substring(cause) : "";
        head = head.length() > 100 ? head.substring(0, 97) + "..." : head;
        tail = tail.length() > 200 ? tail.substring(0, 197) + "..." : tail;
        return head + tail;
    }
}
