package io.catalystmail.camel.interop;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.apache.camel.processor.idempotent.jdbc.JdbcOrphanLockAwareIdempotentRepository;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One node of a several-nodes run, in a JVM of its own so it can be killed with SIGKILL: consumes one Dovecot
 * mailbox with {@code delete=true}. Its route writes one line per message it routes (its subject) to a file,
 * unbuffered, first thing, so a line is there for every message a node routed, finished or not (an "attempt"); then,
 * in one PostgreSQL transaction ({@code transacted()}), adds the message's key ({@code CamelCatalystMailMessageKey})
 * to a plain JDBC repository of processed keys with Camel's idempotent consumer and inserts a row for the message
 * into {@value #EFFECTS_TABLE} (the route's "effect"). A kill before the commit undoes both; after it, a message
 * routed again finds its key and adds no second row.
 * <ul>
 * <li>{@code active-active}: {@code idempotentEager=true} and {@code idempotentRemoveOnCommit=true} over camel-sql's
 * orphan-lock repository on PostgreSQL;</li>
 * <li>{@code active-passive}: {@code master:} over camel-zookeeper's cluster service; the consumer's repository is
 * the processed-keys one (default mode: the key is added after the route, which found it added already);</li>
 * <li>{@code active-passive-file}: the same over camel-file's file-lock cluster service (one machine);</li>
 * <li>{@code spread}: no cluster at all, the node alone on its mailbox, as in active-passive otherwise (the
 * scale-out over many mailboxes).</li>
 * </ul>
 * Every repository transaction runs at REPEATABLE READ through its own {@link TransactionTemplate}, the set-up the
 * docs page shows; the pool's connections keep PostgreSQL's default.
 * Arguments: mode, node name, output file, mailbox user, fetchSize, maxMessagesPerPoll. Servers from the
 * {@code CATALYST_*} variables of {@code scripts/mail-servers.sh env}. Used by {@link SeveralNodesInteropIT} and
 * by {@code benchmarks/several-nodes.sh}.
 */
public final class MailNode {

    /**
     * Orphan timeout of the active-active repository: a dead node's reservations expire after it. Longer than the
     * longest poll: a live node expunges what a dead node flagged \Deleted only while the repository still holds
     * its keys (several-nodes.adoc, lock-age); 15 s left 19 messages flagged for good when polls of 50 took 42 s.
     */
    static final long LOCK_MAX_AGE_MILLIS = 30_000;
    /** ZooKeeper session of the active-passive leader: a dead leader's lease ends after it. */
    static final int ZK_SESSION_TIMEOUT_MILLIS = 4_000;
    /** File-lock cluster service: the leader's heartbeat interval; a standby checks the lock file as often. */
    static final long FILE_LOCK_INTERVAL_MILLIS = 1_000;
    /** File-lock cluster service: a heartbeat older than this many intervals is a dead leader's. */
    static final int FILE_LOCK_HEARTBEAT_MULTIPLIER = 3;
    /** One row per message whose route committed: (mailbox, subject), no unique key, so a second row shows. */
    static final String EFFECTS_TABLE = "several_nodes_effects";
    /**
     * The repository's table: our keys (an IMAP URL) can be longer than the 100 characters of camel-sql's default
     * column. The harness creates it before any node starts: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe
     * against a concurrent one (two nodes starting together on a fresh database: unique violation on pg_type).
     */
    static final String PROCESSED_TABLE = "CREATE TABLE IF NOT EXISTS CAMEL_MESSAGEPROCESSED (processorName VARCHAR(255),"
                                          + " messageId VARCHAR(1000), createdAt TIMESTAMP,"
                                          + " PRIMARY KEY (processorName, messageId))";

    private static final Logger LOG = LoggerFactory.getLogger(MailNode.class);

    private MailNode() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String node = args[1];
        Path out = Path.of(args[2]);
        String user = args[3];
        int fetchSize = Integer.parseInt(args[4]);
        int maxPerPoll = Integer.parseInt(args[5]);

        DefaultCamelContext context = new DefaultCamelContext();
        HikariDataSource db = new HikariDataSource();
        db.setJdbcUrl(env("CATALYST_PG_URL"));
        db.setUsername(env("CATALYST_PG_USER"));
        db.setPassword(env("CATALYST_PG_PASSWORD"));
        db.setMaximumPoolSize(4);
        // camel-sql's orphan-lock add reads, then inserts or (for an orphan) updates: at READ COMMITTED a node
        // that reads between another node's insert and its commit takes the row as an orphan and both route the
        // message. At REPEATABLE READ the second one's insert or update fails instead (unique key, concurrent
        // update), which the consumer takes as "held elsewhere".
        TransactionTemplate repeatableRead = new TransactionTemplate(new DataSourceTransactionManager(db));
        repeatableRead.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        String table = PROCESSED_TABLE;
        JdbcMessageIdRepository processed = new JdbcMessageIdRepository(db, repeatableRead, "several-nodes-" + user);
        processed.setCreateString(table);
        IdempotentRepository repository;
        CamelClusterService cluster = null;
        String from = "catalystmail:imap:" + env("CATALYST_MAIL_HOST") + ":" + env("CATALYST_IMAP_PORT")
                      + "?username=" + user + "&password=RAW(" + env("CATALYST_MAIL_PASSWORD") + ")&delete=true"
                      + "&initialDelay=0&delay=50&fetchRoundSize=" + fetchSize + "&maxMessagesPerPoll=" + maxPerPoll
                      + "&idempotentRepository=#shared&sslContextParameters=#" + InteropServers.TLS_BEAN;
        if (mode.equals("active-active")) {
            JdbcOrphanLockAwareIdempotentRepository orphanLock = new JdbcOrphanLockAwareIdempotentRepository(db,
                    repeatableRead, "several-nodes-locks-" + user, context);
            orphanLock.setLockMaxAgeMillis(LOCK_MAX_AGE_MILLIS);
            orphanLock.setLockKeepAliveIntervalMillis(LOCK_MAX_AGE_MILLIS / 5);
            orphanLock.setCreateString(table);
            repository = orphanLock;
            // the key of a message leaves the repository once its expunge is answered: the rows stay few
            from += "&idempotentEager=true&idempotentRemoveOnCommit=true";
        } else if (mode.equals("spread")) {
            repository = processed; // one node per mailbox: a single consumer, default mode
        } else if (mode.equals("active-passive-file")) {
            repository = processed;
            // one machine: the leader's file lock in the run's directory, its heartbeat checked every second
            FileLockClusterService files = new FileLockClusterService();
            files.setId(node);
            files.setRoot(out.toAbsolutePath().getParent().resolve("cluster").toString());
            files.setAcquireLockInterval(FILE_LOCK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            files.setHeartbeatTimeoutMultiplier(FILE_LOCK_HEARTBEAT_MULTIPLIER);
            cluster = files;
            from = "master:" + user + ":" + from;
        } else {
            repository = processed;
            ZooKeeperClusterService zookeeper = new ZooKeeperClusterService();
            zookeeper.setId(node);
            zookeeper.setNodes(env("CATALYST_ZK_CONNECT"));
            zookeeper.setBasePath("/catalyst-mail/several-nodes");
            zookeeper.setSessionTimeout(ZK_SESSION_TIMEOUT_MILLIS);
            zookeeper.setConnectTimeout(ZK_SESSION_TIMEOUT_MILLIS);
            cluster = zookeeper;
            from = "master:" + user + ":" + from;
        }
        if (cluster != null) {
            context.addService(cluster);
        }
        context.getRegistry().bind("db", db);
        context.getRegistry().bind("processed", processed);
        context.getRegistry().bind("PROPAGATION_REQUIRED", new SpringTransactionPolicy(new DataSourceTransactionManager(db)));
        context.getRegistry().bind("shared", repository);
        context.getRegistry().bind(InteropServers.TLS_BEAN, InteropServers.trust());
        OutputStream routed = new FileOutputStream(out.toFile(), true);
        String start = from;
        AtomicBoolean routedOne = new AtomicBoolean();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(start).routeId(node)
                        .process(e -> {
                            String subject = e.getMessage().getHeader("Subject", String.class);
                            if (routedOne.compareAndSet(false, true)) {
                                LOG.info("node {} routes its first message: {}", node, subject); // the timeline's end
                            }
                            String line = subject + "\n";
                            synchronized (routed) {
                                routed.write(line.getBytes(StandardCharsets.UTF_8));
                            }
                        })
                        .setHeader("mailbox", constant(user))
                        .transacted()
                        .idempotentConsumer(header("CamelCatalystMailMessageKey")).idempotentRepository("processed")
                        .to("sql:INSERT INTO " + EFFECTS_TABLE + " (mailbox, subject) VALUES (:#mailbox, :#subject)"
                            + "?dataSource=#db&parametersCount=2")
                        .end();
            }
        });
        context.start();
        if (cluster != null) {
            // the moment the cluster service hands this node the leadership, before camel-master starts the consumer
            try {
                cluster.getView(user).addEventListener((CamelClusterEventListener.Leadership) (view, leader) -> LOG.info(
                        "leadership of {}: {}", user, leader == null ? "none" : leader.getId()
                                                      + (leader.isLocal() ? " (this node)" : "")));
            } catch (RuntimeCamelException e) {
                // registering asks ZooKeeper for the leader at once, and a session lost under load (4 s timeout)
                // fails that; the listener only writes the log's timeline, the cluster service reconnects itself
                LOG.warn("node {}: leadership not logged: {}", node, e.getMessage());
            }
        }
        System.out.println("node " + node + " started");
        // runs until killed, or until the harness that started it is gone: its end of this pipe closes then, and a
        // node left behind would go on polling the mailbox the next ITs use
        while (System.in.read() >= 0) {
            // the harness writes nothing
        }
        LOG.info("node {}: the harness is gone, stopping", node);
        Runtime.getRuntime().halt(3);
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run `eval \"$(bash scripts/mail-servers.sh env)\"`");
        }
        return value;
    }
}
