package io.catalystmail.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 19's long warm-up, as a curve: one catalystmail JVM ({@link WarmCurvePolls}) drains {@code polls} polls of
 * {@code messages} messages from one mailbox, and before each of its polls this driver runs the raw wire's poll of
 * the same size on the same mailbox ({@link WireClients}), so each ratio compares two polls of the same minute. The
 * measured JVM is recorded with every compilation and deoptimization (JFR), which {@link WarmCurveReport} counts per
 * poll.
 *
 * <p>{@code java -cp ... io.catalystmail.benchmarks.WarmCurve protocol=IMAP polls=35 out=DIR [messages=1000]
 * [heap=512m] [jvm=-XX:...] [prefill=N]}, with the servers of {@code scripts/mail-servers.sh env} in the environment.
 */
public final class WarmCurve {

    private static final String SENDER = "sender@example.test";
    /** The wire's messages are numbered apart from the measured JVM's ({@link MailboxRefill#FIRST_NUMBER} on). */
    private static final int WIRE_FIRST_NUMBER = 5_000_001;

    private WarmCurve() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> v = WorkloadMain.parse(args);
        Workload.Protocol protocol = Workload.Protocol.valueOf(v.getOrDefault("protocol", "IMAP"));
        int polls = Integer.parseInt(v.getOrDefault("polls", "30"));
        int messages = Integer.parseInt(v.getOrDefault("messages", "1000"));
        Path out = Path.of(v.getOrDefault("out", "benchmarks/target/warm-curve"));
        Files.createDirectories(out);
        String login = protocol == Workload.Protocol.IMAP ? "alice" : "bob";
        String domain = env("CATALYST_MAIL_DOMAIN", "example.test");
        String password = env("CATALYST_MAIL_PASSWORD", "secret");
        MailAccount account = new MailAccount(login, login + "@" + domain, password);
        String host = env("CATALYST_MAIL_HOST", "localhost");
        int port = Integer.parseInt(System.getenv("CATALYST_" + protocol + "_PORT"));
        // the mailbox is filled over IMAP whichever protocol drains it
        Map<Workload.Protocol, Integer> ports = new EnumMap<>(Map.of(protocol, port));
        ports.put(Workload.Protocol.IMAP, Integer.parseInt(System.getenv("CATALYST_IMAP_PORT")));
        Map<Workload.Protocol, MailAccount> accounts = new EnumMap<>(Map.of(protocol, account));
        accounts.put(Workload.Protocol.IMAP, account);
        RealMailServers server = new RealMailServers(host, ports, accounts);
        server.empty(account);
        // prefill=N: the whole drain stored first and polled back to back, as a busy service polls, without the
        // refills' seconds in which the compiler catches up; no wire then (it would drain the same mailbox)
        int prefill = Integer.parseInt(v.getOrDefault("prefill", "0"));
        if (prefill > 0) {
            server.add(account, 1, prefill);
        }
        ComponentUnderTest.Target target = new ComponentUnderTest.Target(host, port, login, password);
        Workload workload = protocol == Workload.Protocol.IMAP ? Workload.IMAP_CONSUME : Workload.POP3_CONSUME;
        RunSpec spec = new RunSpec(ComponentUnderTest.CATALYSTMAIL, workload, target, SENDER, account.address(), 0,
                messages, null, 300, false, List.of());

        String name = "curve-" + protocol.name().toLowerCase();
        Path recording = out.resolve(name + ".jfr");
        Path tmp = out.resolve("tmp-" + name);
        ChildRun.deleteTree(tmp);
        Files.createDirectories(tmp);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + v.getOrDefault("heap", "512m"), "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=" + tmp,
                "-XX:FlightRecorderOptions:repository=" + out.resolve("jfr-" + name),
                "-XX:StartFlightRecording=settings=" + CompilationSummary.settingsFile(out) + ",filename=" + recording,
                "-D" + WarmCurvePolls.POLLS_PROPERTY + "=" + polls));
        if (v.containsKey("jvm")) {
            command.addAll(List.of(v.get("jvm").split(" ")));
        }
        command.addAll(List.of("-cp", ChildRun.workloadClassPath(), WarmCurvePolls.class.getName()));
        command.addAll(spec.toArguments());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(RunSpec.PASSWORD_VARIABLE, password);
        Process child = builder.start();

        List<Map<String, String>> polled = new ArrayList<>();
        List<double[]> wire = new ArrayList<>();
        int wireNext = WIRE_FIRST_NUMBER;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             Writer log = Files.newBufferedWriter(out.resolve(name + ".log"), StandardCharsets.UTF_8)) {
            Writer answers = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.US_ASCII);
            for (String line; (line = lines.readLine()) != null; ) {
                log.write(line + "\n");
                log.flush();
                if (line.startsWith(MailboxRefill.REQUEST)) {
                    String[] numbers = line.substring(MailboxRefill.REQUEST.length()).split(" ");
                    if (prefill > 0) {
                        wire.add(new double[] { Double.NaN, -1 });
                    } else {
                        // the wire's poll of the same size, on the same mailbox, right before the component's
                        server.add(account, wireNext, messages);
                        wireNext += messages;
                        wire.add(wirePoll(protocol, target, messages));
                        server.add(account, Integer.parseInt(numbers[0]), Integer.parseInt(numbers[1]));
                    }
                    answers.write(MailboxRefill.DONE + "\n");
                    answers.flush();
                } else if (line.startsWith(WarmCurvePolls.LINE)) {
                    polled.add(WorkloadMain.parse(line.substring(WarmCurvePolls.LINE.length()).split(" ")));
                    System.out.println(line + " wireSeconds=" + wire.get(wire.size() - 1)[0]);
                } else if (line.startsWith(WorkloadMain.ERROR_PREFIX)) {
                    System.out.println(line);
                }
            }
        }
        int status = child.waitFor();
        ChildRun.deleteTree(tmp);
        String report = WarmCurveReport.write(protocol, polled, wire, recording, String.join(" ", args));
        Files.writeString(out.resolve(name + ".md"), report);
        System.out.println(report);
        System.exit(status);
    }

    /** {wall seconds, one-minute load when it started} of the wire's poll of {@code messages}. */
    private static double[] wirePoll(Workload.Protocol protocol, ComponentUnderTest.Target target, int messages)
            throws Exception {
        double load = ResultsFile.oneMinuteLoad();
        long start = System.nanoTime();
        if (protocol == Workload.Protocol.IMAP) {
            WireClients.imapFetchAndDelete(target, messages);
        } else {
            WireClients.pop3RetrieveAndDelete(target, messages);
        }
        return new double[] { (System.nanoTime() - start) / 1e9, load };
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value != null && !value.isEmpty() ? value : fallback;
    }
}
