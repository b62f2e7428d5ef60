package io.catalystmail.camel.faults;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.GreenMailCertificates;
import io.catalystmail.camel.testsupport.FaultProxy.Direction;
import io.catalystmail.camel.testsupport.FaultProxy.Fault;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.subjectOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IMAP rows of the fault matrix: a consumer with delete=true (with and without an idempotent repository)
 * polls five messages through a {@link FaultProxy} in front of GreenMail, which cuts or stalls the connection
 * once, at one step. Each case shows that no message is deleted before it was processed, that with the
 * repository none is processed twice, that the stalled read times out, and that the next poll finishes the job.
 */
class ImapFaultMatrixTest {

    private static final List<String> SUBJECTS = List.of("m1", "m2", "m3", "m4", "m5");

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(
            new ServerSetup[] { ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.IMAPS.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    /** A step of the IMAP session and the text whose appearance on the wire fires the fault. */
    enum Step {
        GREETING(Direction.SERVER_TO_CLIENT, "* OK", false, false),
        TLS_HANDSHAKE(Direction.SERVER_TO_CLIENT, "\u0016\u0003\u0003", true, false),
        LOGIN(Direction.CLIENT_TO_SERVER, " LOGIN ", false, false),
        SELECT(Direction.CLIENT_TO_SERVER, "SELECT", false, false),
        SEARCH(Direction.CLIENT_TO_SERVER, "UID SEARCH", false, false),
        // message m3 is the first of the second round (fetchRoundSize=2): the cut falls inside its literal. The first
        // round was routed, but deletions are flagged and expunged once per poll: without a repository it is
        // offered again
        FETCH_LITERAL(Direction.SERVER_TO_CLIENT, "body of m3", false, true),
        // routed, and whether the flag reached the server is unknown: without a repository offered again
        STORE_DELETED(Direction.CLIENT_TO_SERVER, "+FLAGS.SILENT (\\Deleted", false, true),
        // flagged \Deleted: never listed again, and the next session expunges them, repository or not
        EXPUNGE(Direction.CLIENT_TO_SERVER, "UID EXPUNGE", false, false),
        // the server may have expunged, only its answer is lost: either way they are flagged, as above
        EXPUNGE_REPLY(Direction.SERVER_TO_CLIENT, " EXPUNGE\r\n", false, false),
        // with idle=true, between polls: the IDLE command (its continuation never comes, or the connection is cut)
        IDLE(Direction.CLIENT_TO_SERVER, " IDLE\r\n", false, false),
        // the DONE that ends an IDLE, for the next poll: its answer never comes, or the connection is cut
        IDLE_DONE(Direction.CLIENT_TO_SERVER, "DONE\r\n", false, false);

        final Direction direction;
        final String trigger;
        final boolean tls;
        final boolean mayRedeliver;

        Step(Direction direction, String trigger, boolean tls, boolean mayRedeliver) {
            this.direction = direction;
            this.trigger = trigger;
            this.tls = tls;
            this.mayRedeliver = mayRedeliver;
        }
    }

    static Stream<Arguments> cells() {
        return ConsumerUnderFault.cells(Step.values());
    }

    @ParameterizedTest(name = "IMAP {0} {1}, idempotent repository: {2}")
    @MethodSource("cells")
    void consumerNeverLosesAMessageAndRecovers(Step step, Fault fault, boolean idempotent) throws Exception {
        for (String subject : SUBJECTS) {
            deliver(greenMail, "alice", textMessage(subject, "body of " + subject));
        }
        int upstream = step.tls ? greenMail.getImaps().getPort() : greenMail.getImap().getPort();
        try (FaultProxy proxy = new FaultProxy(upstream)) {
            proxy.arm(step.direction, step.trigger, 0, fault);
            String uri = "catalystmail:" + (step.tls ? "imaps" : "imap") + ":127.0.0.1:" + proxy.port()
                         + "?username=alice&password=s3cret&delete=true&fetchRoundSize=2&initialDelay=0&delay=100"
                         + "&connectTimeout=500&readTimeout=500"
                         + (step == Step.IDLE || step == Step.IDLE_DONE ? "&idle=true" : "")
                         + (step.tls ? "&sslContextParameters=#greenMailTrust&verifyHostname=false" : "");
            try (ConsumerUnderFault consumer = new ConsumerUnderFault(uri,
                    idempotent ? MemoryIdempotentRepository.memoryIdempotentRepository() : null)) {
                consumer.context().getRegistry().bind("greenMailTrust", GreenMailCertificates.trustParameters());
                assertTimeoutPreemptively(Duration.ofSeconds(25), () -> {
                    consumer.start();
                    consumer.awaitRecovery(new LinkedHashSet<>(SUBJECTS), ImapFaultMatrixTest::inbox,
                            idempotent || !step.mayRedeliver);
                });
                // the IDLE steps come after the work, between polls
                io.catalystmail.camel.testsupport.Eventually.await(Duration.ofSeconds(10), proxy::fired,
                        () -> "the fault at " + step + " never fired: the trigger text did not appear");
                // when the fault hit the last command of the work there is nothing left to redo: the next poll
                // still has to reconnect
                io.catalystmail.camel.testsupport.Eventually.await(Duration.ofSeconds(10), () -> proxy.connections() >= 2,
                        () -> "the consumer reconnected after the fault");
            }
        }
    }

    private static Set<String> inbox() {
        Set<String> subjects = new TreeSet<>();
        for (StoredMessage m : messages(greenMail, "alice", "INBOX")) {
            subjects.add(subjectOf(m));
        }
        return subjects;
    }
}
