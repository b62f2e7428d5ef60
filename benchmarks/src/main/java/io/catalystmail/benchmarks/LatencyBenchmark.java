package io.catalystmail.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Delivery latency (issue 16): a message is submitted over SMTP to a server that delivers it into the IMAP mailbox
 * the consumer reads; the figure is the time from the server's 250 after DATA to the exchange reaching the route,
 * in one JVM and one clock. Per consumer set-up: a warm-up, messages at random intervals of 0-500 ms (seeded), then
 * a burst back to back; p50, p99 and max of each phase, and the burst's throughput from its first 250 to its last
 * arrival. Servers ({@code --server}):
 * <ul>
 * <li>{@code dovecot} (default): Postfix hands the message to Dovecot, which announces it to an IDLE about 500 ms
 * later (see RESULTS.md);</li>
 * <li>{@code james}: Apache James's own SMTP server delivers into its mailbox store (LocalDelivery) and announces
 * the message to an IDLE at once;</li>
 * <li>{@code greenmail}: GreenMail embedded in this JVM (SMTP and IMAP), the least that any server can add.</li>
 * </ul>
 * <pre>
 *   eval "$(bash scripts/mail-servers.sh env)";       flock /tmp/catalyst-interop.lock benchmarks/run.sh --latency
 *   eval "$(bash scripts/mail-servers.sh env-james)"; flock /tmp/catalyst-interop.lock benchmarks/run.sh --latency --server james
 *   benchmarks/run.sh --latency --server greenmail
 *   benchmarks/run.sh --latency --server james --spaced 20 --burst 20 --warmup 5   # a smoke run, RESULTS.md untouched
 * </pre>
 * {@code --setups idle,poll,camel-mail} picks the consumers (default all three). RESULTS.md gets a section per server
 * ({@code latency}, {@code latency-james}, {@code latency-greenmail}) only from a full run (defaults or more).
 */
public final class LatencyBenchmark {

    private static final long ARRIVAL_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(3);
    private static final List<String> ALL_SETUPS = List.of("idle", "poll", "camel-mail");

    private final String host;
    private final int imapPort;
    private final int smtpPort;
    private final String user;
    private final String password;
    private final String domain;
    private final Options options;
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();

    private LatencyBenchmark(String host, int imapPort, int smtpPort, String user, String password, String domain,
            Options options) {
        this.host = host;
        this.imapPort = imapPort;
        this.smtpPort = smtpPort;
        this.user = user;
        this.password = password;
        this.domain = domain;
        this.options = options;
    }

    /** The command line: which server, how many messages per phase, which consumers. */
    record Options(String server, int warmUp, int spaced, int burst, List<String> setups) {

