package io.catalystmail.camel;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.ScriptedSmtpServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The figures of a known workload, read as a monitoring tool would: as attributes of the consumer's and the
 * producer's MBeans.
 */
class OperationsFiguresJmxTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withJMX(true);
    }

    private MBeanServer mbeans() {
        return context.getManagementStrategy().getManagementAgent().getMBeanServer();
    }

    private ObjectName only(String type, String routeId) throws Exception {
        Set<ObjectName> names = mbeans().queryNames(new ObjectName("org.apache.camel:type=" + type + ",*"), null);
        return names.stream().filter(n -> {
            try {
                return routeId.equals(mbeans().getAttribute(n, "RouteId"));
            } catch (Exception e) {
                return false;
            }
        }).findFirst().orElseThrow(() -> new AssertionError("no " + type + " MBean of route " + routeId + " in " + names));
    }

    private Object attribute(ObjectName name, String attribute) throws Exception {
        return mbeans().getAttribute(name, attribute);
    }

    @Test
    void consumerFiguresAfterThreeMessagesOfWhichOneFails() throws Exception {
        long bytes = 0;
        for (String subject : new String[] { "one", "fail", "three" }) {
            byte[] raw = textMessage(subject, "body of " + subject);
            deliver(greenMail, "alice", raw);
            bytes += raw.length;
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort()
                     + "?username=alice&password=s3cret&initialDelay=0&delay=60000&delete=true")
                        .routeId("figures")
                        .process(e -> {
                            if ("fail".equals(e.getMessage().getHeader("Subject"))) {
                                throw new IllegalStateException("refused by the route");
                            }
                        });
            }
        });
        ObjectName consumer = only("consumers", "figures");
        // a poll is counted after its actions and summary (MailboxStatistics.poll): once Polls shows it, every
        // figure below is final; counted first, a reader in between saw AfterProcessingApplied {} (1 run in 4 at
        // load 6-9)
        Eventually.await(Duration.ofSeconds(20), () -> {
            try {
                return ((Long) attribute(consumer, "Polls")) >= 1;
            } catch (Exception e) {
                return false;
            }
        }, () -> "no poll finished");

        assertEquals(3L, attribute(consumer, "MessagesListed"));
        assertEquals(3L, attribute(consumer, "MessagesFetched"));
        assertEquals(2L, attribute(consumer, "MessagesRouted"));
        assertEquals(1L, attribute(consumer, "MessagesFailed"));
        assertEquals(0L, attribute(consumer, "MessagesSkipped"));
        assertEquals(bytes, attribute(consumer, "BytesFetched"));
        assertEquals(0L, attribute(consumer, "LoginFailures"));
        assertEquals(0L, attribute(consumer, "FailedPolls"));
        assertEquals(0L, attribute(consumer, "UidValidityChanges"));
        assertTrue((Long) attribute(consumer, "UidValidity") > 0);
        assertEquals("{deleted=2}", attribute(consumer, "AfterProcessingApplied"));
        assertFalse(((String) attribute(consumer, "LastSuccessfulPoll")).isEmpty());
        assertEquals("connected", attribute(consumer, "ConnectionState"));
        String summary = (String) attribute(consumer, "LastPollSummary");
        assertTrue(summary.startsWith("Polled imap://127.0.0.1:" + greenMail.getImap().getPort() + "/INBOX: 3 listed,"
                                      + " 2 routed, 1 failed, 0 skipped, " + bytes + " bytes in "), summary);
        assertTrue(summary.endsWith("; after processing: 2 deleted"), summary);
        // Camel's own attributes stay beside ours
        assertNotNull(attribute(consumer, "Delay"));
    }

    @Test
    void consumerCountsARefusedLogin() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort()
                     + "?username=alice&password=wrong&initialDelay=0&delay=60000")
                        .routeId("refused").to("mock:never");
            }
        });
        ObjectName consumer = only("consumers", "refused");
        Eventually.await(Duration.ofSeconds(20), () -> {
            try {
                return ((Long) attribute(consumer, "LoginFailures")) == 1;
            } catch (Exception e) {
                return false;
            }
        }, () -> "the refused login was not counted");
        Eventually.await(Duration.ofSeconds(5), () -> {
            try {
                return ((Long) attribute(consumer, "FailedPolls")) == 1;
            } catch (Exception e) {
                return false;
            }
        }, () -> "the failed poll was not counted");
        assertEquals("", attribute(consumer, "LastSuccessfulPoll"));
        assertTrue(((String) attribute(consumer, "LastPollSummary")).contains("the poll failed: AuthenticationException"));
    }

    @Test
    void producerFiguresAfterASendWithARejectedRecipientAndAnUncertainOne() throws Exception {
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.start(ScriptedSmtpServer.script()
                .greet("220 scripted ESMTP")
                .expect("EHLO", "250 scripted")
                .expect("MAIL FROM", "250 ok")
                .expect("RCPT TO:<bob@example.test>", "250 ok")
                .expect("RCPT TO:<nobody@example.test>", "550 5.1.1 no such user")
                .expect("DATA", "354 go ahead")
                .expectData("250 2.0.0 queued")
                .expect("RSET", "250 ok")
                .expect("MAIL FROM", "250 ok")
                .expect("RCPT TO:<bob@example.test>", "250 ok")
                .expect("RCPT TO:<nobody@example.test>", "550 5.1.1 no such user")
                .expect("DATA", "354 go ahead")
                .expectData(null)
                .cut())) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:send").routeId("sender").to("catalystmail:smtp:127.0.0.1:" + smtp.port()
                            + "?from=app@example.test&to=bob@example.test,nobody@example.test");
                }
            });
            Exchange first = template.send("direct:send", e -> e.getIn().setBody("first"));
            assertEquals(null, first.getException());
            Exchange second = template.send("direct:send", e -> e.getIn().setBody("second"));
            assertNotNull(second.getException());
            smtp.verify();
        }
        ObjectName producer = only("producers", "sender");
        assertEquals(1L, attribute(producer, "MessagesSent"));
        // counted with a known outcome only: the second message's fate, rejected recipient included, is unknown
        assertEquals(1L, attribute(producer, "RejectedRecipients"));
        assertEquals(1L, attribute(producer, "UncertainDeliveries"));
        assertEquals(1L, attribute(producer, "SendFailures"));
        assertEquals(0L, attribute(producer, "LoginFailures"));
        assertEquals(1L, attribute(producer, "SessionsOpened"));
        assertEquals(0, attribute(producer, "IdleSessions"));
        assertFalse(((String) attribute(producer, "LastSent")).isEmpty());
    }
}
