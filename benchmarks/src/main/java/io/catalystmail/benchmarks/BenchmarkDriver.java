package io.catalystmail.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs every workload for each component against the same server, interleaved (the order of the components
 * alternates from round to round), each measured run in a JVM of its own, and writes the table to the
 * results file. See {@link BenchmarkOptions#USAGE}.
 */
public final class BenchmarkDriver {

    private static final String SENDER = "sender@example.test";
    /** How long the mailbox may go without receiving one of the messages sent before a send run gives up. */
    private static final int DELIVERY_STALL_SECONDS = 60;
    private static final int DELIVERY_LOOK_MILLIS = 500;

    private final BenchmarkOptions options;
    private final MailServer server;
    private final ChildRun children;
    private final long standardBytes;
    private Path largeMessage;
    private Path largeAttachment;

    private BenchmarkDriver(BenchmarkOptions options, MailServer server, ChildRun children) {
        this.options = options;
        this.server = server;
        this.children = children;
        this.standardBytes = TestMessage.standard(SENDER, server.account(Workload.Protocol.IMAP).address(), 1).length;
    }

    public static void main(String[] args) throws Exception {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(e instanceof BenchmarkOptions.HelpRequested ? 0 : 2);
            return;
        }
        Tables tables = run(options, "benchmarks/run.sh " + ResultsFile.withoutPassword(args));
        // camel-mail failing is a finding the tables show (its large-attachment run at -Xmx64m runs out of memory),
        // not a broken benchmark: only our own runs and the wire's decide the exit status
        boolean failed = java.util.stream.Stream.concat(tables.last().results().stream(),
                        tables.counted().results().stream())
                .anyMatch(r -> !r.ok() && r.component() != ComponentUnderTest.CAMEL_MAIL);
        System.exit(failed ? 1 : 0);
    }

    /**
     * A benchmark's tables: {@code last}, each run's final figures (settled, or cold without a warm-up; with
     * {@code --settle false} only the large attachments', measured cold), and {@code counted}, the runs measured
     * right after the counted warm-up (empty without a warm-up), with smtp-source's runs, which have nothing to
     * warm up.
     */
    record Tables(ResultTable last, ResultTable counted) {
    }

    /** Runs the benchmark, prints the tables and writes them to the results file; returns them for inspection. */
    static Tables run(BenchmarkOptions options, String command) throws Exception {
        Files.createDirectories(options.workDir());
        ChildRun children = new ChildRun(ChildRun.workloadClassPath(), options.workDir(), options.profile(),
                options.protocolLog(), options.jvmOptions());
        try (MailServer server = startServer(options)) {
            System.out.println("Server: " + server.description());
            BenchmarkDriver driver = new BenchmarkDriver(options, server, children);
            Tables tables = driver.runRounds();
            System.out.println();
            System.out.print(tables.last().toMarkdown());
            System.out.print(tables.counted().toMarkdown());
            ResultsFile.write(options.output(), server, options, command, tables);
            System.out.println("\nWritten to " + options.output());
            return tables;
        }
    }

    private static MailServer startServer(BenchmarkOptions options) throws Exception {
        if (options.server().equals("greenmail")) {
            return new EmbeddedGreenMail(options.domain(), options.password());
        }
        Map<Workload.Protocol, MailAccount> accounts = new EnumMap<>(Workload.Protocol.class);
        options.logins().forEach((protocol, login) -> accounts.put(protocol,
                new MailAccount(login, login.contains("@") ? login : login + "@" + options.domain(), options.password())));
        return new RealMailServers(options.host(), options.ports(), accounts);
    }

    private Tables runRounds() throws Exception {
        ResultTable table = new ResultTable(options.workloads(), options.components(), "");
        ResultTable counted = new ResultTable(options.workloads(), options.components(), COUNTED_HEADING);
        try {
            // one workload (with those measured against the same wire) at a time, all its rounds in a row: each
            // round's component and wire runs follow each other within a minute or two, so their ratio compares
            // two runs that met the same machine, while the load moves a lot over the whole benchmark
            for (List<Workload> group : wireGroups(options.workloads())) {
                for (int round = 1; round <= options.rounds(); round++) {
                    for (ComponentUnderTest component : order(options.components(), round)) {
                        for (Workload workload : group) {
                            if (component.runs(workload) && options.runs(component, round)) {
                                runAndRecord(workload, component, round, table, counted);
                            }
                        }
                    }
                }
            }
        } finally {
            for (Path generated : new Path[] { largeMessage, largeAttachment }) {
                if (generated != null) {
                    Files.deleteIfExists(generated);
                }
            }
        }
        return new Tables(table, counted);
    }

    /**
     * The workloads in groups measured against the same wire (IMAP_CONSUME with IMAP_CONSUME_RAW, say), in the order
     * of their first appearance; a workload without a wire is a group of its own.
     */
    static List<List<Workload>> wireGroups(List<Workload> workloads) {
        Map<Workload, List<Workload>> groups = new java.util.LinkedHashMap<>();
        for (Workload workload : workloads) {
            Workload key = workload.wireReference() == null ? workload : workload.wireReference();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(workload);
        }
        return List.copyOf(groups.values());
    }

    /**
     * The components in the order a round runs them: the pair compared with each other (catalystmail and the wire)
     * first, next to each other, in the order of --components and the other way round every second round, so a load
     * that rises or falls during a pair favours neither side throughout; camel-mail after them, as it does not run in
     * every round and is compared with the wire only at a factor of ten.
     */
    static List<ComponentUnderTest> order(List<ComponentUnderTest> components, int round) {
        List<ComponentUnderTest> pair = new ArrayList<>(components);
        pair.remove(ComponentUnderTest.CAMEL_MAIL);
        if (round % 2 == 0) {
            java.util.Collections.reverse(pair);
        }
        if (components.contains(ComponentUnderTest.CAMEL_MAIL)) {
            pair.add(ComponentUnderTest.CAMEL_MAIL);
        }
        return pair;
    }

    private void runAndRecord(Workload workload, ComponentUnderTest component, int round, ResultTable table,
                              ResultTable counted) throws Exception {
        long started = System.nanoTime();
        ChildRun.Outcome outcome;
        try {
            outcome = runOne(workload, component, round);
        } catch (IOException e) {
            // the server went away while the harness prepared or checked the mailbox: this run
            // has no figures, the next ones may well have
            outcome = new ChildRun.Outcome(RunResult.failed(component, workload, round,
                    "harness could not prepare or check the mailbox: " + e), null);
        }
        RunResult result = outcome.last();
        if (!options.settle() && !workload.largeAttachment()) {
            // without settling a run's one figure is the one right after the counted warm-up (or
            // smtp-source's, the wire of those); the large attachments are measured cold as ever
            counted.add(result);
        } else {
            table.add(result);
        }
        if (outcome.counted() != null) {
            counted.add(outcome.counted());
            printRound(round, workload, component, outcome.counted(), "after counted warm-up ");
        } else if (component == ComponentUnderTest.WIRE && !workload.consumes()
                   && options.sendWarmup() > 0 && options.settle()) {
            // smtp-source has nothing to warm up: its one figure is the wire of both tables
            counted.add(result);
        }
        printRound(round, workload, component, result, "");
        // what each run costs in time, the whole JVM's: what to leave out when a benchmark takes too long
        System.out.printf(java.util.Locale.ROOT, "round %d %-22s %-12s took %.0f s%n", round, workload,
                component.label(), (System.nanoTime() - started) / 1e9);
    }

    /** Heading suffix of the tables of figures taken right after the counted warm-up. */
    static final String COUNTED_HEADING = ", right after the counted warm-up";

    private static void printRound(int round, Workload workload, ComponentUnderTest component, RunResult result,
                                   String which) {
        System.out.printf("round %d %-22s %-12s %s%s%n", round, workload, component.label(), which,
                result.ok() ? String.format(java.util.Locale.ROOT,
                        "%.1f msg/s, %.2f s, CPU %.3f ms/msg, server CPU %.3f ms/msg, heap %d MiB, RSS %d MiB, load %.2f",
                        result.messagesPerSecond(), result.seconds(), result.cpuMillisPerMessage(),
                        result.serverCpuMillisPerMessage(), result.peakHeap() >> 20, result.peakRss() >> 20,
                        result.load()) : "FAILED: " + result.failure());
    }

    private ChildRun.Outcome runOne(Workload workload, ComponentUnderTest component, int round) throws Exception {
        MailAccount account = server.account(workload.protocol());
        int messages = workload.largeAttachment() ? 1 : options.messages();
        // the large-attachment workloads are about memory and move one message; they are measured cold
        // smtp-source is a C program: it has no compiler to warm up
        int warmup = workload.largeAttachment() || (component == ComponentUnderTest.WIRE && !workload.consumes()) ? 0
                : workload.consumes() ? options.warmup() : options.sendWarmup();
        long messageBytes = standardBytes;
        Path attachmentFile = null;
        switch (workload.kind()) {
            case STANDARD -> prepare(workload, account, warmup + messages);
            // the warm-up takes its messages first: the measured poll starts on a mailbox of largeMailbox messages
            case LARGE_MAILBOX -> server.fillTo(account, warmup + options.largeMailbox());
            case LARGE_ATTACHMENT -> {
                if (workload.consumes()) {
                    server.storeOnly(account, largeMessage());
                    messageBytes = Files.size(largeMessage());
                } else {
                    server.empty(account);
                    attachmentFile = largeAttachment();
                    messageBytes = Files.size(attachmentFile);
                }
            }
        }
        RunSpec spec = new RunSpec(component, workload,
                new ComponentUnderTest.Target(server.host(), server.port(workload.protocol()), account.login(),
                        account.password()),
                SENDER, account.address(), warmup, messages, attachmentFile, options.timeoutSeconds(),
                options.settle(), options.serverPids());
        String heap = workload.largeAttachment() ? options.smallHeap() : options.heap();
        // the measured JVM asks for its mailbox to be refilled while it warms up, or (sending) for its warm-up's
        // messages to be delivered before it measures (MailboxRefill)
        double load = ResultsFile.oneMinuteLoad();
        ChildRun.Outcome outcome = children.run(spec, heap, round, messageBytes,
                (first, count) -> server.add(account, first, count), count -> {
                    // after the measured send too (Measured.withServerCpuUntilDelivered): a large attachment's
                    // delivery gets the stall the run's final check gives it
                    String problem = deliveryProblem(account, count, deliveryStallSeconds(workload));
                    if (problem != null) {
                        throw new IOException(problem);
                    }
                });
        // the load each measurement met, as its JVM read it when the clock started; where it did not say, the load when
        // the JVM started
        RunResult result = outcome.last().load() >= 0 ? outcome.last() : outcome.last().withLoad(load);
        RunResult counted = outcome.counted() == null || outcome.counted().load() >= 0 ? outcome.counted()
                : outcome.counted().withLoad(load);
        if (result.ok()) {
            String problem = check(workload, account, warmup, result);
            if (problem != null) {
                result = result.withFailure(problem);
                // the mailbox after the run speaks for the whole JVM, the measurement before included
                counted = counted == null || !counted.ok() ? counted : counted.withFailure(problem);
            }
        }
        if (counted != null && counted.ok() && workload.consumes() && bytesReadProblem(workload, counted) != null) {
            counted = counted.withFailure(bytesReadProblem(workload, counted));
        }
        if (workload.largeAttachment()) {
            // the large message would otherwise sit in the server (in GreenMail's case: in this JVM's heap)
            server.empty(account);
        }
        return new ChildRun.Outcome(result, counted);
    }

    private void prepare(Workload workload, MailAccount account, int messages) throws Exception {
        if (workload.consumes()) {
            server.fillTo(account, messages);
        } else {
            server.empty(account);
        }
    }

    /** The harness's own checks that the run did the whole job; null when it did. */
    private String check(Workload workload, MailAccount account, int warmup, RunResult result) throws Exception {
        if (result.tmpFilesLeft() > 0) {
            return result.tmpFilesLeft() + " temp file(s) left after the Camel context stopped";
        }
        if (workload.consumes()) {
            String bytesProblem = bytesReadProblem(workload, result);
            if (bytesProblem != null) {
                return bytesProblem;
            }
            int expectedLeft = workload.kind() == Workload.Kind.LARGE_MAILBOX
                    ? options.largeMailbox() - result.messages() : 0;
            int left = server.count(account);
            return left == expectedLeft ? null
                    : left + " message(s) left on the server after the run, expected " + expectedLeft;
        }
        // every message the JVM sent: the counted warm-up, what came after it and the measured ones
        int sent = result.warmUp() == null ? warmup + result.messages()
                : result.warmUp().counted() + result.warmUp().more() + result.messages();
        return deliveryProblem(account, sent, deliveryStallSeconds(workload));
    }

    /** Seconds without a new message in the mailbox after which a send run's delivery counts as stalled. */
    private static int deliveryStallSeconds(Workload workload) {
        return workload.largeAttachment() ? 300 : DELIVERY_STALL_SECONDS;
    }

    /**
     * Waits until the mailbox holds {@code count} messages; null then, else what is missing. The server's queue
     * delivers at its own pace, slower than the sender on a loaded machine (Postfix was 1,600 messages behind at load
     * 54), so this gives up only when no message arrived for {@code stallSeconds}, not when delivery is slow.
     */
    private String deliveryProblem(MailAccount account, int count, int stallSeconds) throws Exception {
        long window = TimeUnit.SECONDS.toNanos(stallSeconds);
        long deadline = System.nanoTime() + window;
        int delivered = 0;
        for (int now; (now = server.count(account)) < count; delivered = now) {
            if (now > delivered) {
                deadline = System.nanoTime() + window;
            } else if (System.nanoTime() > deadline) {
                return "only " + now + " of " + count + " sent messages arrived in the mailbox, none in the last "
                       + stallSeconds + " s";
            }
            // each look is an IMAP session on the server, whose CPU a send measurement counts until the delivery
            // (Measured.withServerCpuUntilDelivered): a login, EXAMINE of 1,000 messages and LOGOUT cost Dovecot
            // 16-17 ms of CPU (2026-12-02), so looking every 50 ms added a third of a core while the delivery lagged
            // (0.7 ms a message for a lag of 2 s); every 500 ms it adds a thirtieth
            Thread.sleep(DELIVERY_LOOK_MILLIS);
        }
        return null;
    }

    /** Whether a consume measurement read every message in full; null when it did. */
    private String bytesReadProblem(Workload workload, RunResult result) {
        long expectedAttachment = workload.largeAttachment() ? options.largeAttachmentBytes() : TestMessage.ATTACHMENT_BYTES;
        // the wire reads whole messages, like a raw workload
        boolean wholeMessages = workload.raw() || result.component() == ComponentUnderTest.WIRE;
        if (!wholeMessages && result.bytesRead() != result.messages() * expectedAttachment) {
            return "the route read " + result.bytesRead() + " attachment bytes, expected "
                   + result.messages() * expectedAttachment;
        }
        // a raw message may differ from the stored one only in trace headers a server adds
        if (wholeMessages && result.bytesRead() < result.messages() * (result.messageBytes() - 1024)) {
            return "the route read " + result.bytesRead() + " raw bytes, expected about "
                   + result.messages() * result.messageBytes();
        }
        return null;
    }

    private Path largeMessage() throws IOException {
        if (largeMessage == null) {
            largeMessage = options.workDir().resolve("large-message.eml");
            TestMessage.writeLarge(largeMessage, SENDER, server.account(Workload.Protocol.IMAP).address(),
                    options.largeAttachmentBytes());
        }
        return largeMessage;
    }

    private Path largeAttachment() throws IOException {
        if (largeAttachment == null) {
            largeAttachment = options.workDir().resolve("large-attachment.bin");
            TestMessage.writeAttachmentFile(largeAttachment, options.largeAttachmentBytes());
        }
        return largeAttachment;
    }
}
