package io.catalystmail.camel.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.mail.Folder;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Runs {@link MailNode}s on one Dovecot mailbox, kills nodes with SIGKILL at random moments (each replaced by a
 * new node, so the count stays), and counts per message how often it was routed. The CI variant is
 * {@link SeveralNodesInteropIT}; {@code benchmarks/several-nodes.sh} runs the full size through {@link #main}.
 */
final class SeveralNodesRun {

    /**
     * What one run showed. An attempt is a message a route began (a line in a node's file), an effect a route's
     * committed transaction (a row in {@value MailNode#EFFECTS_TABLE}); lost: no effect.
     */
    record Result(int messages, int lost, int duplicates, int effectDuplicates, int leftOnServer, long routingMillis,
                  List<Long> takeoverMillis, Map<String, Integer> linesPerNode, int lockRows) {
        String describe() {
            return String.format("%d messages: %d lost, %d routed twice or more (attempts), %d with two effects,"
                                 + " %d left on the server; first to last routed %d ms (%.0f msg/s); takeover after"
                                 + " kill (ms) %s; attempts per node %s; %d orphan-lock rows left",
                    messages, lost, duplicates, effectDuplicates, leftOnServer, routingMillis,
                    messages * 1000.0 / routingMillis, takeoverMillis, linesPerNode, lockRows);
        }
    }

    private final String mode;
    private final String user;
    /** Mailboxes of the run: the user's, or in mode spread one per node. */
    private List<String> users = List.of();
    private final int fetchSize;
    private final int maxPerPoll;
    private final Path work;
    private final Random random;
    /** A node's JVM and the file its route writes to. */
    private record Node(String name, Process process, Path out) {
    }

    private final List<Node> live = new ArrayList<>();
    private final List<Path> outputs = new ArrayList<>();

    /** Where a run's mail waits until every node runs ({@link Mailboxes#empty} removes it before the next run). */
    private static final String HOLDING_FOLDER = "several-nodes-holding";

    /** The project's mail users (scripts/mail-servers.sh): the mailboxes of mode spread. */
    private static final List<String> SPREAD_USERS = List.of("alice", "bob", "carol");

    SeveralNodesRun(String mode, String user, int fetchSize, int maxPerPoll, Path work, long seed) {
        this.mode = mode;
        this.user = user;
        this.fetchSize = fetchSize;
        this.maxPerPoll = maxPerPoll;
        this.work = work;
        this.random = new Random(seed);
    }

    Result run(int nodes, int messages, int kills, long deadlineMillis) throws Exception {
        // spread: each node its own mailbox (a single consumer on each), the scale-out one mailbox cannot give
        users = mode.equals("spread") ? SPREAD_USERS.subList(0, Math.min(nodes, SPREAD_USERS.size())) : List.of(user);
        for (String u : users) {
            Mailboxes.empty(u);
            forgetRepository(u);
        }
        String runId = Long.toHexString(random.nextLong() & 0xffffffL);
        fill(messages, runId);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        List<Long> takeovers = new ArrayList<>();
        // kill moments: random numbers of routed messages between 10 % and 80 % of the run
        List<Integer> killAt = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            killAt.add(messages / 10 + random.nextInt(Math.max(1, messages * 7 / 10)));
        }
        killAt.sort(null);
        long firstRouted;
        long allRouted;
        // from the first node on: a node left running after a failed start polls the mailbox for the ITs after this one
        try {
            for (int i = 0; i < nodes; i++) {
                startNode();
            }
            // the mail reaches the INBOXes only once every node runs, in one MOVE each: with the mail there first, the
            // node whose JVM started first routed much of it alone, and a throughput run measured the start-up's stagger
            waitUntil(deadline, "every node started", 50, this::allStarted);
            for (String u : users) {
                Mailboxes.moveAll(u, HOLDING_FOLDER, "INBOX");
            }
            waitUntil(deadline, "the first message routed", 10, () -> routedLines() > 0);
            firstRouted = System.nanoTime();
            for (int threshold : killAt) {
                // polling the nodes' files for the kill moment
                waitUntil(deadline, threshold + " routed, to kill", 5, () -> routedLines() >= threshold);
                takeovers.add(killOne(deadline, messages, runId));
            }
            waitUntil(deadline, "all " + messages + " routed and committed", 100, () -> allCommitted(messages, runId));
            allRouted = System.nanoTime();
            waitUntil(deadline, "the mailbox empty", 500, () -> messageCount() == 0);
            if (mode.equals("active-active")) {
                // idempotentRemoveOnCommit: the live nodes' polls remove the keys of what they expunged, one poll
                // later; what stays is a killed node's, expunged and not yet removed (at most two polls' worth each)
                int leftByKilled = 2 * maxPerPoll * kills;
                try {
                    waitUntil(Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(30)),
                            "at most " + leftByKilled + " orphan-lock rows", 200, () -> lockRows() <= leftByKilled);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // the result says how many stayed; the caller judges
                }
            }
        } finally {
            live.forEach(n -> n.process().destroyForcibly());
            for (Node n : live) {
                Process p = n.process();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(allRouted - firstRouted));
        Map<String, Integer> counts = counts();
        Map<String, Integer> effects = effects();
        int lost = 0;
        int duplicates = 0;
        int effectDuplicates = 0;
        for (int i = 0; i < messages; i++) {
            lost += effects.getOrDefault(subject(runId, i), 0) == 0 ? 1 : 0;
            duplicates += counts.getOrDefault(subject(runId, i), 0) > 1 ? 1 : 0;
            effectDuplicates += effects.getOrDefault(subject(runId, i), 0) > 1 ? 1 : 0;
        }
        Map<String, Integer> perNode = new HashMap<>();
        for (Path out : outputs) {
            perNode.put(out.getFileName().toString(), Files.readAllLines(out).size());
        }
        return new Result(messages, lost, duplicates, effectDuplicates, messageCount(), millis, takeovers, perNode,
                mode.equals("active-active") ? lockRows() : -1);
    }

    /** Messages in the INBOXes, \Deleted or not (read-only: reading changes nothing while the nodes work). */
    private int messageCount() throws Exception {
        int n = 0;
        for (String u : users) {
            n += messageCount(u);
        }
        return n;
    }

    private static int messageCount(String user) throws Exception {
        Store store = Mailboxes.session().getStore("imap");
        store.connect(InteropServers.HOST, InteropServers.IMAP, user, InteropServers.PASSWORD);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                return inbox.getMessageCount();
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    /**
     * Kills the node that routed last (the leader, in active-passive); ms until another node routes, or -1 when
     * nothing was left to route. The replacement node starts after that: on a small machine its JVM's start takes
     * the CPU the standby's takeover needs (a takeover measured at 28 s with the replacement starting beside it).
     */
    private long killOne(long deadline, int messages, String runId) throws Exception {
        Node victim = live.get(0);
        long newest = -1;
        for (Node n : live) {
            long modified = Files.size(n.out()) == 0 ? 0 : Files.getLastModifiedTime(n.out()).toMillis();
            if (modified > newest) {
                newest = modified;
                victim = n;
            }
        }
        live.remove(victim);
        victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, no QUIT, no LOGOUT
        victim.process().waitFor(10, TimeUnit.SECONDS);
        long killed = System.nanoTime();
        System.out.println(java.time.LocalTime.now() + " killed " + victim.name());
        Path victimOut = victim.out();
        int before = routedLinesExcept(victimOut);
        waitUntil(deadline, "another node routing after the kill", 5,
                () -> routedLinesExcept(victimOut) != before || allCommitted(messages, runId));
        long takeover = routedLinesExcept(victimOut) == before ? -1 // nothing was left to route
                : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        startNode();
        return takeover;
    }

    private void startNode() throws IOException {
        String name = "node" + (outputs.size() + 1);
        Path out = work.resolve(name + ".routed");
        Files.writeString(out, "");
        outputs.add(out);
        // each node logs to a file of its own in the run's directory (log4j2-test.xml): a takeover's timeline with
        // every IMAP command at DEBUG (the default); benchmarks/several-nodes.sh measures throughput at INFO
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dcatalystmail.testLog=" + work.resolve(name + ".camel.log"),
                "-Dcatalystmail.testLogLevel=" + System.getProperty("catalystmail.nodeLogLevel", "DEBUG"),
                "-cp", System.getProperty("java.class.path"), MailNode.class.getName(), mode, name,
                out.toString(), users.get((outputs.size() - 1) % users.size()), Integer.toString(fetchSize),
                Integer.toString(maxPerPoll));
        String nodeImapPort = System.getProperty("catalystmail.nodeImapPort");
        if (nodeImapPort != null && !nodeImapPort.isBlank()) {
            // the nodes reach the mail server through a relay (benchmarks/several-nodes.sh latency); the harness's own
            // filling and counting goes straight to it
            pb.environment().put("CATALYST_IMAP_PORT", nodeImapPort);
        }
        pb.redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
        live.add(new Node(name, pb.start(), out));
    }

    /**
     * Polls {@code condition} every {@code pollMillis} until the run's deadline; fails at once when a node died by
     * itself (its log in the message).
     */
    private void waitUntil(long deadline, String what, long pollMillis, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(pollMillis))
                .until(() -> {
                    for (Node n : live) {
                        if (!n.process().isAlive()) {
                            throw new AssertionError("node " + n.name() + " died by itself, waiting for " + what
                                                     + ": " + Files.readString(work.resolve(n.name() + ".log")));
                        }
                    }
                    return condition.call();
                });
    }

    /** Each live node printed that its Camel context started (MailNode). */
    private boolean allStarted() throws IOException {
        for (Node n : live) {
            if (!Files.readString(work.resolve(n.name() + ".log")).contains("node " + n.name() + " started")) {
                return false;
            }
        }
        return true;
    }

    private int routedLines() throws IOException {
        return routedLinesExcept(null);
    }

    private int routedLinesExcept(Path skip) throws IOException {
        int n = 0;
        for (Path out : outputs) {
            if (!out.equals(skip)) {
                n += lineCount(out);
            }
        }
        return n;
    }

    /**
     * Closed at once: the waits call this every few milliseconds, and an unclosed {@code Files.lines} keeps its file
     * open until a GC, which ran the IT JVM out of descriptors under CI's limit of 1,024 ("Too many open files").
     */
    private static int lineCount(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return (int) lines.count();
        }
    }

    private Map<String, Integer> counts() throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (Path out : outputs) {
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                if (!line.isEmpty()) {
                    counts.merge(line, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private boolean allCommitted(int messages, String runId) throws SQLException {
        Map<String, Integer> effects = effects();
        for (int i = 0; i < messages; i++) {
            if (!effects.containsKey(subject(runId, i))) {
                return false;
            }
        }
        return true;
    }

    /** Rows of the run's orphan-lock repositories (active-active), the keys they still hold. */
    private int lockRows() throws SQLException {
        int rows = 0;
        for (String u : users) {
            try (Connection c = database().getConnection();
                 PreparedStatement count = c.prepareStatement(
                         "SELECT count(*) FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ?")) {
                count.setString(1, "several-nodes-locks-" + u);
                try (java.sql.ResultSet result = count.executeQuery()) {
                    result.next();
                    rows += result.getInt(1);
                }
            }
        }
        return rows;
    }

    /** Subject -> rows in the effects table for the run's mailboxes. */
    private Map<String, Integer> effects() throws SQLException {
        Map<String, Integer> effects = new HashMap<>();
        for (String u : users) {
            effects.putAll(effects(u));
        }
        return effects;
    }

    private static Map<String, Integer> effects(String user) throws SQLException {
        Map<String, Integer> effects = new HashMap<>();
        try (Connection c = database().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT subject, count(*) FROM " + MailNode.EFFECTS_TABLE
                                                           + " WHERE mailbox = ? GROUP BY subject")) {
            select.setString(1, user);
            try (java.sql.ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    effects.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return effects;
    }

    private static PGSimpleDataSource database() {
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(System.getenv("CATALYST_PG_URL"));
        db.setUser(System.getenv("CATALYST_PG_USER"));
        db.setPassword(System.getenv("CATALYST_PG_PASSWORD"));
        return db;
    }

    private static String subject(String runId, int i) {
        return "several-nodes " + runId + " " + i;
    }

    /** Message i goes to mailbox i mod the run's mailboxes, appended in batches of 500 to {@link #HOLDING_FOLDER}. */
    private void fill(int messages, String runId) throws Exception {
        for (String u : users) {
            Mailboxes.createFolder(u, HOLDING_FOLDER);
        }
        Map<String, List<MimeMessage>> batches = new HashMap<>();
        for (int i = 0; i < messages; i++) {
            String user = users.get(i % users.size());
            MimeMessage m = new MimeMessage(Mailboxes.session());
            m.setFrom(new InternetAddress(InteropServers.address("alice")));
            m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(InteropServers.address(user)));
            m.setSubject(subject(runId, i));
            m.setText("message " + i + " of a several-nodes run\n");
            List<MimeMessage> batch = batches.computeIfAbsent(user, u -> new ArrayList<>());
            batch.add(m);
            if (batch.size() == 500) {
                Mailboxes.append(user, HOLDING_FOLDER, batch);
                batch.clear();
            }
        }
        for (Map.Entry<String, List<MimeMessage>> rest : batches.entrySet()) {
            if (!rest.getValue().isEmpty()) {
                Mailboxes.append(rest.getKey(), HOLDING_FOLDER, rest.getValue());
            }
        }
    }

    /**
     * Keys of an earlier run name other messages (UIDs are reused only with a new UIDVALIDITY, but be sure); its
     * effects are gone too. Creates the effects table the nodes write to.
     */
    private static void forgetRepository(String user) throws SQLException {
        try (Connection c = database().getConnection(); Statement create = c.createStatement()) {
            create.execute("CREATE TABLE IF NOT EXISTS " + MailNode.EFFECTS_TABLE
                           + " (mailbox VARCHAR(100), subject VARCHAR(200))");
            create.execute(MailNode.PROCESSED_TABLE);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + MailNode.EFFECTS_TABLE
                                                               + " WHERE mailbox = ?")) {
                delete.setString(1, user);
                delete.executeUpdate();
            }
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName IN (?, ?)")) {
                delete.setString(1, "several-nodes-" + user);
                delete.setString(2, "several-nodes-locks-" + user);
                delete.executeUpdate();
            }
        }
    }

    /**
     * {@code mode nodes messages kills runs fetchSize maxMessagesPerPoll workDir}: prints one line per run and
     * exits non-zero when a run lost a message, committed one twice or left one on the server.
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int nodes = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        int kills = Integer.parseInt(args[3]);
        int runs = Integer.parseInt(args[4]);
        int fetchSize = Integer.parseInt(args[5]);
        int maxPerPoll = Integer.parseInt(args[6]);
        Path work = Path.of(args[7]);
        boolean failed = false;
        for (int r = 1; r <= runs; r++) {
            Path dir = Files.createDirectories(work.resolve(mode + "-" + nodes + "nodes-run" + r));
            Result result = new SeveralNodesRun(mode, "bob", fetchSize, maxPerPoll, dir, System.nanoTime())
                    .run(nodes, messages, kills, 600_000);
            System.out.println(mode + " run " + r + ", " + nodes + " nodes, " + kills + " kills: " + result.describe()
                               + "; load average " + Files.readString(Path.of("/proc/loadavg")).trim());
            failed |= result.lost() > 0 || result.leftOnServer() > 0 || result.effectDuplicates() > 0;
        }
        System.exit(failed ? 1 : 0);
    }
}
