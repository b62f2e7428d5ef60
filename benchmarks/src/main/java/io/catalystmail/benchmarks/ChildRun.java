package io.catalystmail.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Launches {@link WorkloadMain} in a JVM of its own and reads its one result line. */
final class ChildRun {

    private final String classPath;
    private final Path workDir;
    private final boolean profile;
    private final boolean protocolLog;
    private final List<String> jvmOptions;

    /**
     * @param profile     record each run with JFR to {@code <workDir>/<run name>.jfr}
     * @param protocolLog write the measured poll's IMAP timeline to the run's log ({@link ProtocolLog})
     * @param jvmOptions  more options for each child JVM (the driver's --jvm-options)
     */
    ChildRun(String classPath, Path workDir, boolean profile, boolean protocolLog, List<String> jvmOptions) {
        this.classPath = classPath;
        this.workDir = workDir;
        this.profile = profile;
        this.protocolLog = protocolLog;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * The class path for the children: the build writes this module's runtime class path to a file (the test
     * JVM's own class path is only Surefire's launcher); run from a plain {@code java -cp}, ours is used. The two
     * properties go together: an A/B run that names another jar's class path file without the classes directory
     * would otherwise measure the driver's own jar on both sides without a word.
     */
    static String workloadClassPath() throws IOException {
        String file = System.getProperty("benchmarks.classpathFile");
        String classes = System.getProperty("benchmarks.classesDir");
        if ((file == null) != (classes == null)) {
            throw new IllegalArgumentException("-Dbenchmarks.classpathFile and -Dbenchmarks.classesDir are set together"
                    + " or not at all; given: classpathFile=" + file + ", classesDir=" + classes);
        }
        if (file != null) {
            return classes + java.io.File.pathSeparator + Files.readString(Path.of(file)).trim();
        }
        return System.getProperty("java.class.path");
    }

    /**
     * A measured JVM's results: {@code last}, the run's figure, and {@code counted}, the measurement right after the
     * counted warm-up when the run took one before settling (else null).
     */
    record Outcome(RunResult last, RunResult counted) {
    }

    /** Fills a measured JVM's mailbox on its request: {@code count} standard messages numbered from {@code first}. */
    @FunctionalInterface
    interface Refill {
        void add(int first, int count) throws Exception;
    }

    /** Waits, on a send run's request, until its mailbox holds {@code count} messages. */
    @FunctionalInterface
    interface Delivery {
        void await(int count) throws Exception;
    }

    Outcome run(RunSpec spec, String heap, int round, long messageBytes, Refill refill, Delivery delivery)
            throws IOException, InterruptedException {
        String name = "r" + round + "-" + spec.workload().name().toLowerCase() + "-" + spec.component().label();
        Path tmp = workDir.resolve("tmp-" + name);
        deleteTree(tmp);
        Files.createDirectories(tmp);
        Path log = workDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=" + tmp));
        if (profile || jvmOptions.stream().anyMatch(o -> o.startsWith("-XX:StartFlightRecording"))) {
            // JFR's scratch repository would otherwise sit in the temp dir, which the run must leave empty
            command.add("-XX:FlightRecorderOptions:repository=" + workDir.resolve("jfr-" + name));
        }
        if (profile) {
            command.add("-XX:StartFlightRecording=settings=profile,settings=" + CompilationSummary.settingsFile(workDir)
                        + ",filename=" + workDir.resolve(name + ".jfr"));
        }
        if (protocolLog) {
            command.add("-D" + ProtocolLog.PROPERTY + "=true");
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, WorkloadMain.class.getName()));
        command.addAll(spec.toArguments());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put(RunSpec.PASSWORD_VARIABLE, spec.target().password());
        Process process = builder.start();
        Thread relay = new Thread(() -> relay(process, log, refill, delivery), "output of " + name);
        relay.start();
        boolean ended = process.waitFor(spec.timeoutSeconds() + 60L, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        relay.join();
        if (!ended) {
            return new Outcome(RunResult.failed(spec.component(), spec.workload(), round,
                    "killed after " + (spec.timeoutSeconds() + 60) + " s"), null);
        }
        if (profile) {
            CompilationSummary.writeNextTo(workDir.resolve(name + ".jfr"), workDir.resolve(name + "-compilations.txt"));
        }
        List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
        try {
            RunResult counted = null;
            for (String line : output) {
                if (line.startsWith(WorkloadMain.RESULT_PREFIX)) {
                    RunResult result = parse(spec, round, messageBytes, line);
                    // a cold or settled measurement is the run's last, and so is the counted one without settling
                    if (result.warmUp().settled() || result.warmUp().counted() == 0 || !spec.settle()) {
                        return new Outcome(result, counted);
                    }
                    counted = result;
                }
                if (line.startsWith(WorkloadMain.ERROR_PREFIX)) {
                    return new Outcome(RunResult.failed(spec.component(), spec.workload(), round,
                            line.substring(WorkloadMain.ERROR_PREFIX.length())), counted);
                }
            }
            boolean outOfMemory = output.stream().anyMatch(l -> l.contains("OutOfMemoryError"));
            return new Outcome(RunResult.failed(spec.component(), spec.workload(), round, outOfMemory
                    ? "OutOfMemoryError with -Xmx" + heap : "exit code " + process.exitValue() + ", see " + log), counted);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * Copies the child's output to its log, line by line, and answers its {@link MailboxRefill} requests on its
     * standard input: {@link MailboxRefill#DONE}, or what went wrong.
     */
    private static void relay(Process process, Path log, Refill refill, Delivery delivery) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer logged = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            Writer answers = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
            for (String line; (line = lines.readLine()) != null; ) {
                logged.write(line);
                logged.write('\n');
                String answer = answer(line, refill, delivery);
                if (answer != null) {
                    try {
                        answers.write(answer + "\n");
                        answers.flush();
                    } catch (IOException gone) {
                        // the child ended meanwhile: the rest of its output is still worth logging
                    }
                }
            }
        } catch (IOException e) {
            // the child went away (killed after its timeout, say): its log says how far it got
        } finally {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // nothing more to tell the child
            }
        }
    }

