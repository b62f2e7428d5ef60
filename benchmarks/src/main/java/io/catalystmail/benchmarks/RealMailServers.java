package io.catalystmail.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Servers already running elsewhere (Dovecot and Postfix on loopback, for example). Mailboxes are prepared
 * over IMAP with the harness's own {@link ImapAppendClient}; SMTP workloads send to the SMTP account, whose
 * mailbox the harness empties before each run.
 */
final class RealMailServers implements MailServer {

    private static final String SENDER = "sender@example.test";

    private final String host;
    private final Map<Workload.Protocol, Integer> ports;
    private final Map<Workload.Protocol, MailAccount> accounts;
    private final String imapGreeting;
    private final String disk = serversDisk(System.getenv("CATALYST_SERVERS_DIR"));

    RealMailServers(String host, Map<Workload.Protocol, Integer> ports, Map<Workload.Protocol, MailAccount> accounts)
            throws Exception {
        this.host = host;
        this.ports = Map.copyOf(ports);
        this.accounts = Map.copyOf(accounts);
        try (ImapAppendClient client = connect(account(Workload.Protocol.IMAP))) {
            imapGreeting = client.greeting();
        }
    }

    private ImapAppendClient connect(MailAccount account) throws Exception {
        return ImapAppendClient.login(host, ports.get(Workload.Protocol.IMAP), account.login(), account.password());
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port(Workload.Protocol protocol) {
        return ports.get(protocol);
    }

    @Override
    public MailAccount account(Workload.Protocol protocol) {
        return accounts.get(protocol);
    }

    @Override
    public void fillTo(MailAccount account, int count) throws Exception {
        try (ImapAppendClient client = connect(account)) {
            int present = client.examineInbox();
            // topping up reuses the messages of an earlier run; anything else in the mailbox (mail the interop
            // tests left, say) would be measured as one of ours, so then the mailbox is emptied first
            int size = TestMessage.standard(SENDER, account.address(), 1).length;
            if (present > count || (present > 0 && client.holdsForeignMail(SENDER, size))) {
                client.emptyInbox();
                present = 0;
            }
            client.append(present + 1, count, i -> TestMessage.standard(SENDER, account.address(), i));
        }
    }

    @Override
    public void add(MailAccount account, int first, int count) throws Exception {
        try (ImapAppendClient client = connect(account)) {
            client.append(first, first + count - 1, i -> TestMessage.standard(SENDER, account.address(), i));
        }
    }

    @Override
    public void storeOnly(MailAccount account, Path file) throws Exception {
        try (ImapAppendClient client = connect(account)) {
            client.emptyInbox();
            client.append(file);
        }
    }

    @Override
    public int count(MailAccount account) throws Exception {
        try (ImapAppendClient client = connect(account)) {
            return client.examineInbox();
        }
    }

    @Override
    public void empty(MailAccount account) throws Exception {
        try (ImapAppendClient client = connect(account)) {
            client.emptyInbox();
        }
    }

    @Override
    public String description() {
        return "servers at " + host + " (IMAP " + port(Workload.Protocol.IMAP) + ", POP3 " + port(Workload.Protocol.POP3)
               + ", SMTP " + port(Workload.Protocol.SMTP) + "); IMAP greeting: `" + imapGreeting + "`" + disk;
    }

    /**
     * Where the servers keep their mail, when the environment says (scripts/mail-servers.sh env): the wire's IMAP
     * and POP3 runs are mostly the server deleting files, and how long that takes depends on the file system's
     * mount options (README, "The servers' disk"), so a results section names them.
     */
    private static String serversDisk(String dir) {
        if (dir == null || dir.isBlank()) {
            return "";
        }
        try {
            Process findmnt = new ProcessBuilder("findmnt", "-n", "-o", "TARGET,FSTYPE,OPTIONS", "--target", dir)
                    .redirectErrorStream(true).start();
            String mount = new String(findmnt.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!findmnt.waitFor(5, TimeUnit.SECONDS) || findmnt.exitValue() != 0 || mount.isEmpty()) {
                return "; servers' files in " + dir + " (mount not found)";
            }
            return "; servers' files in " + dir + " on `" + mount.replaceAll("\\s+", " ") + "`";
        } catch (IOException e) {
            return "; servers' files in " + dir + " (findmnt: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "; servers' files in " + dir;
        }
    }

    @Override
    public String label() {
        return "real";
    }

    @Override
    public void close() {
        // nothing to stop: these servers belong to whoever started them
    }
}
