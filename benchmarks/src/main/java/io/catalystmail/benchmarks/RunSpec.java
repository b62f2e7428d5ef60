package io.catalystmail.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything a measured run needs, passed from the driver to the child JVM as {@code key=value} arguments;
 * the password travels in the environment variable {@value #PASSWORD_VARIABLE}, out of process listings.
 *
 * @param warmup         messages moved first, unmeasured, in the same JVM (consumed before the measured ones, or
 *                       sent before them)
 * @param attachmentFile for send workloads with a large attachment: the file to attach, else {@code null}
 * @param settle         after the measurement right after the warm-up, settle the JVM and measure it again
 * @param serverPids     the mail servers' master processes whose CPU is measured with the run's ({@link ServerCpu})
 */
record RunSpec(ComponentUnderTest component, Workload workload, ComponentUnderTest.Target target, String from,
               String to, int warmup, int messages, Path attachmentFile, int timeoutSeconds, boolean settle,
               List<Integer> serverPids) {

    static final String PASSWORD_VARIABLE = "BENCHMARK_MAIL_PASSWORD";

    List<String> toArguments() {
        List<String> args = new ArrayList<>(List.of("component=" + component.label(), "workload=" + workload.name(),
                "host=" + target.host(), "port=" + target.port(), "user=" + target.user(), "from=" + from, "to=" + to, "warmup=" + warmup, "messages=" + messages,
                "timeout=" + timeoutSeconds, "settle=" + settle,
                "serverPids=" + (serverPids.isEmpty() ? "none" : serverPids.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(",")))));
        if (attachmentFile != null) {
            args.add("attachmentFile=" + attachmentFile);
        }
        return args;
    }

    static RunSpec fromArguments(String[] args) {
        Map<String, String> v = WorkloadMain.parse(args);
        String attachment = v.get("attachmentFile");
        return new RunSpec(ComponentUnderTest.fromLabel(v.get("component")), Workload.valueOf(v.get("workload")),
                new ComponentUnderTest.Target(v.get("host"), Integer.parseInt(v.get("port")), v.get("user"),
                        System.getenv(PASSWORD_VARIABLE)),
                v.get("from"), v.get("to"), Integer.parseInt(v.get("warmup")), Integer.parseInt(v.get("messages")),
                attachment != null ? Path.of(attachment) : null, Integer.parseInt(v.get("timeout")),
                Boolean.parseBoolean(v.get("settle")), ServerCpu.pids(v.get("serverPids")));
    }
}
