package io.catalystmail.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * What the JIT compiler worked on while a profiled run's measured messages moved: every compilation that overlaps
 * each {@link MeasuredPhase} of the recording (a consume run has two: right after the counted warm-up, and settled,
 * and the settling batches between them are reported as a third), the longest first, and their time per compiler
 * tier, per owner (ours, Camel, JDK) and per package.
 * After a warm-up of a few thousand messages the compiler still spends about as much CPU per message as the
 * component itself (issue 19); this says which methods that time goes to. Durations are wall time of the compiler
 * thread, so on a loaded machine they are longer than its CPU time: compare methods within one run, not runs.
 *
 * <p>{@code java -cp ... io.catalystmail.benchmarks.CompilationSummary run.jfr [top]}; the driver writes it next to
 * each profiled run's recording as {@code <run>-compilations.txt}.
 */
final class CompilationSummary {

    static final String SETTINGS_RESOURCE = "/every-compilation.jfc";
    /** Not measured: the window between the end of COUNTED and the start of SETTLED. */
    static final String SETTLING = "SETTLING (the batches between the two measurements, not measured)";
    private static final int DEFAULT_TOP = 40;

    /** One finished compilation, as JFR's jdk.Compilation event tells it; osr: an on-stack replacement of a loop. */
    record Compilation(Instant start, Duration duration, int level, long codeSize, long inlinedBytes, String method,
                       boolean osr) {

        Compilation(Instant start, Duration duration, int level, long codeSize, long inlinedBytes, String method) {
            this(start, duration, level, codeSize, inlinedBytes, method, false);
        }

        Instant end() {
            return start.plus(duration);
        }
    }

    /**
     * Compiled code thrown away at a trap (JFR's jdk.Deoptimization): the method runs slower until compiled again.
     * {@code method} is where the trap sits, often a JDK method inlined into another; {@code compiled} is the method
     * whose compiled code the trap belongs to (what gets compiled again), "?" when its compilation is not recorded.
     */
    record Deoptimization(Instant time, String method, String reason, String action, String compiled) {

        Deoptimization(Instant time, String method, String reason, String action) {
            this(time, method, reason, action, "?");
        }
    }

