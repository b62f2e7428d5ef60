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
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.FaultProxy;
import jakarta.mail.Flags;
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
 * The POP3 rows of the fault matrix: a consumer with delete=true polls five messages through a {@link FaultProxy}
 * in front of GreenMail, which cuts or stalls the connection once, at one step. Without a UIDL store
 * (unseen=false) a message may be processed again after a fault; with an idempotent repository never, and a
 * deletion lost with the connection (RFC 1939 §6: DELE takes effect only at QUIT) is sent again on the next poll.
 */
class Pop3FaultMatrixTest {

    private static final List<String> SUBJECTS = List.of("m1", "m2", "m3", "m4", "m5");

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.POP3.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("bob", "bob", "s3cret"));

    /** A step of the POP3 session and the text whose appearance on the wire fires the fault. */
    enum Step {
        GREETING(Direction.SERVER_TO_CLIENT, "+OK", false),
        LOGIN(Direction.CLIENT_TO_SERVER, "AUTH PLAIN", false),
        UIDL(Direction.CLIENT_TO_SERVER, "UIDL", false),
        LIST(Direction.CLIENT_TO_SERVER, "LIST", false),
        // from here on messages were routed in a session that ends without QUIT, so their DELEs are void: without
        // a repository they are offered again
        // inside the second round (fetchRoundSize=2): m1 and m2 were routed and DELE'd, m3 is cut off in the middle
        RETR_CONTENT(Direction.SERVER_TO_CLIENT, "body of m3", true),
        DELE(Direction.CLIENT_TO_SERVER, "DELE ", true),
        // "QUI": GreenMail would execute an unterminated "QUIT" it reads at end of stream. Every message was routed
        // and DELE'd; the consumer remembers them until QUIT is answered, so none is offered again
        QUIT(Direction.CLIENT_TO_SERVER, "QUI", false);

        final Direction direction;
        final String trigger;
        final boolean mayRedeliver;

        Step(Direction direction, String trigger, boolean mayRedeliver) {
            this.direction = direction;
            this.trigger = trigger;
            this.mayRedeliver = mayRedeliver;
        }
    }

    static Stream<Arguments> cells() {
        return ConsumerUnderFault.cells(Step.values());
    }

    @ParameterizedTest(name = "POP3 {0} {1}, idempotent repository: {2}")
    @MethodSource("cells")
    void consumerNeverLosesAMessageAndRecovers(Step step, Fault fault, boolean idempotent) throws Exception {
        for (String subject : SUBJECTS) {
            deliver(greenMail, "bob", textMessage(subject, "body of " + subject));
        }
        try (FaultProxy proxy = new FaultProxy(greenMail.getPop3().getPort())) {
            proxy.arm(step.direction, step.trigger, 0, fault).onFire(Pop3FaultMatrixTest::rollBackDeletions);
            // unseen=false: no UIDL store at all unless the repository is given, so the plain variant shows
            // at-least-once delivery
            String uri = "catalystmail:pop3:127.0.0.1:" + proxy.port()
                         + "?username=bob&password=s3cret&delete=true&unseen=false&fetchRoundSize=2&initialDelay=0&delay=100"
                         + "&connectTimeout=500&readTimeout=500";
            try (ConsumerUnderFault consumer = new ConsumerUnderFault(uri,
                    idempotent ? MemoryIdempotentRepository.memoryIdempotentRepository() : null)) {
                assertTimeoutPreemptively(Duration.ofSeconds(25), () -> {
                    consumer.start();
                    consumer.awaitRecovery(new LinkedHashSet<>(SUBJECTS), Pop3FaultMatrixTest::inbox,
                            idempotent || !step.mayRedeliver);
                });
                assertTrue(proxy.fired(), "the fault at " + step + " never fired: the trigger text did not appear");
                assertTrue(proxy.connections() >= 2, "the consumer reconnected after the fault");
            }
        }
    }

    /**
     * RFC 1939 §6: a session that ends without QUIT removes nothing. GreenMail keeps the DELE marks of a lost
     * session (and hides those messages from the next one), so the test takes them back as a real server would.
     */
    private static void rollBackDeletions() {
        for (StoredMessage m : messages(greenMail, "bob", "INBOX")) {
            m.setFlag(Flags.Flag.DELETED, false);
        }
    }

    private static Set<String> inbox() {
        Set<String> subjects = new TreeSet<>();
        for (StoredMessage m : messages(greenMail, "bob", "INBOX")) {
            subjects.add(subjectOf(m));
        }
        return subjects;
    }
}
