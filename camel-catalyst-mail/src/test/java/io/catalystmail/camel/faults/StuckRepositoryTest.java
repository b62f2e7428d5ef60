package io.catalystmail.camel.faults;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An idempotent repository that hangs while a round is planned: socket work has deadlines, a user's repository need
 * not. Every round, the first too, is planned on the fetch-ahead thread, and the poll waits for that thread at most
 * twice the fetchTimeout, then fails naming the server (the consumer polls again), instead of holding the consumer
 * for good; once the repository answers, the rest is routed, every message once.
 */
class StuckRepositoryTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("kim", "kim", "s3cret"));

    private final CountDownLatch repositoryAnswers = new CountDownLatch(1);
    private final CapturedExceptions failures = new CapturedExceptions();
    private final Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();

    /** Hangs on the key of one message: the first (first round, rounds of 2) or the third (second round). */
    private final class HangingRepository extends MemoryIdempotentRepository {
        private final String hangOn;

        HangingRepository(long uid) {
            this.hangOn = ";UID=" + uid;
        }

        @Override
        public boolean contains(String key) {
            if (key.endsWith(hangOn)) {
                try {
                    repositoryAnswers.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.contains(key);
        }
    }

    @ParameterizedTest(name = "hanging on message {0}")
    @ValueSource(ints = { 1, 3 })
    void aRepositoryThatHangsFailsThePollAfterTwiceTheFetchTimeoutNamingTheServerThenTheRestIsRouted(int hangOn)
            throws Exception {
        long hangOnUid = 0;
        for (int i = 1; i <= 4; i++) {
            long uid = deliver(greenMail, "kim", textMessage("m" + i, "body " + i));
            hangOnUid = i == hangOn ? uid : hangOnUid;
        }
        context.getRegistry().bind("hanging", new HangingRepository(hangOnUid));
        context.getRegistry().bind("failures", failures);
        int port = greenMail.getImap().getPort();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + port + "?username=kim&password=s3cret&idempotentRepository=#hanging"
                     + "&fetchRoundSize=2&fetchTimeout=500&exceptionHandler=#failures&initialDelay=0&delay=100")
                        .process(e -> routed.computeIfAbsent(e.getMessage().getHeader("Subject", String.class),
                                s -> new AtomicInteger()).incrementAndGet());
            }
        });

        Throwable failure = failures.next(Duration.ofSeconds(60));
        while (failure.getCause() != null && !String.valueOf(failure.getMessage()).startsWith("The poll of")) {
            failure = failure.getCause();
        }
        assertEquals("The poll of 127.0.0.1:" + port + " waited 1000 ms (twice fetchTimeout) for its fetch-ahead"
                     + " thread, which is stuck (in the idempotent repository, or on the server); the round it works on"
                     + " is not routed", failure.getMessage());
        repositoryAnswers.countDown();
        Eventually.await(() -> routed.size() == 4, () -> "routed so far: " + routed);
        context.stop();
        routed.forEach((subject, times) -> assertEquals(1, times.get(), subject + " routed more than once"));
    }
}
