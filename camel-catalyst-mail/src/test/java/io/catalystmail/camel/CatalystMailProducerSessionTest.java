package io.catalystmail.camel;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.mime.MailCompositionException;
import io.catalystmail.camel.smtp.SmtpUncertainDeliveryException;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.ScriptedSmtpServer;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the producer uses SMTP connections, shown against scripted peers. */
class CatalystMailProducerSessionTest extends CamelTestSupport {

    private static String uri(int port, String options) {
        return "catalystmail:smtp:127.0.0.1:" + port + "?from=sender@example.com&" + options;
    }

    @Test
    void oneConnectionCarriesThreeExchangesWithRsetBetweenThem() throws Exception {
        ScriptedSmtpServer.Script script = ScriptedSmtpServer.script()
                .greet("220 scripted ESMTP")
                .expect("EHLO", "250 scripted");
        for (int i = 1; i <= 3; i++) {
            if (i > 1) {
                script.expect("RSET", "250 2.0.0 ok");
            }
            script.expect("MAIL FROM:<sender@example.com>", "250 2.1.0 ok")
                    .expect("RCPT TO:<rcpt@example.com>", "250 2.1.5 ok")
                    .expect("DATA", "354 go ahead")
                    .expectData("250 2.0.0 queued as " + i);
        }
        script.expect("QUIT", "221 bye").expectClose();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(script)) {
            String uri = uri(server.port(), "to=rcpt@example.com&subject=reuse");
            for (int i = 1; i <= 3; i++) {
                Exchange result = template.send(uri, e -> e.getIn().setBody("message body"));
                assertNull(result.getException());
                assertEquals(List.of("rcpt@example.com"),
                        result.getMessage().getHeader(CatalystMailConstants.ACCEPTED_RECIPIENTS));
            }
            context.stop();
            server.verify();
            assertEquals(3, server.messages().size());
            assertEquals(1, server.commands().stream().filter(c -> c.startsWith("EHLO")).count());
        }
    }

    @Test
    void rejectedRecipientsAreReportedInAHeader() throws Exception {
        ScriptedSmtpServer.Script script = ScriptedSmtpServer.script()
                .greet("220 scripted ESMTP")
                .expect("EHLO", "250 scripted")
                .expect("MAIL FROM:<sender@example.com>", "250 ok")
                .expect("RCPT TO:<good@example.com>", "250 ok")
                .expect("RCPT TO:<nobody@example.com>", "550 5.1.1 no such user")
                .expect("DATA", "354 go ahead")
                .expectData("250 queued")
                .expect("QUIT", "221 bye");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(script)) {
            Exchange result = template.send(uri(server.port(), "to=good@example.com,nobody@example.com"),
                    e -> e.getIn().setBody("hi"));
            assertNull(result.getException());
            assertEquals(List.of("good@example.com"), result.getMessage().getHeader(CatalystMailConstants.ACCEPTED_RECIPIENTS));
            Map<?, ?> rejected = result.getMessage().getHeader(CatalystMailConstants.REJECTED_RECIPIENTS, Map.class);
            assertEquals(Map.of("nobody@example.com", "550 5.1.1 no such user"), rejected);
            context.stop();
            server.verify();
        }
    }

    @Test
    void withPipeliningTheRsetBetweenExchangesTravelsInTheSameWriteAsTheNextTransaction() throws Exception {
        ScriptedSmtpServer.Script script = ScriptedSmtpServer.script()
                .greet("220 scripted ESMTP")
                .expect("EHLO", "250-scripted\n250 PIPELINING")
                .expectBatch(List.of("MAIL FROM", "RCPT TO", "DATA"), "250 ok", "250 ok", "354 go")
                .expectData("250 queued as 1");
        for (int i = 2; i <= 3; i++) {
            // expectBatch reads every line before it answers: a client that waited for the RSET reply would stall
            script.expectBatch(List.of("RSET", "MAIL FROM", "RCPT TO", "DATA"), "250 reset", "250 ok", "250 ok", "354 go")
                    .expectData("250 queued as " + i);
        }
        script.expect("QUIT", "221 bye").expectClose();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(script)) {
            String uri = uri(server.port(), "to=rcpt@example.com&subject=pipelined&readTimeout=2000");
            for (int i = 1; i <= 3; i++) {
                Exchange result = template.send(uri, e -> e.getIn().setBody("message body"));
                assertNull(result.getException());
            }
            context.stop();
            server.verify();
            assertEquals(3, server.messages().size());
        }
    }

    @Test
    void allRecipientsRejectedFailsTheExchangeWithTheReplies() throws Exception {
        ScriptedSmtpServer.Script script = ScriptedSmtpServer.script()
                .greet("220 scripted ESMTP")
                .expect("EHLO", "250 scripted")
                .expect("MAIL FROM:<sender@example.com>", "250 ok")
                .expect("RCPT TO:<nobody@example.com>", "550 5.1.1 no such user")
                .expect("RSET", "250 ok")
                .expect("QUIT", "221 bye");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(script)) {
            Exchange result = template.send(uri(server.port(), "to=nobody@example.com"), e -> e.getIn().setBody("hi"));
            assertTrue(result.getException() != null && result.getException().getMessage().contains("no such user"),
                    String.valueOf(result.getException()));
            assertEquals(Map.of("nobody@example.com", "550 5.1.1 no such user"),
                    result.getMessage().getHeader(CatalystMailConstants.REJECTED_RECIPIENTS, Map.class));
            context.stop();
            server.verify();
        }
    }

    @Test
    void aConnectionDroppedWhileIdleIsReplacedAndTheMailStillGoesOut() throws Exception {
        try (AnsweringSmtpPeer peer = new AnsweringSmtpPeer()) {
            String uri = uri(peer.port(), "to=rcpt@example.com");
            template.sendBody(uri, "first");
            peer.dropConnections();
            Exchange second = template.send(uri, e -> e.getIn().setBody("second"));
            assertNull(second.getException());
            assertEquals(2, peer.messages());
            assertEquals(2, peer.connections());
        }
    }

    @Test
    void neverRetriesWhenTheServerMayHaveAcceptedTheMessage() throws Exception {
        try (AnsweringSmtpPeer peer = new AnsweringSmtpPeer()) {
            peer.cutAfterMessage(2);
            String uri = uri(peer.port(), "to=rcpt@example.com");
            template.sendBody(uri, "first");
            CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> template.sendBody(uri, "second"));
            assertInstanceOf(SmtpUncertainDeliveryException.class, e.getCause());
            assertEquals(2, peer.messages());
            assertEquals(1, peer.connections(), "no second connection, so no second copy");
        }
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        try (AnsweringSmtpPeer peer = new AnsweringSmtpPeer()) {
            template.sendBody(uri(peer.port(), "to=rcpt@example.com&idleTimeout=100"), "first");
            Eventually.await(Duration.ofSeconds(10), () -> peer.commands().contains("1 QUIT"),
                    () -> "no QUIT after the idle timeout: " + peer.commands());
        }
    }

    @Test
    void aLineBreakInAHeaderFailsBeforeAnythingConnects() throws Exception {
        try (AnsweringSmtpPeer peer = new AnsweringSmtpPeer()) {
            Exchange result = template.send(uri(peer.port(), "to=rcpt@example.com"), e -> {
                e.getIn().setBody("x");
                e.getIn().setHeader(CatalystMailConstants.SUBJECT, "hi\r\nBcc: victim@example.com");
            });
            assertInstanceOf(MailCompositionException.class, result.getException());
            assertTrue(result.getException().getMessage().contains(CatalystMailConstants.SUBJECT));
            assertEquals(0, peer.connections());
        }
    }

    @Test
    void aNonAsciiAddressIsRefusedWhenTheServerLacksSmtpUtf8() throws Exception {
        try (AnsweringSmtpPeer peer = new AnsweringSmtpPeer()) {
            Exchange result = template.send(uri(peer.port(), "to=jörg@example.com"), e -> e.getIn().setBody("x"));
            assertNotNull(result.getException());
            assertTrue(result.getException().getMessage().contains("SMTPUTF8"), result.getException().getMessage());
            assertTrue(peer.commands().stream().noneMatch(c -> c.contains("MAIL FROM")), peer.commands().toString());
        }
    }
}
