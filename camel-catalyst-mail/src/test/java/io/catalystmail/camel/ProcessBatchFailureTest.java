package io.catalystmail.camel;

import java.util.LinkedList;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FailingRepository;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An exchange queue handed to {@code processBatch} whose routing fails after its action was recorded (the repository
 * down): the action is owed, and the next poll applies it. Before, the failure skipped {@code failInFlight}: the action
 * stayed "in flight", was never retried, and the next poll's end took it as confirmed by the server.
 */
class ProcessBatchFailureTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("pia", "pia", "s3cret"));

    @Test
    void aBatchWhoseRepositoryFailsLeavesItsActionOwedToTheNextPoll() throws Exception {
        deliver(greenMail, "pia", textMessage("m1", "x"));
        AtomicBoolean down = new AtomicBoolean();
        context.getRegistry().bind("repo", FailingRepository.failingFor(key -> down.get()));
        context.getRegistry().bind("failures", new CapturedExceptions());
        AtomicInteger routed = new AtomicInteger();
        AtomicReference<MessageRef> ref = new AtomicReference<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // one poll only: the test runs the others itself
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=pia&password=s3cret"
                     + "&delete=true&idempotentRepository=#repo&exceptionHandler=#failures&initialDelay=0"
                     + "&delay=600000").routeId("mail")
                        .process(e -> {
                            ref.compareAndSet(null, e.getProperty(ExchangeRouting.MessageRefProperty.NAME,
                                    MessageRef.class));
                            if (routed.incrementAndGet() == 1) {
                                throw new IllegalStateException("the first routing fails: the message stays");
                            }
                        });
            }
        });
        CatalystMailConsumer consumer = (CatalystMailConsumer) context.getRoute("mail").getConsumer();
        Eventually.await(() -> routed.get() == 1 && consumer.statistics().polls() == 1,
                () -> "the first poll never ended");
        Exchange exchange = consumer.createExchange(false);
        exchange.setProperty(ExchangeRouting.MessageRefProperty.NAME, ref.get());
        exchange.setProperty(ExchangeRouting.MessageRefProperty.KEY, ref.get().identity());
        Queue<Object> batch = new LinkedList<>();
        batch.add(exchange);
        down.set(true);
        assertThrows(IllegalStateException.class, () -> consumer.processBatch(batch));
        down.set(false);
        assertEquals(2, routed.get());
        assertEquals(1, messages(greenMail, "pia", "INBOX").size(), "not deleted before the next poll");
        consumer.poll();
        assertTrue(messages(greenMail, "pia", "INBOX").isEmpty(), "the poll after the failed batch deletes m1");
        assertEquals(2, routed.get(), "m1 not routed again");
    }
}
