package io.catalystmail.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@link WarmCurve}'s table: per poll, the ratio to the wire's poll of the same minute, the compiler's CPU per
 * message, the compilations by tier and the deoptimizations that ended in the poll's cycle (from the previous poll's
 * end to this one's: the compiler works off a poll's hot methods while the driver refills), the classes loaded and
 * the code cache in use; then what would keep the compiler busy for ever if anything does: methods compiled again
 * and again, deoptimizations by method and reason, and what was still compiled in the last third of the polls.
 */
final class WarmCurveReport {

    private static final int TOP = 15;

    private WarmCurveReport() {
    }

    /**
     * The table again from {@link WarmCurve}'s console lines ({@value WarmCurvePolls#LINE}..., each with the wire's
     * {@code wireSeconds}) of one protocol and its recording: {@code WarmCurveReport IMAP lines.txt curve-imap.jfr}.
     */
    public static void main(String[] args) throws IOException {
        List<Map<String, String>> polls = new ArrayList<>();
        List<double[]> wire = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(Path.of(args[1]))) {
            if (line.startsWith(WarmCurvePolls.LINE)) {
                Map<String, String> poll = WorkloadMain.parse(line.substring(WarmCurvePolls.LINE.length()).split(" "));
                polls.add(poll);
                wire.add(new double[] { Double.parseDouble(poll.get("wireSeconds")), -1 });
            }
        }
        System.out.print(write(Workload.Protocol.valueOf(args[0]), polls, wire, Path.of(args[2]), "again from " + args[1]));
    }

    private record Compile(Instant end, int level, String method, boolean osr) {
    }

    private record Deopt(Instant time, String compiled, String reason) {
    }

    static String write(Workload.Protocol protocol, List<Map<String, String>> polls, List<double[]> wire,
                        Path recording, String arguments) throws IOException {
        List<Compile> compiles = new ArrayList<>();
        List<Deopt> deopts = new ArrayList<>();
        Map<Long, String> byId = new HashMap<>();
        List<Long> deoptIds = new ArrayList<>();
        List<RecordedEvent> deoptEvents = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            String type = event.getEventType().getName();
            if (type.equals("jdk.Compilation")) {
                RecordedMethod recorded = event.getValue("method");
                // overloads apart: the method handles' holders have dozens of invokeStatic
                String method = CompilationSummary.name(recorded) + (recorded == null ? "" : recorded.getDescriptor());
                int level = event.getShort("compileLevel");
                compiles.add(new Compile(event.getEndTime(), level, method, event.getBoolean("isOsr")));
                byId.put(event.getLong("compileId"), method + " (tier " + level + ")");
            } else if (type.equals("jdk.Deoptimization")) {
                deoptEvents.add(event);
                deoptIds.add(event.getLong("compileId"));
            }
        }
        for (int i = 0; i < deoptEvents.size(); i++) {
            RecordedEvent e = deoptEvents.get(i);
            deopts.add(new Deopt(e.getStartTime(), byId.getOrDefault(deoptIds.get(i),
                    CompilationSummary.name(e.getValue("method")) + " (?)"), e.getString("reason")));
        }
        StringBuilder out = new StringBuilder();
        out.append("### ").append(protocol).append(": ").append(polls.size()).append(" polls in one JVM (")
                .append(arguments).append(")\n\n")
                .append("| poll | messages so far | catalystmail msg/s | wire msg/s | ratio | CPU ms/msg (no JIT) | ")
                .append("JIT ms/msg in poll | JIT ms/msg in cycle | compiles t1/t2/t3/t4 (ours t4) | deopts | ")
                .append("classes loaded | code cache KiB | load |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|\n");
        Instant previousEnd = Instant.EPOCH;
        long soFar = 0;
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < polls.size(); i++) {
            Map<String, String> p = polls.get(i);
            Instant end = Instant.ofEpochMilli(Long.parseLong(p.get("endMs")));
            int messages = Integer.parseInt(p.get("messages"));
            soFar += messages;
            double seconds = Double.parseDouble(p.get("seconds"));
            double jit = Double.parseDouble(p.get("jitSeconds"));
            double jitCycle = Double.parseDouble(p.get("jitCycleSeconds"));
            double cpu = Double.parseDouble(p.get("cpuSeconds")) - jit;
            double wireSeconds = wire.get(i)[0];
            double ratio = wireSeconds / seconds;
            ratios.add(ratio);
            int[] levels = new int[5];
            int oursTier4 = 0;
            for (Compile c : compiles) {
                if (c.end().isAfter(previousEnd) && !c.end().isAfter(end)) {
                    levels[c.level()]++;
                    if (c.level() == 4 && c.method().startsWith("io.catalystmail.")) {
                        oursTier4++;
                    }
                }
            }
            Instant from = previousEnd;
            long deoptCount = deopts.stream().filter(d -> d.time().isAfter(from) && !d.time().isAfter(end)).count();
            out.append(String.format(Locale.ROOT, "| %d | %,d | %,.0f | %,.0f | %.2f | %.3f | %.3f | %.3f | %d/%d/%d/%d (%d) | %d | %s | %,d | %s |%n",
                    i + 1, soFar, messages / seconds, messages / wireSeconds, ratio, 1000 * cpu / messages,
                    1000 * jit / messages, 1000 * jitCycle / messages, levels[1], levels[2], levels[3], levels[4],
                    oursTier4, deoptCount, p.get("loadedClasses"), Long.parseLong(p.get("codeCacheBytes")) >> 10,
                    p.get("load")));
            previousEnd = end;
        }
        out.append("\nRatio, rolling median of 3 polls: ").append(rollingMedians(ratios)).append("\n");
        Instant lastThird = polls.isEmpty() ? Instant.EPOCH
                : Instant.ofEpochMilli(Long.parseLong(polls.get(polls.size() - 1 - polls.size() / 3).get("endMs")));
        out.append("\nMethods compiled most often (times, tiers):\n");
        Map<String, List<Integer>> tiersByMethod = new TreeMap<>();
        compiles.forEach(c -> tiersByMethod.computeIfAbsent(c.method() + (c.osr() ? " OSR" : ""), k -> new ArrayList<>())
                .add(c.level()));
        tiersByMethod.entrySet().stream().sorted(Comparator.comparingInt(e -> -e.getValue().size())).limit(TOP)
                .forEach(e -> out.append("  ").append(e.getValue().size()).append("  ").append(e.getKey()).append(' ')
                        .append(e.getValue()).append('\n'));
        out.append("\nDeoptimizations by compiled method and reason (all ").append(deopts.size()).append("; ")
                .append(deopts.stream().filter(d -> d.time().isAfter(lastThird)).count())
                .append(" in the last third):\n");
        counted(deopts.stream().map(d -> d.compiled() + " " + d.reason()).toList(), out);
        out.append("\nCompiled in the last third of the polls (").append(
                compiles.stream().filter(c -> c.end().isAfter(lastThird)).count()).append("), by method:\n");
        counted(compiles.stream().filter(c -> c.end().isAfter(lastThird))
                .map(c -> "tier " + c.level() + " " + c.method()).toList(), out);
        return out.toString();
    }

    private static void counted(List<String> keys, StringBuilder out) {
        Map<String, Integer> counts = new HashMap<>();
        keys.forEach(k -> counts.merge(k, 1, Integer::sum));
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(TOP)
                .forEach(e -> out.append("  ").append(e.getValue()).append("  ").append(e.getKey()).append('\n'));
    }

    private static String rollingMedians(List<Double> ratios) {
        StringBuilder out = new StringBuilder();
        for (int i = 2; i < ratios.size(); i++) {
            List<Double> three = new ArrayList<>(ratios.subList(i - 2, i + 1));
            three.sort(null);
            out.append(String.format(Locale.ROOT, "%s%d:%.2f", out.length() == 0 ? "" : " ", i + 1, three.get(1)));
        }
        return out.toString();
    }
}
