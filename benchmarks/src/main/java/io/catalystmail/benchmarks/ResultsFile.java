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

            Written by `benchmarks/run.sh` (see the README's benchmark section); each section is replaced by the
            latest run against that kind of server. msg/s and s/run are medians over the rounds that succeeded,
            MiB/s is msg/s times the size of one message on the wire (for SMTP: the message the harness would
            store, as each component composes its own), "vs camel-mail" divides catalystmail's msg/s by
            camel-mail's, "vs wire" a component's msg/s by the raw wire's, measured in the same run: one
            connection that logs in, fetches every body without parsing it (IMAP `FETCH 1:n (BODY.PEEK[])`, POP3
            RETR pipelined), deletes them all and logs out, or Postfix's `smtp-source` (one session, or as many
            as the route has sending threads; it neither pipelines nor logs in). The wire is the headline: the
            machine is shared and its load moves every figure, but wire and components alike. CPU ms/msg is the
            CPU time the measured JVM used while the clock ran, per message (median over the rounds), without its
            JIT compiler threads, whose CPU is JIT ms/msg (on a loaded machine the compiler is still working off
            the warm-up's backlog); alloc KiB/msg is the heap the JVM allocated per message, GC/1k msg the garbage
            collections per 1,000 messages and GC ms/msg their time per message (a heap too small for the work
            shows there first). Server CPU ms/msg is the CPU the mail servers' processes (Dovecot's and Postfix's
            children, those that ended included) used while the clock ran, per message: the server's share, which
            tells a server's state or a client's commands from the client's own cost (only meaningful with servers
            of the run's own: `--server-pids`). These move far less
            with the load than msg/s (smtp-source's CPU is not counted). With more than one round, "Round by round"
            gives each round's figures, the load when its JVM started, the median and the spread, and each
            component's ratio to the wire of its own round; `--rounds 5 --camel-mail-rounds 1 --settle false`
            alternates catalystmail and the wire five times, runs camel-mail once and measures right after the
            counted warm-up only (section "...-counted"). Peak heap is the sum of the heap pools'
            peaks, peak RSS the process's VmHWM, each the maximum over the rounds, both without the harness's
            garbage described below (peak RSS is taken before it). Every measured run is a JVM of its own, which
            first moves the counted warm-up messages (unmeasured, same route and endpoint options, sent from as many threads as the
            measured ones) and waits for the JIT compiler to go quiet. It is measured right then: the tables
            marked "right after the counted warm-up" (issue 19's "warm": a JVM that has moved 2,000 messages).
            Then it goes on warming up in batches (polls of the measured size, after each of which the driver
            puts as many messages of the same size back; 200 messages sent) until two batches in a row kept the
            JIT compiler under 3 % busy, for at most 120 s and twice the counted warm-up's messages. Then the
            harness settles the young generation: unless the JVM's own work has done so, it allocates short-lived
            garbage until the young generation has been collected, then goes on (at most 8 collections, 30 s) until
            one whole cycle from collection to collection faulted on at most 5 % of the pages it allocated. Only
            then is it measured again: the main tables, "settled", each component as a long-running service runs it.
            Why: until the young generation has been used up and collected at its steady size, every new object
            lands on a heap page the process touches for the first time, which costs a page fault and zeroing (about
            25 µs per 4 KiB page on the 2-core VM of these figures) charged to the component, while a service that
            has run for a while allocates into pages its earlier collections freed. Right after the counted warm-up,
            catalystmail's IMAP consumer faulted on 10,500 pages for 1,000 messages (all 41 MB it allocated),
            settled on 89; a one-thread SMTP sender still faulted on every page it allocated after 4 collections of
            its own (G1 grows the young generation while its pauses are short), on 23 pages after the harness's
            cycles. The wire's client allocates too little to get there by itself. `-XX:+AlwaysPreTouch` would touch
            the whole heap at start, no default a user's JVM runs with, so the harness does not use it. The warm-up
            column gives the counted messages, then those moved after them ("quiet": the compiler went quiet, "cap":
            a cap ended it first) and the young collections before the settled measurement ("6 young GCs + 2 by
            harness": 6 of the JVM's own work, 2 of the harness's garbage; "eden still faulting" when the cap came
            first). The sections marked "cold JVMs" include the compiler's warm-up in the measured time
            (`benchmarks/run.sh --server real` writes one after the warm run; by hand:
            `--warmup 0 --send-warmup 0`). Both components connect without TLS (catalystmail with
            startTls=DISABLED; camel-mail's imap, pop3 and smtp endpoints start none).
            Speed figures meant for comparison are those against the real servers: GreenMail is slower than the
            components it serves. A failed run has no figures; the notes give its first failure.

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
