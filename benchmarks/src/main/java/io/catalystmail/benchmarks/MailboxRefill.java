package io.catalystmail.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Has the driver put standard messages back into a consume workload's mailbox while the measured JVM warms up: the
 * warm-up that goes on until the compiler is quiet takes more messages than the driver stored first, and the measured
 * poll must still meet the mailbox the counted warm-up left. The driver fills it, as it fills every mailbox, so that
 * neither the appending's allocation nor its compilations are the measured JVM's (appending 1,000 messages from the
 * measured JVM raised even the wire's peak heap from 9 to 229 MiB). The request is a line on standard output, the
 * answer one on standard input ({@link ChildRun}). Messages are numbered from {@value #FIRST_NUMBER} on, so their
 * Message-IDs differ from the driver's first ones.
 *
 * <p>A send workload asks the driver the other way round ({@link #awaitDelivered}): to wait until the server has
 * delivered the warm-up's messages, so that the measured messages do not share the server's CPU with a delivery
 * backlog the wire (smtp-source, which has no warm-up) never meets; and, after a measurement (the wire's too), until
 * it has delivered the measured ones, so that the servers' CPU is counted to their delivery.
 */
final class MailboxRefill {

    static final String REQUEST = "BENCH-REFILL ";
    static final String AWAIT_DELIVERED = "BENCH-AWAIT-DELIVERED ";
    static final String DONE = "OK";
    static final int FIRST_NUMBER = 100_001;

    private final BufferedReader answers = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    private int next = FIRST_NUMBER;

    void add(int count) throws IOException {
        System.out.println(REQUEST + next + " " + count);
        System.out.flush();
        String answer = answers.readLine();
        if (!DONE.equals(answer)) {
            throw new IOException("the driver did not refill the mailbox with " + count + " messages: "
                                  + (answer == null ? "no answer" : answer));
        }
        next += count;
    }

    /** Returns once the driver has seen {@code count} messages in the mailbox (it gives up after its deadline). */
    void awaitDelivered(int count) throws IOException {
        System.out.println(AWAIT_DELIVERED + count);
        System.out.flush();
        String answer = answers.readLine();
        if (!DONE.equals(answer)) {
            throw new IOException("the server did not deliver the " + count + " messages sent: "
                                  + (answer == null ? "no answer" : answer));
        }
    }
}
