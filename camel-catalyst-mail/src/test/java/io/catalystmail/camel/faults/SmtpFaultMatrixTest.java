package io.catalystmail.camel.faults;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.smtp.SmtpException;
import io.catalystmail.camel.smtp.SmtpUncertainDeliveryException;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.GreenMailCertificates;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FaultProxy.Direction;
import io.catalystmail.camel.testsupport.FaultProxy.Fault;
import io.catalystmail.camel.testsupport.ScriptedSmtpServer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SMTP rows of the fault matrix: the producer sends one message through a {@link FaultProxy} in front of
 * GreenMail, which cuts or stalls the connection once, at one step; then a second message. The first exchange
 * fails with the exception that says whether the server may have the message, GreenMail holds that message at
 * most once (exactly when it saw the final dot), and the second one goes out on a new connection.
 */
class SmtpFaultMatrixTest {

    /**
     * About 9 MB: more than the client's send buffer (at most 4 MB here) and the proxy's 64 KB receive window
     * together, so a cut or a freeze is met while data is still being written.
     */
    private static final int LARGE_BODY_LINES = 160_000;
    private static final String PASSWORD = "s3cret-never-shown";

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(
            new ServerSetup[] { ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("carol@example.test", "carol", PASSWORD));

    /** What the first exchange must report. */
    enum Outcome {
        /** An exception other than SmtpUncertainDeliveryException: the server does not have the message. */
        NOT_SENT,
        /** SmtpUncertainDeliveryException: the final dot went out and no reply came back. */
        UNCERTAIN
    }

    /** A step of the SMTP session, the text that fires the fault, and what the client must report for cut and stall. */
    enum Step {
        GREETING(Direction.SERVER_TO_CLIENT, "220 ", 0, Outcome.NOT_SENT, Outcome.NOT_SENT, 0),
        // smtps: the server's first TLS handshake record
        TLS_HANDSHAKE(Direction.SERVER_TO_CLIENT, "\u0016\u0003\u0003", 0, Outcome.NOT_SENT, Outcome.NOT_SENT, 0),
        EHLO(Direction.CLIENT_TO_SERVER, "EHLO ", 0, Outcome.NOT_SENT, Outcome.NOT_SENT, 0),
        AUTH(Direction.CLIENT_TO_SERVER, "AUTH ", 0, Outcome.NOT_SENT, Outcome.NOT_SENT, 0),
        MAIL_FROM(Direction.CLIENT_TO_SERVER, "MAIL FROM", 0, Outcome.NOT_SENT, Outcome.NOT_SENT, 0),
        RCPT_TO(Direction.CLIENT_TO_SERVER, "RCPT TO", 0, Outcome.NOT_SENT, Outcome.NOT_SENT, 0),
        // "DAT": the command never arrives whole, so the server never answers 354
        DATA_COMMAND(Direction.CLIENT_TO_SERVER, "DAT", 0, Outcome.NOT_SENT, Outcome.NOT_SENT, 0),
        // cut: the writer fails before the final dot. Stall: the proxy swallows the rest, final dot included, so
        // the client has written everything and hears nothing: from where it stands the message may have arrived
        DATA_CONTENT(Direction.CLIENT_TO_SERVER, "content-marker", 4096, Outcome.NOT_SENT, Outcome.UNCERTAIN, 0),
        // the server got the final dot (and GreenMail delivers), the client never hears the reply
        END_OF_DATA(Direction.CLIENT_TO_SERVER, "\r\n.\r\n", 0, Outcome.UNCERTAIN, null, 1);

        final Direction direction;
        final String trigger;
        final int extraBytes;
        final Outcome onCut;
        final Outcome onStall;
        final int deliveredOnCut;

        Step(Direction direction, String trigger, int extraBytes, Outcome onCut, Outcome onStall, int deliveredOnCut) {
            this.direction = direction;
            this.trigger = trigger;
            this.extraBytes = extraBytes;
            this.onCut = onCut;
            this.onStall = onStall;
            this.deliveredOnCut = deliveredOnCut;
        }
    }

    static Stream<Arguments> cells() {
        Stream.Builder<Arguments> cells = Stream.builder();
        for (Step step : Step.values()) {
            cells.add(Arguments.of(step, Fault.CUT));
            if (step.onStall != null) {
                cells.add(Arguments.of(step, Fault.STALL));
            }
        }
        // a server that stops reading in the middle of the data: the write timeout ends the wait, before the dot
        cells.add(Arguments.of(Step.DATA_CONTENT, Fault.FREEZE));
        return cells.build();
    }

    /**
     * connectTimeout also bounds the TLS handshake. The faulted send's must be short, as a stalled handshake waits
     * for it; the recovery send's must let a real handshake complete on a loaded machine, which one shared value did
     * not always do (500 ms, then 2000 ms, failed the TLS cells' recovery at load 33). So the recovery of a TLS cell
     * has a generous one of its own: nothing is pooled after a failed handshake, so it is a new connection either way.
     */
    private static final int FAULTED_CONNECT_TIMEOUT = 6000;
    private static final int RECOVERY_CONNECT_TIMEOUT = 60_000;

    private static String uri(int port) {
        return uri(port, FAULTED_CONNECT_TIMEOUT);
    }

    private static String uri(int port, int connectTimeout) {
        return "catalystmail:smtp:127.0.0.1:" + port + "?username=carol&password=" + PASSWORD
               + "&from=carol@example.test&to=dave@example.test&connectTimeout=" + connectTimeout + "&readTimeout=2000";
    }

    private static String uri(Step step, int port) {
        return step == Step.TLS_HANDSHAKE ? tlsUri(port, FAULTED_CONNECT_TIMEOUT) : uri(port);
    }

    /** The URI of the send after the fault: the same endpoint, except for a TLS cell (see above). */
    private static String recoveryUri(Step step, int port) {
        return step == Step.TLS_HANDSHAKE ? tlsUri(port, RECOVERY_CONNECT_TIMEOUT) : uri(port);
    }

    private static String tlsUri(int port, int connectTimeout) {
        return uri(port, connectTimeout).replace("catalystmail:smtp:", "catalystmail:smtps:")
               + "&sslContextParameters=#greenMailTrust&verifyHostname=false";
    }

    @ParameterizedTest(name = "SMTP {0} {1}")
    @MethodSource("cells")
    void producerReportsWhatTheServerMayHaveAndRecovers(Step step, Fault fault) throws Exception {
        Outcome expected = fault == Fault.STALL ? step.onStall : step.onCut;
        int delivered = fault == Fault.CUT ? step.deliveredOnCut : 0;
        int upstream = step == Step.TLS_HANDSHAKE ? greenMail.getSmtps().getPort() : greenMail.getSmtp().getPort();
        try (FaultProxy proxy = new FaultProxy(upstream);
             DefaultCamelContext context = new DefaultCamelContext()) {
            proxy.arm(step.direction, step.trigger, step.extraBytes, fault);
            context.getRegistry().bind("greenMailTrust", GreenMailCertificates.trustParameters());
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            String body = step == Step.DATA_CONTENT ? largeBody() : "the faulted message";
            // a guard against a hang, not a speed limit: a stalled cell waits out a timeout of a few seconds
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                Exchange faulted = template.send(uri(step, proxy.port()), e -> {
                    e.getIn().setHeader(CatalystMailConstants.SUBJECT, "faulted");
                    e.getIn().setBody(body);
                });
                assertTrue(proxy.fired(), "the fault at " + step + " never fired");
                assertOutcome(step, expected, faulted.getException());
                if (step == Step.TLS_HANDSHAKE && fault == Fault.STALL) {
                    assertTrue(String.valueOf(faulted.getException().getMessage())
                                    .contains("TLS handshake with 127.0.0.1:" + proxy.port() + " got no answer"),
                            "the timeout names the server: " + faulted.getException().getMessage());
                }
                if (fault == Fault.FREEZE) {
                    assertInstanceOf(SocketTimeoutException.class, faulted.getException().getCause(),
                            "the write timeout ended the blocked write");
                }

                Exchange after = template.send(recoveryUri(step, proxy.port()), e -> {
                    e.getIn().setHeader(CatalystMailConstants.SUBJECT, "after");
                    e.getIn().setBody("sent after the fault");
                });
                assertNull(after.getException(), "the producer recovers on a new connection");
            });
            Eventually.await(Duration.ofSeconds(10), () -> count("after") == 1 && count("faulted") == delivered,
                    () -> "GreenMail received " + subjects());
            assertEquals(1 + delivered, greenMail.getReceivedMessages().length, "never a second copy: " + subjects());
        }
    }

    /**
     * A reused session that fails before any message data went out was stale: the producer sends once more on a
     * new connection, and the message arrives exactly once.
     */
    @Test
    void reusedSessionCutAtRcptIsRetriedOnceOnANewConnection() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getSmtp().getPort());
             DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            template.sendBodyAndHeader(uri(proxy.port()), "first", CatalystMailConstants.SUBJECT, "first");
            proxy.arm(Direction.CLIENT_TO_SERVER, "RCPT TO", 0, Fault.CUT);
            Exchange second = template.send(uri(proxy.port()), e -> {
                e.getIn().setHeader(CatalystMailConstants.SUBJECT, "second");
                e.getIn().setBody("second");
            });
            assertTrue(proxy.fired());
            assertNull(second.getException(), "retried on a new connection");
            assertEquals(2, proxy.connections());
            Eventually.await(Duration.ofSeconds(10), () -> count("second") == 1, () -> "received " + subjects());
            assertEquals(2, greenMail.getReceivedMessages().length, "exactly once each: " + subjects());
        }
    }

    /**
     * The same with a server that pipelines, where the content is staged while the envelope's replies are awaited:
     * a stream body, or a raw message, must still be there whole when the reused connection turns out to be dead
     * and the producer sends again on a new one; each message arrives once.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("secondBodies")
    void reusedPipeliningSessionFoundDeadIsRetriedWithTheWholeMessage(String kind, String options, Object body)
            throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(ScriptedSmtpServer.script()
                .greet("220 scripted ESMTP")
                .expect("EHLO", "250-scripted\n250 PIPELINING")
                .expectBatch(List.of("MAIL FROM", "RCPT TO", "DATA"), "250 ok", "250 ok", "354 go ahead")
                .expectData("250 queued")
                // the second message on the same connection, which the server dropped meanwhile
                .expectBatch(List.of("RSET", "MAIL FROM", "RCPT TO", "DATA"))
                .cutAndAcceptNext()
                .greet("220 scripted ESMTP")
                .expect("EHLO", "250-scripted\n250 PIPELINING")
                .expectBatch(List.of("MAIL FROM", "RCPT TO", "DATA"), "250 ok", "250 ok", "354 go ahead")
                .expectData("250 queued")
                .expect("QUIT", "221 bye"));
             DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            String uri = "catalystmail:smtp:127.0.0.1:" + server.port() + "?from=carol@example.test&to=dave@example.test"
                         + options;
            template.sendBody(uri, "Subject: first\r\n\r\nfirst\r\n");
            Exchange second = template.send(uri, e -> e.getIn().setBody(body));
            assertNull(second.getException(), "retried on a new connection");
            context.stop();
            server.verify();
            assertEquals(2, server.messages().size(), "each message once");
            String sent = new String(server.messages().get(1), StandardCharsets.US_ASCII);
            assertTrue(sent.contains("the second body, whole"), sent);
        }
    }

    static Stream<Arguments> secondBodies() {
        byte[] raw = "Subject: second\r\n\r\nthe second body, whole\r\n".getBytes(StandardCharsets.US_ASCII);
        return Stream.of(
                Arguments.of("stream body", "", new ByteArrayInputStream("the second body, whole".getBytes(StandardCharsets.US_ASCII))),
                Arguments.of("raw message in memory", "&raw=true", raw),
                Arguments.of("raw message from a stream", "&raw=true", new ByteArrayInputStream(raw)));
    }

    /** Once message data went out, even a reused session is not retried: a second attempt could deliver twice. */
    @Test
    void reusedSessionCutAfterTheFinalDotIsNotRetried() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getSmtp().getPort());
             DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            template.sendBodyAndHeader(uri(proxy.port()), "first", CatalystMailConstants.SUBJECT, "first");
            proxy.arm(Direction.CLIENT_TO_SERVER, "\r\n.\r\n", 0, Fault.CUT);
            Exchange second = template.send(uri(proxy.port()), e -> {
                e.getIn().setHeader(CatalystMailConstants.SUBJECT, "second");
                e.getIn().setBody("second");
            });
            assertInstanceOf(SmtpUncertainDeliveryException.class, second.getException());
            assertEquals(1, proxy.connections(), "no second connection, so no second copy");
            Eventually.await(Duration.ofSeconds(10), () -> count("second") == 1, () -> "received " + subjects());
            assertEquals(2, greenMail.getReceivedMessages().length, "exactly once each: " + subjects());
        }
    }

    /**
     * A server that reads the final dot and then says nothing: after the read timeout the exchange fails with
     * SmtpUncertainDeliveryException, saying the message may have been delivered, and nothing is resent.
     */
    @Test
    void stallAfterTheFinalDotIsReportedUncertainAndNotRetried() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(ScriptedSmtpServer.script()
                .greet("220 scripted ESMTP")
                .expect("EHLO", "250 scripted")
                .expect("MAIL FROM", "250 ok")
                .expect("RCPT TO", "250 ok")
                .expect("DATA", "354 go ahead")
                .expectData(null)
                .stall());
             DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            Exchange result = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> template.send(
                    "catalystmail:smtp:127.0.0.1:" + server.port()
                    + "?from=carol@example.test&to=dave@example.test&connectTimeout=500&readTimeout=500",
                    e -> e.getIn().setBody("may or may not arrive")));
            SmtpUncertainDeliveryException uncertain = assertInstanceOf(SmtpUncertainDeliveryException.class,
                    result.getException());
            assertTrue(uncertain.getMessage().contains("may have accepted"), uncertain.getMessage());
            server.verify();
            assertEquals(1, server.messages().size(), "the server had the whole message");
            assertEquals(1, server.commands().stream().filter(c -> c.startsWith("MAIL FROM")).count(), "sent once");
        }
    }

    /**
     * Every failure is an IOException; SmtpUncertainDeliveryException exactly when the server may have the message.
     * A failed TLS handshake is reported by the TLS layer (TlsFailureException, or the handshake's read timeout);
     * every later step by an SmtpException naming the command.
     */
    private static void assertOutcome(Step step, Outcome expected, Exception e) {
        IOException failure = assertInstanceOf(IOException.class, e, "the exchange fails with an IOException");
        if (step != Step.TLS_HANDSHAKE) {
            assertInstanceOf(SmtpException.class, failure, "an SMTP step fails with an SmtpException");
        }
        if (expected == Outcome.UNCERTAIN) {
            assertInstanceOf(SmtpUncertainDeliveryException.class, failure, "may have been delivered: " + failure);
        } else {
            assertFalse(failure instanceof SmtpUncertainDeliveryException, "certainly not delivered, but said: " + failure);
        }
        assertFalse(String.valueOf(failure.getMessage()).contains(PASSWORD), "no password in " + failure.getMessage());
    }

    private static String largeBody() {
        StringBuilder sb = new StringBuilder(LARGE_BODY_LINES * 60);
        sb.append("content-marker\r\n");
        for (int i = 0; i < LARGE_BODY_LINES; i++) {
            sb.append("line ").append(i).append(" of a message larger than any socket buffer\r\n");
        }
        return sb.toString();
    }

    private static long count(String subject) {
        return subjects().stream().filter(subject::equals).count();
    }

    private static List<String> subjects() {
        return Arrays.stream(greenMail.getReceivedMessages()).map(SmtpFaultMatrixTest::subject).toList();
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
