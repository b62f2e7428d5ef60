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
 * Delivery latency (issue 16): a message is submitted over SMTP to Postfix, which hands it to Dovecot; the
 * figure is the time from Postfix's 250 after DATA to the exchange reaching the route, in one JVM and one clock.
 * Per consumer set-up: a warm-up, 200 messages at random intervals of 0-500 ms (seeded), then a burst of 1,000
 * back to back; p50, p99 and max of each phase, and the burst's throughput from its first 250 to its last arrival.
 * <pre>
 *   eval "$(bash scripts/mail-servers.sh env)"
 *   flock /tmp/catalyst-interop.lock benchmarks/run.sh --latency
 * </pre>
 */
public final class LatencyBenchmark {

    private static final int WARM_UP = 50;
    private static final int SPACED = 200;
    private static final int BURST = 1000;
    private static final long ARRIVAL_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(3);

    private final String host;
    private final int imapPort;
    private final int smtpPort;
    private final String user;
    private final String password;
    private final String domain;
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();

    private LatencyBenchmark(String host, int imapPort, int smtpPort, String user, String password, String domain) {
        this.host = host;
        this.imapPort = imapPort;
        this.smtpPort = smtpPort;
        this.user = user;
        this.password = password;
        this.domain = domain;
    }

    public static void main(String[] args) throws Exception {
        String user = System.getenv().getOrDefault("LATENCY_USER", "bob");
        LatencyBenchmark bench = new LatencyBenchmark(env("CATALYST_MAIL_HOST"),
                Integer.parseInt(env("CATALYST_IMAP_PORT")), Integer.parseInt(env("CATALYST_SMTP_PORT")), user,
                env("CATALYST_MAIL_PASSWORD"), env("CATALYST_MAIL_DOMAIN"));
        String login = "?username=" + user + "&password=RAW(" + bench.password + ")&delete=true";
        String catalyst = "catalystmail:imap:" + bench.host + ":" + bench.imapPort + login + "&startTls=DISABLED";
        String camelMail = "imap://" + bench.host + ":" + bench.imapPort + login + "&initialDelay=0&delay=1000";
        List<String[]> setups = List.of(
                new String[] { "catalystmail idle=true (delay at its 60 s default)", catalyst + "&idle=true&initialDelay=0" },
                new String[] { "catalystmail delay=1000", catalyst + "&initialDelay=0&delay=1000" },
                new String[] { "camel-mail delay=1000", camelMail });
        StringBuilder table = new StringBuilder("| consumer | phase | messages | p50 ms | p99 ms | max ms | burst msg/s | lost | duplicates |\n"
                                                + "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String[] setup : setups) {
            for (String row : bench.measure(setup[0], setup[1])) {
                table.append(row).append('\n');
                System.out.println(row);
            }
        }
        String body = "## Delivery latency (SMTP 250 to the route, Postfix into Dovecot)\n\n"
                      + "- Date: " + ResultsFile.now() + "\n" + ResultsFile.machineAndJvm()
                      + "- Command: `flock /tmp/catalyst-interop.lock benchmarks/run.sh --latency`\n"
                      + "- Each set-up: " + WARM_UP + " warm-up messages, then " + SPACED + " at random intervals of"
                      + " 0-500 ms (seed 16), then a burst of " + BURST + " back to back on one SMTP connection.\n\n"
                      + table + "\n";
        ResultsFile.writeSection(Path.of("benchmarks", "RESULTS.md"), "latency", body);
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
                phase(smtp, run + "-w", WARM_UP, 100, null);
                Random random = new Random(16);
                long[] spaced = phase(smtp, run + "-s", SPACED, 500, random);
                long[] burst = phase(smtp, run + "-b", BURST, 0, null);
                List<String> rows = new ArrayList<>();
                rows.add(row(label, "200 spaced", run + "-s", spaced, false));
                rows.add(row(label, "1,000 burst", run + "-b", burst, true));
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
