package io.catalystmail.benchmarks;

import java.nio.file.Path;

/**
 * The server both components run against, with the means to prepare a workload outside the measured JVM:
 * the harness fills and inspects mailboxes itself, so only the component's own work is timed.
 */
interface MailServer extends AutoCloseable {

    String host();

    int port(Workload.Protocol protocol);

    /** The account a protocol's workloads use; each protocol has its own, so leftovers never mix. */
    MailAccount account(Workload.Protocol protocol);

    /** Leaves exactly {@code count} standard messages in the account's INBOX. */
    void fillTo(MailAccount account, int count) throws Exception;

    /** Adds {@code count} standard messages numbered from {@code first} on to the account's INBOX. */
    void add(MailAccount account, int first, int count) throws Exception;

    /** Empties the account's INBOX and stores the one message in {@code file} there. */
    void storeOnly(MailAccount account, Path file) throws Exception;

    int count(MailAccount account) throws Exception;

    void empty(MailAccount account) throws Exception;

    /** What the server is, for the results file. */
    String description();

    /** A short name of the server, naming the section of the results file. */
    String label();

    @Override
    void close();
}
