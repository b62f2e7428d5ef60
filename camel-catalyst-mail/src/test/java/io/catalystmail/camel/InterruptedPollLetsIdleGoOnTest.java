package io.catalystmail.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A poll interrupted while it waits for the IDLE loop to hand the connection back (the IDLE's DONE not answered yet)
 * never got the connection: once the IDLE ends, the loop idles again instead of waiting for that poll's end for good.
 */
class InterruptedPollLetsIdleGoOnTest extends CamelTestSupport {

    @Test
    void theLoopIdlesAgainAfterAPollWasInterruptedWaitingForTheConnection() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        try (ScriptedImapServer server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS IDLE] logged in already")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK done")
                .expect("SELECT \"INBOX\"").send("* 0 EXISTS", "* OK [UIDVALIDITY 7] ok", "{tag} OK [READ-WRITE] done")
                .expect("UID SEARCH .*").send("* SEARCH", "{tag} OK done")
                .expect("IDLE").send("+ idling")
                .expectLine("DONE").waitFor(interrupted).send("{tag} OK IDLE terminated")
                .expect("IDLE").send("+ idling")
                .stall()
                .start()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + server.port()
                         + "?username=alice&password=s3cret&idle=true&initialDelay=0&delay=3600000")
                            .routeId("mail").to("mock:result");
                }
            });
            Eventually.await(Duration.ofSeconds(30), () -> server.received().contains("IDLE"), () -> "the server got " + server.received());
            CatalystMailConsumer consumer = (CatalystMailConsumer) context.getRoute("mail").getConsumer();
            Thread poll = new Thread(consumer::run, "a poll that is interrupted");
            poll.start();
            Eventually.await(Duration.ofSeconds(30), () -> server.received().contains("DONE"), () -> "the server got " + server.received());
            poll.interrupt();
            poll.join(TimeUnit.SECONDS.toMillis(30));
            interrupted.countDown();

            Eventually.await(Duration.ofSeconds(15),
                    () -> server.received().stream().filter("IDLE"::equals).count() >= 2,
                    () -> "the IDLE loop did not idle again after the interrupted poll: the server got "
                          + server.received());
            assertEquals(List.of(), server.problems());
        }
    }
}