    /** The answer to a {@link MailboxRefill} request, or null when the line is none. */
    private static String answer(String line, Refill refill, Delivery delivery) {
        try {
            if (line.startsWith(MailboxRefill.REQUEST)) {
                String[] numbers = line.substring(MailboxRefill.REQUEST.length()).split(" ");
                refill.add(Integer.parseInt(numbers[0]), Integer.parseInt(numbers[1]));
                return MailboxRefill.DONE;
            }
            if (line.startsWith(MailboxRefill.AWAIT_DELIVERED)) {
                delivery.await(Integer.parseInt(line.substring(MailboxRefill.AWAIT_DELIVERED.length())));
                return MailboxRefill.DONE;
            }
            return null;
        } catch (Exception e) {
            return "request failed: " + e.toString().replace('\n', ' ');
        }
    }

    private static RunResult parse(RunSpec spec, int round, long messageBytes, String line) {
        Map<String, String> v = WorkloadMain.parse(line.substring(WorkloadMain.RESULT_PREFIX.length()).split(" "));
        WorkloadMain.Phase phase = WorkloadMain.Phase.valueOf(v.get("phase"));
        int settling = Integer.parseInt(v.get("settling"));
        // the settled measurement comes after the counted one's messages and the settling batches
        int more = phase == WorkloadMain.Phase.SETTLED ? spec.messages() + settling : settling;
        RunResult.WarmUp warmUp = phase == WorkloadMain.Phase.COLD ? RunResult.WarmUp.NONE
                : new RunResult.WarmUp(spec.warmup(), more, Boolean.parseBoolean(v.get("quiet")),
                        phase == WorkloadMain.Phase.SETTLED, YoungGeneration.Collected.parse(v.get("youngGc")));
        return new RunResult(spec.component(), spec.workload(), round, Integer.parseInt(v.get("messages")),
                Double.parseDouble(v.get("seconds")), Double.parseDouble(v.get("cpuSeconds")),
                Double.parseDouble(v.get("jitCpuSeconds")), Long.parseLong(v.get("allocatedBytes")),
                Long.parseLong(v.get("gcCount")), Double.parseDouble(v.get("gcSeconds")), messageBytes,
                Long.parseLong(v.get("bytesRead")), Long.parseLong(v.get("peakHeap")), Long.parseLong(v.get("rss")),
                Long.parseLong(v.get("tmpFilesLeft")), warmUp, null,
                Double.parseDouble(v.getOrDefault("serverCpuSeconds", "-1")),
                Double.parseDouble(v.getOrDefault("load", "-1")));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
