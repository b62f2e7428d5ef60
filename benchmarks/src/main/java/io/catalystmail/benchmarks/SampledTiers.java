package io.catalystmail.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * In which kind of code profiled runs spent their CPU samples in a measured phase: interpreted, C1 (tier 1-3) or
 * C2 (tier 4). A JFR stack frame says only "Interpreted", "JIT compiled", "Inlined" or "Native"; the tier comes from
 * the recording's jdk.Compilation events: the code a sample ran in is the nearest frame that is not inlined, and
 * its tier is that of the method's newest compilation finished before the sample (a deoptimization in between is
 * not seen). After 2,000 messages a method called once per message has been invoked about 2,000 times, under C2's
 * thresholds (Tier4InvocationThreshold 5,000), so it may still run as tier 3 code with full profiling, the slowest
 * compiled code; a loop run once per poll over its messages has run a few thousand times, under the interpreter's
 * on-stack-replacement threshold (Tier3BackEdgeThreshold 60,000). This tells how many samples land in each, where.
 *
 * <p>{@code java -cp ... io.catalystmail.benchmarks.SampledTiers [PHASE [TOP]] run.jfr...} (PHASE: COUNTED by
 * default); the samples of all the recordings are counted together: JFR on JDK 17 samples a thread at most every
 * 10 ms, so one phase of 0.3 s holds a few dozen.
 */
final class SampledTiers {

    private static final int DEFAULT_TOP = 30;

    /** When a method's code of one tier became usable. */
    private record Compiled(Instant end, int level, boolean osr) {
    }

    private final Map<String, Integer> byKind = new TreeMap<>();
    private final Map<String, Integer> byCode = new HashMap<>();
    private final Map<String, Integer> byTopAtTier3 = new HashMap<>();
    private final Map<String, Integer> byTopInterpreted = new HashMap<>();
    private final Map<String, Integer> stillC1 = new HashMap<>();
    private final List<String> notes = new ArrayList<>();
    private int samples;
    private int recordings;
    private Duration measured = Duration.ZERO;

