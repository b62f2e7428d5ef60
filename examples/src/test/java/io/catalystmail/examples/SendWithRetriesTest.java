package io.catalystmail.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.catalystmail.camel.smtp.SmtpRejectedException;
import io.catalystmail.camel.smtp.SmtpUncertainDeliveryException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sending guide's route with its error handling ({@code yaml/send-with-retries.camel.yaml}), run with Camel
 * Main against a scripted SMTP server: found down, refused, cut. An outside trial sent 200 mails through a route like
 * it while Postfix was stopped for 20 s: each arrived once.
 */
class SendWithRetriesTest {

    private int port;
    private Main main;
    private ProducerTemplate template;

    @BeforeEach
    void startTheRoute() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        main = new Main();
        main.configure().withRoutesIncludePattern("classpath:yaml/send-with-retries.camel.yaml");
        main.addOverrideProperty("mail.smtp-host", "127.0.0.1");
        main.addOverrideProperty("mail.smtp-port", String.valueOf(port));
        main.addOverrideProperty("mail.send-retries", "40");
        main.addOverrideProperty("mail.send-retry-delay", "250");
        main.addOverrideProperty("camel.component.catalystmail.from", "robot@example.test");
        main.start();
        template = main.getCamelContext().createProducerTemplate();
    }

    @AfterEach
    void stop() {
        main.stop();
    }

    @Test
    void aMessageSentWhileTheServerIsDownGoesOutOnceWhenItIsBack() throws Exception {
        Exchange exchange = mailTo("ok");
        CompletableFuture<Exchange> sent = template.asyncSend("direct:send-mail", exchange);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER) == null) {
            assertTrue(System.nanoTime() < deadline, "no redelivery of the message refused by the closed port");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer(port)) {
            assertNull(sent.get(20, TimeUnit.SECONDS).getException());
            assertEquals(1, peer.dataReceived("ok"));
        }
    }

    @Test
    void aTransientRefusalIsTriedAgainAndAPermanentOneIsNot() throws Exception {
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer(port)) {
            assertNull(template.send("direct:send-mail", mailTo("busy")).getException());
            assertEquals(2, peer.recipientsTried("busy"));
            assertEquals(1, peer.dataReceived("busy"));

            assertInstanceOf(SmtpRejectedException.class,
                    template.send("direct:send-mail", mailTo("unknown")).getException());
            assertEquals(1, peer.recipientsTried("unknown"));
        }
    }

    @Test
    void aMessageTheServerMayHaveTakenIsNotSentAgain() throws Exception {
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer(port)) {
            assertInstanceOf(SmtpUncertainDeliveryException.class,
                    template.send("direct:send-mail", mailTo("uncertain")).getException());
            assertEquals(1, peer.dataReceived("uncertain"));
        }
    }

    private Exchange mailTo(String localPart) {
        Exchange exchange = new DefaultExchange(main.getCamelContext());
        exchange.getIn().setHeader("CamelCatalystMailTo", localPart + "@example.test");
        exchange.getIn().setHeader("CamelCatalystMailSubject", "Retry trial");
        exchange.getIn().setBody("Hello");
        return exchange;
    }
}
