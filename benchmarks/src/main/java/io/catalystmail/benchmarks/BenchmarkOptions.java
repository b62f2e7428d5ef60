package io.catalystmail.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver's command line. Real-server ports default to the environment variables the project's
 * {@code scripts/mail-servers.sh} exports ({@code CATALYST_IMAP_PORT}, {@code CATALYST_POP3_PORT},
 * {@code CATALYST_SMTP_PORT}).
 */
record BenchmarkOptions(String server, String host, Map<Workload.Protocol, Integer> ports,
                        Map<Workload.Protocol, String> logins, String domain, String password, int messages,
                        int rounds, int largeMailbox, long largeAttachmentBytes, List<Workload> workloads,
                        List<ComponentUnderTest> components, String heap, String smallHeap, int timeoutSeconds,
                        Path output, Path workDir, boolean profile, boolean protocolLog, int warmup,
                        int sendWarmup, List<String> jvmOptions, int camelMailRounds, boolean settle,
                        List<Integer> serverPids) {

    static final String DEFAULT_HEAP = "512m";

    static final String USAGE = """
            benchmarks/run.sh [options]
              --server greenmail|real      embedded GreenMail (default) or servers already running
              --host H                     real servers' host (127.0.0.1)
              --imap-port P --pop3-port P --smtp-port P
                                           real servers' ports (default $CATALYST_IMAP_PORT, $CATALYST_POP3_PORT,
                                           $CATALYST_SMTP_PORT)
              --imap-user U --pop3-user U --smtp-user U
                                           logins for the IMAP, POP3 and SMTP workloads (alice, bob, carol)
              --domain D                   mail domain of those users ($CATALYST_MAIL_DOMAIN or example.test)
              --password P                 their password ($CATALYST_MAIL_PASSWORD or secret)
              --messages N                 messages per run (1000)
              --warmup W                   messages each measured JVM of a consume workload takes first,
                                           unmeasured, in polls of the measured size on the route that is
                                           measured next (2000, a multiple of N; 0 measures cold JVMs); not
                                           for the large-attachment workloads. The JVM is measured
                                           then (issue 19's "warm"), and again after more polls of the measured
                                           size, until the JIT compiler is quiet (at most 120 s and 2 W more)
              --send-warmup W              the same for the SMTP_SEND workloads, in messages sent first, then
                                           batches of 200 until the compiler is quiet (2000: camel-mail sends
                                           about 20 a second); measured once, settled
              --rounds R                   rounds, each running every workload for every component (3); the
                                           order of the components alternates from round to round
              --camel-mail-rounds K        camel-mail only in the first K rounds (all): with --rounds 5
                                           --camel-mail-rounds 1, catalystmail and the wire alternate five
                                           times and camel-mail's slow runs (one SMTP thread: ~5 minutes) once
              --settle true|false          after the measurement right after the counted warm-up, go on
                                           warming up and measure the settled JVM (true); false measures only
                                           right after the counted warm-up (issue 19's figure): a consume run
                                           moves 3,000 messages instead of up to 8,000 and 5 refills; the
                                           section is <server>-counted
              --server-pids P,P            processes of the mail servers (Dovecot's and Postfix's master) whose
                                           children's CPU while the clock ran is the "server CPU ms/msg" column
                                           (default: the masters of $CATALYST_SERVERS_DIR, as
                                           scripts/mail-servers.sh starts them; none: no column). The
                                           servers must be the run's own: other clients' sessions count too
              --large-mailbox M            mailbox size for IMAP_LARGE_MAILBOX and POP3_LARGE_MAILBOX (10000)
              --large-attachment-mb S      attachment size for the *_LARGE_ATTACHMENT workloads (100)
              --workloads W,W              workloads to run (all): %s
              --components C,C             catalystmail,camel-mail,wire (with --server real all three, else the
                                           first two); wire is the raw limit measured in the same run: one
                                           connection fetching every body unparsed (IMAP FETCH 1:n BODY.PEEK[],
                                           POP3 pipelined RETR) and deleting them, or Postfix's smtp-source
              --heap X --small-heap X      -Xmx of the measured JVMs (512m; 64m for large attachments); a run
                                           with another --heap writes a section of its own (real-heap-64m, say)
              --timeout S                  seconds a run may take (900)
              --output FILE                results file (benchmarks/RESULTS.md)
              --work-dir DIR               logs and generated files (benchmarks/target/benchmark-work)
              --profile true|false         record each measured JVM with JFR (settings=profile) to a .jfr file
                                           next to its log in the work dir, and what the JIT compiler did in
                                           each measurement to <run>-compilations.txt (false)
              --protocol-log true|false    write the last measured poll's IMAP or POP3 timeline (the settled one)
                                           to each run's log: every command sent and answer read, with
                                           microseconds (false; costs time)
              --jvm-options "O O"          more options for every measured JVM, space-separated (none), for
                                           experiments such as -XX:Tier3DelayOn=100000; the results file records
                                           them with the command
            """.formatted(Arrays.toString(Workload.values()));

    static BenchmarkOptions parse(String... args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            throw new HelpRequested();
        }
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i] + "\n" + USAGE);
            }
            v.put(args[i].substring(2), args[++i]);
        }
        String server = v.getOrDefault("server", "greenmail");
        if (!server.equals("greenmail") && !server.equals("real")) {
            throw new IllegalArgumentException("--server must be greenmail or real\n" + USAGE);
        }
        Map<Workload.Protocol, Integer> ports = new EnumMap<>(Workload.Protocol.class);
        Map<Workload.Protocol, String> logins = new EnumMap<>(Workload.Protocol.class);
        String[][] defaults = { { "imap", "alice" }, { "pop3", "bob" }, { "smtp", "carol" } };
        for (String[] d : defaults) {
            Workload.Protocol protocol = Workload.Protocol.valueOf(d[0].toUpperCase());
            String port = v.getOrDefault(d[0] + "-port", System.getenv("CATALYST_" + d[0].toUpperCase() + "_PORT"));
            if (port != null) {
                ports.put(protocol, Integer.parseInt(port));
            } else if (server.equals("real")) {
                throw new IllegalArgumentException("--" + d[0] + "-port is needed for real servers\n" + USAGE);
            }
            logins.put(protocol, v.getOrDefault(d[0] + "-user", d[1]));
        }
        List<Workload> workloads = new ArrayList<>();
        for (String w : v.getOrDefault("workloads", "all").split(",")) {
            if (w.equals("all")) {
                workloads.addAll(List.of(Workload.values()));
            } else {
                workloads.add(Workload.valueOf(w.trim().toUpperCase()));
            }
        }
        List<ComponentUnderTest> components = new ArrayList<>();
        String defaultComponents = server.equals("real") ? "catalystmail,camel-mail,wire" : "catalystmail,camel-mail";
        for (String c : v.getOrDefault("components", defaultComponents).split(",")) {
            components.add(ComponentUnderTest.fromLabel(c.trim()));
        }
        Path workDir = Path.of(v.getOrDefault("work-dir", "benchmarks/target/benchmark-work"));
        BenchmarkOptions options = new BenchmarkOptions(server, v.getOrDefault("host", "127.0.0.1"), ports, logins,
                v.getOrDefault("domain", env("CATALYST_MAIL_DOMAIN", "example.test")),
                v.getOrDefault("password", env("CATALYST_MAIL_PASSWORD", "secret")),
                Integer.parseInt(v.getOrDefault("messages", "1000")), Integer.parseInt(v.getOrDefault("rounds", "3")),
                Integer.parseInt(v.getOrDefault("large-mailbox", "10000")),
                Long.parseLong(v.getOrDefault("large-attachment-mb", "100")) * 1024 * 1024, List.copyOf(workloads),
                List.copyOf(components), v.getOrDefault("heap", DEFAULT_HEAP), v.getOrDefault("small-heap", "64m"),
                Integer.parseInt(v.getOrDefault("timeout", "900")),
                Path.of(v.getOrDefault("output", "benchmarks/RESULTS.md")), workDir,
                Boolean.parseBoolean(v.getOrDefault("profile", "false")),
                Boolean.parseBoolean(v.getOrDefault("protocol-log", "false")),
                Integer.parseInt(v.getOrDefault("warmup", "2000")),
                Integer.parseInt(v.getOrDefault("send-warmup", "2000")),
                v.getOrDefault("jvm-options", "").isBlank() ? List.of()
                        : List.of(v.get("jvm-options").trim().split("\\s+")),
                Integer.parseInt(v.getOrDefault("camel-mail-rounds", v.getOrDefault("rounds", "3"))),
                Boolean.parseBoolean(v.getOrDefault("settle", "true")),
                server.equals("real") ? ServerCpu.pids(v.get("server-pids")) : List.of());
        if (options.messages() < 1 || options.rounds() < 1 || options.warmup() < 0 || options.sendWarmup() < 0
            || options.largeMailbox() < options.messages() || options.camelMailRounds() < 0) {
            throw new IllegalArgumentException("need --messages >= 1, --rounds >= 1, --warmup >= 0, --send-warmup >= 0,"
                                               + " --large-mailbox >= --messages, --camel-mail-rounds >= 0");
        }
        if (options.warmup() % options.messages() != 0) {
            // a consume run's warm-up is polls of its one route, each taking at most --messages (ConsumeWorkload)
            throw new IllegalArgumentException("--warmup " + options.warmup() + " is not a multiple of --messages "
                                               + options.messages() + ": the warm-up is polls of the measured size");
        }
        return options;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value != null && !value.isEmpty() ? value : fallback;
    }

    /** Thrown for --help: the caller prints {@link #USAGE} and stops without an error. */
    static final class HelpRequested extends IllegalArgumentException {
        HelpRequested() {
            super(USAGE);
        }
    }

    /** True when no run warms up: the figures include the JIT compiler's warm-up. */
    boolean cold() {
        return warmup == 0 && sendWarmup == 0;
    }

    /** Whether {@code component} runs in {@code round} (camel-mail only in the first {@link #camelMailRounds}). */
    boolean runs(ComponentUnderTest component, int round) {
        return component != ComponentUnderTest.CAMEL_MAIL || round <= camelMailRounds;
    }

    /** The options as a reader of the results needs them (no password). */
    String summary() {
        return "server=" + server + ", messages=" + messages + ", warm-up=" + warmup + " messages (sending: "
               + sendWarmup + "), rounds=" + rounds
               + (camelMailRounds < rounds && components.contains(ComponentUnderTest.CAMEL_MAIL)
                  ? " (camel-mail in the first " + camelMailRounds + ")" : "")
               + (settle ? "" : ", measured right after the counted warm-up only (not settled)")
               + ", large mailbox="
               + largeMailbox + ", large attachment=" + largeAttachmentBytes / (1024 * 1024) + " MiB, heap -Xmx"
               + heap + " (large attachments -Xmx" + smallHeap + ")"
               + (jvmOptions.isEmpty() ? "" : ", more JVM options: " + String.join(" ", jvmOptions));
    }
}
