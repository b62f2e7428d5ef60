package io.catalystmail.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The results file: one section per kind of server (embedded GreenMail, real servers), each replaced by the
 * latest run against that kind, so figures from both stay side by side.
 */
final class ResultsFile {

    private static final String INTRO = """
            # Benchmark results

            Written by `benchmarks/run.sh`; each section is replaced by the latest run of its kind. How the runs are
            ordered and how to read the tables: [README.md](README.md). In short: "vs wire" is the headline, the
            median over the rounds of each round's ratio to the raw wire run next to it, with the lowest and highest;
            the CPU, allocation and server CPU columns move far less with the machine's load than msg/s; note the
            load with any figure you quote.

            """;

    private ResultsFile() {
    }

    static void write(Path file, MailServer server, BenchmarkOptions options, String command,
                      BenchmarkDriver.Tables tables) throws IOException {
        // cold and warmed-up figures answer different questions, so each keeps a section of its own
        // so does a run with another heap than the default (the small-heap runs of issue 19)
        writeSection(file, server.label() + (options.cold() ? "-cold" : options.settle() ? "" : "-counted")
                           + (options.heap().equals(BenchmarkOptions.DEFAULT_HEAP) ? "" : "-heap-" + options.heap()),
                section(server, options, command, tables));
    }

    /** Replaces the section {@code label} of the file with {@code body}, or appends it. */
    static void writeSection(Path file, String label, String body) throws IOException {
        String begin = "<!-- results:" + label + " -->";
        String end = "<!-- end results:" + label + " -->";
        String section = begin + "\n" + body + end + "\n";
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : INTRO;
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from >= 0 && to > from) {
            text = text.substring(0, from) + section + text.substring(to + end.length()).replaceFirst("^\n", "");
        } else {
            text = text + (text.endsWith("\n\n") ? "" : "\n") + section;
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String section(MailServer server, BenchmarkOptions options, String command,
                                  BenchmarkDriver.Tables tables) {
        ResultTable table = tables.last();
        String counted = tables.counted().results().isEmpty() ? "" : "Runs measured right after the counted"
                + " warm-up of " + options.warmup() + " messages (sending: " + options.sendWarmup() + "), in the same"
                + " JVMs before they settled (the figures issue 19 calls warm):\n\n" + tables.counted().toMarkdown()
                + "\n";
        return "## " + (server.label().equals("greenmail") ? "Embedded GreenMail" : "Real servers")
               + (options.cold() ? ", cold JVMs (no warm-up)" : options.settle() ? ""
                       : ", right after the counted warm-up only") + "\n\n"
               + "- Date: " + now() + "\n"
               + "- Server: " + server.description() + "\n"
               + "- Load average when started (1, 5, 15 min): " + table.loadAtStart() + "\n"
               + String.format(java.util.Locale.ROOT, "- Took: %.1f min\n", table.minutesSinceStart())
               + machineAndJvm()
               + "- Options: " + options.summary() + "\n"
               + "- Command: `" + command + "`\n\n"
               + table.toMarkdown() + "\n" + counted;
    }

    static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** The machine and JVM lines of a section. */
    static String machineAndJvm() {
        return "- Machine: " + machine() + "\n"
               + "- Load average when written (1, 5, 15 min): " + loadAverage() + "\n"
               + "- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
               + " (" + ManagementFactory.getRuntimeMXBean().getVmVendor() + ")\n";
    }

    /** The load average over the last minute, or -1 where /proc does not say. */
    static double oneMinuteLoad() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Other work on the machine slows every figure: the load shows how much there was. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String machine() {
        String cpu = "unknown CPU";
        long memory = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memory = Long.parseLong(line.replaceAll("[^0-9]", "")) / (1024 * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the processor count and OS below still say enough
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
               + (memory >= 0 ? memory + " GiB RAM, " : "") + System.getProperty("os.name") + " "
               + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }

    /** The command line as given, with the value of --password left out. */
    static String withoutPassword(String[] args) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            shown.add(args[i]);
            if (args[i].equals("--password") && i + 1 < args.length) {
                shown.add("***");
                i++;
            }
        }
        return String.join(" ", shown);
    }
}
