package io.catalystmail.camel;

import java.time.Duration;
import java.util.List;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FailingRepository;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WARN of a poll whose routed messages' after-processing is left unconfirmed says what happened. A poll that failed
 * with the idempotent repository (its database down, after the route succeeded) was logged as "not confirmed by the
 * server", blaming a server that had refused nothing and may not even have been asked; the server's own failures
 * (a QUIT answered -ERR, a lost connection) keep that wording (FailedQuitTest).
 */
class UnconfirmedActionsWarningTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("lee", "lee", "s3cret"))
            .withPerMethodLifecycle(true);

    @Test
    void aPollFailedByTheRepositoryIsNotBlamedOnTheServer() throws Exception {
        CapturedExceptions failures = new CapturedExceptions();
        context.getRegistry().bind("repo", FailingRepository.failingOnce());
        context.getRegistry().bind("failures", failures);
        deliver(greenMail, "lee", textMessage("m1", "body 1"));
        try (CapturedLog log = new CapturedLog()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=lee"
                         + "&password=s3cret&delete=true&idempotentRepository=#repo&exceptionHandler=#failures"
                         + "&initialDelay=0&delay=100").to("mock:routed");
                }
            });
            assertTrue(String.valueOf(failures.next(Duration.ofSeconds(10))).contains(FailingRepository.DOWN));
            // the next poll retries the delete, which the repository's failure did not count as an attempt
            Eventually.await(() -> messages(greenMail, "lee", "INBOX").isEmpty(), log::text);
            context.stop();

            List<String> warnings = log.text().lines()
                    .filter(l -> l.startsWith("WARN|" + UnfinishedActions.class.getName() + "|")).toList();
            assertEquals(1, warnings.size(), log::text);
            String warning = warnings.get(0);
            assertFalse(warning.contains("by the server"), warning);
            assertTrue(warning.contains("After-processing of 1 message(s) routed in this poll is unconfirmed: the poll"
                    + " failed, not at the server, with java.lang.IllegalStateException: " + FailingRepository.DOWN
                    + ". They were routed successfully and will not be routed again; the actions are retried next"
                    + " poll."), warning);
            assertTrue(warning.contains("(delete, not counted as an attempt)"), warning);
        }
    }
}