    private CompilationSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: CompilationSummary RECORDING.jfr [TOP]");
            System.exit(2);
        }
        System.out.print(summarize(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_TOP));
    }

    /** The JFR settings laid over "profile" so that every compilation is recorded, written once into the work dir. */
    static Path settingsFile(Path workDir) throws IOException {
        Path file = workDir.resolve("every-compilation.jfc");
        if (!Files.exists(file)) {
            try (InputStream in = CompilationSummary.class.getResourceAsStream(SETTINGS_RESOURCE)) {
                if (in == null) {
                    throw new IOException(SETTINGS_RESOURCE + " is not on the class path");
                }
                Files.write(file, in.readAllBytes());
            }
        }
        return file;
    }

    static String summarize(Path recording, int top) throws IOException {
        List<Compilation> compilations = new ArrayList<>();
        List<Deoptimization> deoptimizations = new ArrayList<>();
        // a consume run is measured twice (right after the counted warm-up, then settled): one report for each
        Map<String, Instant[]> phases = new LinkedHashMap<>();
        // a trap names its own method; the code it invalidates is the compilation's (by compile id), named once all is read
        Map<Long, String> compiledById = new HashMap<>();
        List<Long> deoptimizedIds = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            String type = event.getEventType().getName();
            if (type.equals(MeasuredPhase.NAME)) {
                String phase = event.hasField("phase") && event.getString("phase") != null ? event.getString("phase")
                        : "MEASURED";
                phases.put(phase, new Instant[] { event.getStartTime(), event.getEndTime() });
            } else if (type.equals("jdk.Compilation")) {
                compilations.add(new Compilation(event.getStartTime(), event.getDuration(),
                        event.getShort("compileLevel"), event.getLong("codeSize"), event.getLong("inlinedBytes"),
                        name(event.getValue("method")), event.getBoolean("isOsr")));
                compiledById.put(event.getLong("compileId"), name(event.getValue("method"))
                        + " (tier " + event.getShort("compileLevel") + (event.getBoolean("isOsr") ? " OSR" : "") + ")");
            } else if (type.equals("jdk.Deoptimization")) {
                deoptimizations.add(new Deoptimization(event.getStartTime(), name(event.getValue("method")),
                        event.getString("reason"), event.getString("action")));
                deoptimizedIds.add(event.getLong("compileId"));
            }
        }
        for (int i = 0; i < deoptimizations.size(); i++) {
            Deoptimization d = deoptimizations.get(i);
            deoptimizations.set(i, new Deoptimization(d.time(), d.method(), d.reason(), d.action(),
                    compiledById.getOrDefault(deoptimizedIds.get(i), "?")));
        }
        if (phases.isEmpty()) {
            return "No measured phase in " + recording + " (the run failed before it, or it was not profiled)\n";
        }
        addSettling(phases);
        StringBuilder out = new StringBuilder();
        phases.entrySet().stream().sorted(Comparator.comparing(e -> e.getValue()[0])).forEach(phase -> {
            Instant from = phase.getValue()[0];
            Instant to = phase.getValue()[1];
            out.append(phases.size() > 1 ? "==== " + phase.getKey() + " ====\n" : "")
                    .append(report(compilations, from, to, top))
                    .append(causes(compilations, deoptimizations, from, to, top))
                    .append(phases.size() > 1 ? "\n" : "");
        });
        return out.toString();
    }

    /**
     * The settling batches between the two measurements of a consume run, reported like a phase: the compiler's work
     * there is what the settled measurement no longer pays, or still pays when the settling hit its cap (issue 19:
     * "2000 + 5000 cap" with the compiler busy), and which methods reached C2 only that late.
     */
    static void addSettling(Map<String, Instant[]> phases) {
        Instant[] counted = phases.get("COUNTED");
        Instant[] settled = phases.get("SETTLED");
        if (counted != null && settled != null && counted[1].isBefore(settled[0])) {
            phases.put(SETTLING, new Instant[] { counted[1], settled[0] });
        }
    }

    /** Whose code a compiled method is: the component's, Camel's, the JDK's, the harness's or another library's. */
    static String ownerOf(String method) {
        if (method.startsWith("io.catalystmail.benchmarks.")) {
            return "harness (io.catalystmail.benchmarks)";
        }
        if (method.startsWith("io.catalystmail.")) {
            return "ours (io.catalystmail)";
        }
        if (method.startsWith("org.apache.camel.")) {
            return "Camel (org.apache.camel)";
        }
        for (String jdk : new String[] { "java.", "javax.", "jdk.", "sun.", "com.sun." }) {
            if (method.startsWith(jdk)) {
                return "JDK";
            }
        }
        return "other libraries";
    }

    static String name(RecordedMethod method) {
        return method == null ? "?" : method.getType().getName() + "." + method.getName();
    }

    /** The compilations that overlap [from, to]: a compilation queued in the warm-up but running on counts too. */
    static String report(List<Compilation> all, Instant from, Instant to, int top) {
        List<Compilation> inPhase = all.stream()
                .filter(c -> c.end().isAfter(from) && c.start().isBefore(to))
                .sorted(Comparator.comparing(Compilation::duration).reversed())
                .toList();
        StringBuilder out = new StringBuilder();
        Duration total = inPhase.stream().map(Compilation::duration).reduce(Duration.ZERO, Duration::plus);
        out.append(String.format(Locale.ROOT, "Measured phase: %.2f s; %d compilations overlap it, %.2f s of compiler"
                + " wall time%n", Duration.between(from, to).toNanos() / 1e9, inPhase.size(), seconds(total)));
        Map<String, Duration> byTier = new LinkedHashMap<>();
        Map<String, Duration> byPackage = new LinkedHashMap<>();
        Map<String, Duration> byOwner = new LinkedHashMap<>();
        for (Compilation c : inPhase) {
            byTier.merge(c.level() == 4 ? "C2 (tier 4)" : "C1 (tier " + c.level() + ")", c.duration(), Duration::plus);
            byPackage.merge(packageOf(c.method()), c.duration(), Duration::plus);
            byOwner.merge(ownerOf(c.method()), c.duration(), Duration::plus);
        }
        out.append("\nBy tier:\n");
        byTier.forEach((tier, d) -> out.append(String.format(Locale.ROOT, "%9.3f s  %s%n", seconds(d), tier)));
        out.append("\nBy owner:\n");
        byOwner.entrySet().stream().sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
                .forEach(e -> out.append(String.format(Locale.ROOT, "%9.3f s  %s%n", seconds(e.getValue()), e.getKey())));
        out.append("\nBy package:\n");
        byPackage.entrySet().stream().sorted(Map.Entry.<String, Duration>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.append(String.format(Locale.ROOT, "%9.3f s  %s%n", seconds(e.getValue()), e.getKey())));
        out.append("\nLongest (ms, tier, native code bytes, inlined bytecode bytes, method):\n");
        inPhase.stream().limit(top).forEach(c -> out.append(String.format(Locale.ROOT, "%9.1f  %d %7d %6d  %s%n",
                c.duration().toNanos() / 1e6, c.level(), c.codeSize(), c.inlinedBytes(), c.method())));
        return out.toString();
    }

    /**
     * Why the compiler worked in the measured phase: a method compiled at a tier for the first time (its counters
     * crossed the tier's threshold only now), compiled again at a tier it had reached before (its code was
     * deoptimised or replaced), or profiled only now after running at tier 2 through the warm-up (C1 compiles at
     * tier 2, without full profiling, while C2's queue is long, and goes on to tier 3 once it has drained: such a
     * method's tier 3 code, the slowest compiled code, runs in the measured phase and its C2 compile comes later);
     * and the deoptimisations in the phase, by package and the most frequent by method, reason and the compiled code
     * they threw away.
     */
    static String causes(List<Compilation> all, List<Deoptimization> deoptimizations, Instant from, Instant to,
                         int top) {
        Map<String, List<Compilation>> byMethod = new LinkedHashMap<>();
        all.stream().sorted(Comparator.comparing(Compilation::start))
                .forEach(c -> byMethod.computeIfAbsent(c.method() + (c.osr() ? " (OSR)" : ""), m -> new ArrayList<>())
                        .add(c));
        Duration first = Duration.ZERO;
        Duration again = Duration.ZERO;
        int firstCount = 0;
        int againCount = 0;
        List<String> lateProfiled = new ArrayList<>();
        List<String> recompiled = new ArrayList<>();
        for (Map.Entry<String, List<Compilation>> method : byMethod.entrySet()) {
            List<Compilation> history = method.getValue();
            for (int i = 0; i < history.size(); i++) {
                Compilation c = history.get(i);
                if (!(c.end().isAfter(from) && c.start().isBefore(to))) {
                    continue;
                }
                List<Compilation> before = history.subList(0, i);
                if (before.stream().anyMatch(b -> b.level() == c.level())) {
                    again = again.plus(c.duration());
                    againCount++;
                    recompiled.add(method.getKey() + " at tier " + c.level());
                } else {
                    first = first.plus(c.duration());
                    firstCount++;
                }
                if (c.level() == 3 && before.stream().anyMatch(b -> b.level() == 2 && b.start().isBefore(from))) {
                    lateProfiled.add(method.getKey());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nWhy now:%n%9.3f s  in %d first compilations of a method at its tier"
                + " (its counters crossed the tier's threshold in the phase)%n%9.3f s  in %d compilations at a tier the"
                + " method had reached before (deoptimised or replaced)%n", seconds(first), firstCount, seconds(again),
                againCount));
        recompiled.stream().limit(top).forEach(m -> out.append("           again: ").append(m).append('\n'));
        out.append(String.format(Locale.ROOT, "%9d  methods profiled (tier 3) only in the phase after running at tier 2"
                + " through the warm-up, while C2's queue was long%n", lateProfiled.size()));
        List<Deoptimization> inPhase = deoptimizations.stream()
                .filter(d -> !d.time().isBefore(from) && !d.time().isAfter(to)).toList();
        out.append(String.format(Locale.ROOT, "%nDeoptimizations in the phase: %d (%d in the whole recording)%n",
                inPhase.size(), deoptimizations.size()));
        Map<String, Integer> byPackage = new LinkedHashMap<>();
        Map<String, Integer> byCause = new LinkedHashMap<>();
        for (Deoptimization d : inPhase) {
            byPackage.merge(packageOf(d.method()), 1, Integer::sum);
            byCause.merge(d.method() + " " + d.reason() + " (" + d.action() + ") in the code of " + d.compiled(), 1,
                    Integer::sum);
        }
        byPackage.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.append(String.format(Locale.ROOT, "%9d  %s%n", e.getValue(), e.getKey())));
        byCause.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.append(String.format(Locale.ROOT, "%9d  %s%n", e.getValue(), e.getKey())));
        return out.toString();
    }

    /** The package of a method named class.method, or the class's for a nested class; "?" unknown. */
    static String packageOf(String method) {
        int lastDot = method.lastIndexOf('.');
        String type = lastDot < 0 ? method : method.substring(0, lastDot);
        int typeDot = type.lastIndexOf('.');
        return typeDot < 0 ? "(default package)" : type.substring(0, typeDot);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** Writes the summary of {@code recording} next to it; a failure to read it is written instead of thrown. */
    static void writeNextTo(Path recording, Path summary) {
        String text;
        try {
            text = summarize(recording, DEFAULT_TOP);
        } catch (IOException | RuntimeException e) {
            text = "Could not read " + recording + ": " + e + "\n";
        }
        try {
            Files.writeString(summary, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("Could not write " + summary + ": " + e.getMessage());
        }
    }
}