        static Options parse(String[] args) {
            String server = "dovecot";
            int warmUp = 50;
            int spaced = 200;
            int burst = 1000;
            List<String> setups = ALL_SETUPS;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--server" -> server = value;
                    case "--warmup" -> warmUp = Integer.parseInt(value);
                    case "--spaced" -> spaced = Integer.parseInt(value);
                    case "--burst" -> burst = Integer.parseInt(value);
                    case "--setups" -> setups = List.of(value.split(","));
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --server"
                            + " dovecot|james|greenmail, --warmup N, --spaced N, --burst N, --setups idle,poll,camel-mail");
                }
                i++;
            }
            if (!List.of("dovecot", "james", "greenmail").contains(server) || !ALL_SETUPS.containsAll(setups)) {
                throw new IllegalArgumentException("--server is dovecot, james or greenmail; --setups a list of "
                                                   + ALL_SETUPS);
            }
            return new Options(server, warmUp, spaced, burst, setups);
        }

        /** A run as large as the issue asks: only such a run replaces RESULTS.md's figures. */
        boolean full() {
            return warmUp >= 50 && spaced >= 200 && burst >= 1000 && setups.containsAll(ALL_SETUPS);
        }

        String path() {
            return switch (server) {
                case "james" -> "Apache James's SMTP server into its own mailbox store";
                case "greenmail" -> "GreenMail embedded in the benchmark's JVM, SMTP into its store";
                default -> "Postfix into Dovecot";
            };
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.server().equals("greenmail")) {
            try (EmbeddedGreenMail greenMail = new EmbeddedGreenMail("example.test", "secret")) {
                MailAccount account = greenMail.account(Workload.Protocol.IMAP);
                new LatencyBenchmark(greenMail.host(), greenMail.port(Workload.Protocol.IMAP),
                        greenMail.port(Workload.Protocol.SMTP), account.login(), "secret", "example.test", options).run();
            }
            return;
        }
        String kind = System.getenv().getOrDefault("CATALYST_SERVER_KIND", "dovecot");
        if (!kind.equals(options.server())) {
            throw new IllegalStateException("--server " + options.server() + " but the exported servers are " + kind
                    + ": eval \"$(bash scripts/mail-servers.sh " + (options.server().equals("james") ? "env-james" : "env")
                    + ")\" first");
        }
        new LatencyBenchmark(env("CATALYST_MAIL_HOST"), Integer.parseInt(env("CATALYST_IMAP_PORT")),
                Integer.parseInt(env("CATALYST_SMTP_PORT")), System.getenv().getOrDefault("LATENCY_USER", "bob"),
                env("CATALYST_MAIL_PASSWORD"), env("CATALYST_MAIL_DOMAIN"), options).run();
    }

    private void run() throws Exception {
        String login = "?username=" + user + "&password=RAW(" + password + ")&delete=true";
        String catalyst = "catalystmail:imap:" + host + ":" + imapPort + login + "&startTls=DISABLED";
        Map<String, String[]> known = Map.of(
                "idle", new String[] { "catalystmail idle=true (delay at its 60 s default)", catalyst + "&idle=true&initialDelay=0" },
                "poll", new String[] { "catalystmail delay=1000", catalyst + "&initialDelay=0&delay=1000" },
                "camel-mail", new String[] { "camel-mail delay=1000",
                        "imap://" + host + ":" + imapPort + login + "&initialDelay=0&delay=1000" });
        StringBuilder table = new StringBuilder("| consumer | phase | messages | p50 ms | p99 ms | max ms | burst msg/s | lost | duplicates |\n"
                                                + "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String name : options.setups()) {
            String[] setup = known.get(name);
            for (String row : measure(setup[0], setup[1])) {
                table.append(row).append('\n');
                System.out.println(row);
            }
        }
        if (!options.full()) {
            System.out.println("(a smaller run than --warmup 50 --spaced 200 --burst 1000 with every set-up:"
                               + " RESULTS.md not written)");
            return;
        }
        String section = options.server().equals("dovecot") ? "latency" : "latency-" + options.server();
        String command = options.server().equals("greenmail") ? "benchmarks/run.sh --latency --server greenmail"
                : "flock /tmp/catalyst-interop.lock benchmarks/run.sh --latency --server " + options.server();
        String body = "## Delivery latency (SMTP 250 to the route, " + options.path() + ")\n\n"
                      + "- Date: " + ResultsFile.now() + "\n" + ResultsFile.machineAndJvm()
                      + "- Command: `" + command + "`\n"
                      + "- Each set-up: " + options.warmUp() + " warm-up messages, then " + options.spaced()
                      + " at random intervals of 0-500 ms (seed 16), then a burst of " + options.burst()
                      + " back to back on one SMTP connection.\n\n"
                      + table + "\n";
        ResultsFile.writeSection(Path.of("benchmarks", "RESULTS.md"), section, body);
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set: eval \"$(bash scripts/mail-servers.sh env)\" first");
        }
        return value;
    }

    private List<String> measure(String label, String uri) throws Exception {
        arrivals.clear();
        duplicates.set(0);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).process(e -> {
                        long now = System.nanoTime();
                        String seq = e.getMessage().getHeader("X-Latency-Seq", String.class);
                        if (seq != null && arrivals.putIfAbsent(seq.strip(), now) != null) {
                            duplicates.incrementAndGet();
                        }
                        synchronized (arrivals) {
                            arrivals.notifyAll();
                        }
                    });
                }
            });
            context.start();
            String run = Long.toString(System.nanoTime(), 36);
            try (SmtpSubmitter smtp = new SmtpSubmitter(host, smtpPort, "latency@" + domain, user + "@" + domain)) {
                phase(smtp, run + "-w", options.warmUp(), 100, null);
                Random random = new Random(16);
                long[] spaced = phase(smtp, run + "-s", options.spaced(), 500, random);
                long[] burst = phase(smtp, run + "-b", options.burst(), 0, null);
                List<String> rows = new ArrayList<>();
                rows.add(row(label, String.format("%,d spaced", options.spaced()), run + "-s", spaced, false));
                rows.add(row(label, String.format("%,d burst", options.burst()), run + "-b", burst, true));
                return rows;
            }
        }
    }

    /** Submits {@code count} messages, pausing a random 0..maxGap ms between them (fixed gap without random). */
    private long[] phase(SmtpSubmitter smtp, String prefix, int count, int maxGap, Random random) throws Exception {
        long[] accepted = new long[count];
        for (int i = 0; i < count; i++) {
            accepted[i] = smtp.submit(prefix + "-" + i);
            int gap = random != null ? random.nextInt(maxGap + 1) : (maxGap > 0 && i % 10 == 9 ? maxGap : 0);
            if (gap > 0) {
                // the workload's pacing (not a wait for mail): the next submission is due in gap ms
                TimeUnit.MILLISECONDS.sleep(gap);
            }
        }
        long deadline = System.nanoTime() + ARRIVAL_LIMIT_NANOS;
        synchronized (arrivals) {
            long left;
            while (arrived(prefix, count) < count && (left = deadline - System.nanoTime()) > 0) {
                arrivals.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return accepted;
    }

    private int arrived(String prefix, int count) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (arrivals.containsKey(prefix + "-" + i)) {
                n++;
            }
        }
        return n;
    }

    private String row(String label, String phase, String prefix, long[] accepted, boolean throughput) {
        List<Long> latencies = new ArrayList<>();
        long lastArrival = 0;
        for (int i = 0; i < accepted.length; i++) {
            Long arrived = arrivals.get(prefix + "-" + i);
            if (arrived != null) {
                latencies.add(arrived - accepted[i]);
                lastArrival = Math.max(lastArrival, arrived);
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        int lost = accepted.length - sorted.length;
        String rate = throughput && sorted.length > 0
                ? String.format("%.0f", sorted.length / ((lastArrival - accepted[0]) / 1e9)) : "";
        return "| " + label + " | " + phase + " | " + sorted.length + " | " + ms(percentile(sorted, 50)) + " | "
               + ms(percentile(sorted, 99)) + " | " + ms(sorted.length == 0 ? -1 : sorted[sorted.length - 1]) + " | "
               + rate + " | " + lost + " | " + duplicates.get() + " |";
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "-" : String.format("%.1f", nanos / 1e6);
    }
}