    private SampledTiers() {
    }

    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String arg : args) {
            if (arg.endsWith(".jfr")) {
                files.add(Path.of(arg));
            } else {
                options.add(arg);
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: SampledTiers [PHASE [TOP]] RECORDING.jfr...");
            System.exit(2);
        }
        String phase = options.isEmpty() ? "COUNTED" : options.get(0);
        int top = options.size() > 1 ? Integer.parseInt(options.get(1)) : DEFAULT_TOP;
        SampledTiers tally = new SampledTiers();
        for (Path file : files) {
            tally.add(file, phase);
        }
        System.out.print(tally.report(phase, top));
    }

    private void add(Path recording, String phaseName) throws IOException {
        Map<String, List<Compiled>> compiled = new HashMap<>();
        List<RecordedEvent> executionSamples = new ArrayList<>();
        Instant[] phase = null;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            String type = event.getEventType().getName();
            if (type.equals(MeasuredPhase.NAME) && phaseName.equals(event.getString("phase"))) {
                phase = new Instant[] { event.getStartTime(), event.getEndTime() };
            } else if (type.equals("jdk.Compilation") && event.getBoolean("succeded")) {
                compiled.computeIfAbsent(id(event.getValue("method")), k -> new ArrayList<>())
                        .add(new Compiled(event.getEndTime(), event.getShort("compileLevel"), event.getBoolean("isOsr")));
            } else if (type.equals("jdk.ExecutionSample")) {
                executionSamples.add(event);
            }
        }
        if (phase == null) {
            notes.add("no phase " + phaseName + " in " + recording);
            return;
        }
        recordings++;
        measured = measured.plus(Duration.between(phase[0], phase[1]));
        compiled.values().forEach(list -> list.sort(Comparator.comparing(Compiled::end)));
        for (RecordedEvent sample : executionSamples) {
            Instant at = sample.getStartTime();
            RecordedStackTrace stack = sample.getStackTrace();
            if (at.isBefore(phase[0]) || at.isAfter(phase[1]) || stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            int physicalAt = 0;
            while (physicalAt < frames.size() - 1 && "Inlined".equals(frames.get(physicalAt).getType())) {
                physicalAt++;
            }
            RecordedFrame physical = frames.get(physicalAt);
            String kind = kindOf(physical, compiled, at);
            String code = key(physical.getMethod());
            String onTop = key(frames.get(0).getMethod());
            byKind.merge(kind, 1, Integer::sum);
            byCode.merge(kind + "  " + code, 1, Integer::sum);
            if (kind.startsWith("C1 tier 3")) {
                byTopAtTier3.merge(onTop.equals(code) ? code : onTop + "  in  " + code, 1, Integer::sum);
            } else if (kind.equals("Interpreted")) {
                String caller = physicalAt + 1 < frames.size() ? key(frames.get(physicalAt + 1).getMethod()) : "-";
                byTopInterpreted.merge(code + "  called from  " + caller, 1, Integer::sum);
            }
        }
        countStillC1(compiled, phase);
    }

    /** Methods of ours and of Camel whose newest code at the phase's start was C1, and what came of them. */
    private void countStillC1(Map<String, List<Compiled>> compiled, Instant[] phase) {
        compiled.forEach((method, history) -> {
            if (!method.startsWith("io.catalystmail.camel") && !method.startsWith("org.apache.camel")) {
                return;
            }
            Compiled atStart = newestBefore(history, phase[0]);
            if (atStart == null || atStart.level() == 4) {
                return;
            }
            String later = history.stream().filter(c -> c.level() == 4 && c.end().isAfter(phase[0]))
                    .findFirst().map(c -> c.end().isBefore(phase[1]) ? "C2 within the phase" : "C2 after the phase")
                    .orElse("never C2 in the recording");
            String owner = method.startsWith("io.catalystmail") ? "ours" : "Camel";
            stillC1.merge(owner + ", tier " + atStart.level() + " at the start, " + later, 1, Integer::sum);
        });
    }

    private String report(String phaseName, int top) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Phase %s of %d recordings: %.3f s in all, %d CPU samples%n", phaseName,
                recordings, measured.toNanos() / 1e9, samples));
        notes.forEach(n -> out.append("  (").append(n).append(")\n"));
        out.append("\nSamples by the kind of code they ran in (the nearest frame not inlined):\n");
        int total = Math.max(1, samples);
        byKind.forEach((kind, n) -> out.append(String.format(Locale.ROOT, "%6d %5.1f %%  %s%n", n, 100.0 * n / total,
                kind)));
        out.append("\nCode the samples ran in, with its kind:\n");
        appendTop(out, byCode, top);
        out.append("\nTier 3 samples by the method on top (inlined into the code named after 'in'):\n");
        appendTop(out, byTopAtTier3, top);
        out.append("\nInterpreted samples by method and its caller:\n");
        appendTop(out, byTopInterpreted, top);
        out.append("\nMethods of ours and of Camel whose newest code at the phase's start was C1 (per recording):\n");
        appendTop(out, stillC1, top);
        return out.toString();
    }

    private static void appendTop(StringBuilder out, Map<String, Integer> counts, int top) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.append(String.format(Locale.ROOT, "%6d  %s%n", e.getValue(), e.getKey())));
    }

    private static String kindOf(RecordedFrame frame, Map<String, List<Compiled>> compiled, Instant at) {
        String type = frame.getType();
        if (!"JIT compiled".equals(type)) {
            return type;
        }
        Compiled newest = newestBefore(compiled.getOrDefault(id(frame.getMethod()), List.of()), at);
        if (newest == null) {
            return "compiled, tier unknown (before the recording?)";
        }
        return (newest.level() == 4 ? "C2 tier 4" : "C1 tier " + newest.level()) + (newest.osr() ? " OSR" : "");
    }

    private static Compiled newestBefore(List<Compiled> history, Instant at) {
        Compiled newest = null;
        for (Compiled c : history) {
            if (c.end().isAfter(at)) {
                break;
            }
            newest = c;
        }
        return newest;
    }

    /** A method told apart from its overloads: its compilations are its own. */
    private static String id(RecordedMethod method) {
        return method == null ? "?" : key(method) + method.getDescriptor();
    }

    /** class.method without the descriptor: overloads are told apart by their callers in the reports. */
    private static String key(RecordedMethod method) {
        return method == null ? "?" : method.getType().getName() + "." + method.getName();
    }
}
