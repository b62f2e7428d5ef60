package io.catalystmail.benchmarks;

import java.io.IOException;
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
     * JVM's own class path is only Surefire's launcher); run from a plain {@code java -cp}, ours is used.
     */
    static String workloadClassPath() throws IOException {
        String file = System.getProperty("benchmarks.classpathFile");
        String classes = System.getProperty("benchmarks.classesDir");
        if (file != null && classes != null) {
            return classes + java.io.File.pathSeparator + Files.readString(Path.of(file)).trim();
        }
        return System.getProperty("java.class.path");
    }

    RunResult run(RunSpec spec, String heap, int round, long messageBytes) throws IOException, InterruptedException {
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
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put(RunSpec.PASSWORD_VARIABLE, spec.target().password());
        Process process = builder.start();
        if (!process.waitFor(spec.timeoutSeconds() + 60L, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return RunResult.failed(spec.component(), spec.workload(), round, "killed after " + (spec.timeoutSeconds() + 60) + " s");
        }
        if (profile) {
            CompilationSummary.writeNextTo(workDir.resolve(name + ".jfr"), workDir.resolve(name + "-compilations.txt"));
        }
        List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
        try {
            for (String line : output) {
                if (line.startsWith(WorkloadMain.RESULT_PREFIX)) {
                    Map<String, String> v = WorkloadMain.parse(line.substring(WorkloadMain.RESULT_PREFIX.length()).split(" "));
                    return new RunResult(spec.component(), spec.workload(), round, Integer.parseInt(v.get("messages")),
                            Double.parseDouble(v.get("seconds")), Double.parseDouble(v.getOrDefault("cpuSeconds", "-1")),
                            Double.parseDouble(v.getOrDefault("jitCpuSeconds", "-1")),
                            Long.parseLong(v.getOrDefault("allocatedBytes", "-1")),
                            Long.parseLong(v.getOrDefault("gcCount", "-1")),
                            Double.parseDouble(v.getOrDefault("gcSeconds", "-1")), messageBytes, Long.parseLong(v.get("bytesRead")),
                            Long.parseLong(v.get("peakHeap")), Long.parseLong(v.get("rss")),
                            Long.parseLong(v.get("tmpFilesLeft")), null);
                }
                if (line.startsWith(WorkloadMain.ERROR_PREFIX)) {
                    return RunResult.failed(spec.component(), spec.workload(), round,
                            line.substring(WorkloadMain.ERROR_PREFIX.length()));
                }
            }
            boolean outOfMemory = output.stream().anyMatch(l -> l.contains("OutOfMemoryError"));
            return RunResult.failed(spec.component(), spec.workload(), round, outOfMemory
                    ? "OutOfMemoryError with -Xmx" + heap : "exit code " + process.exitValue() + ", see " + log);
        } finally {
            deleteTree(tmp);
        }
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
