package io.catalystmail.camel;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.catalystmail.camel.testsupport.FailingRepository;
import io.catalystmail.camel.testsupport.PollOutcomes;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import org.apache.camel.BindToRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The last round of a poll is routed while the fetch-ahead thread sends the previous round's actions (POP3: its
 * DELEs). When the poll fails in that last round (here the idempotent repository), it ends only once those actions
 * were answered or failed: its goodbye must not go out while another thread still waits for answers on the same
 * connection. The scripted server never answers the DELEs, so a QUIT sent while they are owed is seen.
 */
class FailedLastRoundWaitsForItsActionsTest extends CamelTestSupport {

    private final ScriptedPop3Server server = new ScriptedPop3Server();
    private final CountDownLatch pollFailed = new CountDownLatch(1);
    private volatile Throwable failure;

    FailedLastRoundWaitsForItsActionsTest() throws Exception {
    }

    @BindToRegistry("failingOnTheLastMessage")
    FailingRepository repository = FailingRepository.failingFor(key -> key.endsWith("u3"));

    @BindToRegistry("watchingFailures")
    PollOutcomes strategy = PollOutcomes.onFailure(cause -> {
        failure = cause;
        pollFailed.countDown();
    });

    @AfterEach
    void closeServer() throws Exception {
        server.close();
    }

    @Test
    void aPollFailingInItsLastRoundSendsNoQuitWhileThePreviousRoundsDelesAreUnanswered() throws Exception {
        for (int i = 1; i <= 3; i++) {
            server.add("u" + i, "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n");
        }
        // rounds of 2: u1's DELE goes out while u2 (routed with the last round: it waits to learn whether it closes
        // the batch) and u3 are routed, and is never answered
        server.holdReplies("DELE", 100).start();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:pop3:127.0.0.1:" + server.port() + "?username=anna&password=RAW(s3cret!)"
                     + "&initialDelay=0&delay=600000&readTimeout=1500&fetchRoundSize=2&delete=true"
                     + "&idempotentRepository=#failingOnTheLastMessage&pollStrategy=#watchingFailures")
                        .routeId("mail").log("${header.Subject}");
            }
        });
        assertTrue(pollFailed.await(60, TimeUnit.SECONDS), "the poll ends");
        List<String> commands = server.commands();
        assertTrue(String.valueOf(failure).contains(FailingRepository.DOWN), "the poll's own failure: " + failure);
        assertTrue(commands.contains("DELE 1"), "commands " + commands);
        assertFalse(commands.contains("QUIT"), "QUIT while the DELEs were owed: " + commands);
        assertEquals(List.of("u1", "u2", "u3"), server.maildropUidls(), "nothing removed");
    }
}
