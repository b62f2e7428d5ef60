package io.catalystmail.camel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.health.ConsumersHealthCheckRepository;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.FaultProxy.tagOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.subjectOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static io.catalystmail.camel.testsupport.HostileBytes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A moveTo folder whose name is too long to go as a quoted string (over 1,000 octets, so it is sent as a literal)
 * and that the server refuses to create, answering NO in place of the literal's "+". Nothing is routed that could not
 * be moved: each poll fails before routing with an error naming the server, the command and the server's reason, the
 * literal is never sent, the message stays in the INBOX, and the consumer goes on polling, so the poll after the
 * server accepts the folder routes and moves the message, once.
 */
class RefusedFolderCreationTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("lea", "lea", "s3cret"));

    private static final String LONG_NAME = "Archive-" + "x".repeat(1100);

    @Test
    void aRefusedCreateOfALongFolderNameLeavesTheMessageAndTheConsumerPollsOn() throws Exception {
        deliver(greenMail, "lea", textMessage("first", "body"));
        List<String> routed = new CopyOnWriteArrayList<>();
        CamelContext context = new DefaultCamelContext();
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort());
             CapturedLog log = new CapturedLog()) {
            // a server that refuses the name every time, before it takes the literal
            FaultProxy.Answer refuse = line -> text(tagOf(line) + " NO [LIMIT] Mailbox name too long\r\n");
            proxy.answer("CREATE", refuse, 0).onFire(() -> proxy.answer("CREATE", refuse, 0));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=lea&password=s3cret"
                         + "&moveTo=" + LONG_NAME + "&initialDelay=0&delay=200")
                            .process(e -> routed.add(e.getMessage().getHeader("Subject", String.class)));
                }
            });
            context.start();

            Eventually.await(() -> proxy.timesSent(" CREATE {") >= 3, () -> "the consumer stopped polling");
            String refusal = refusal(log);
            assertTrue(refusal != null && refusal.contains("127.0.0.1:" + proxy.port()) && refusal.contains("CREATE"),
                    "names the server, the command and the reason: " + refusal + "\n" + log.text());
            assertEquals(List.of(), routed, "nothing routed that could not be moved");
            assertFalse(proxy.clientText().contains(" CREATE {" + LONG_NAME.length() + "}\r\n" + LONG_NAME),
                    "the refused literal was never sent");
            assertEquals(List.of("first"), subjects("INBOX"), "the message stays");

            proxy.disarm(); // the server accepts the name now
            Eventually.await(() -> subjects(LONG_NAME).equals(List.of("first")), () -> "not moved; routed " + routed);
            assertEquals(List.of("first"), routed, "routed once");
            assertEquals(List.of(), subjects("INBOX"));
        } finally {
            context.stop();
        }
    }

    @Test
    void theRefusalIsWarnedOnceWithoutTheUriThenQuietlyAndItsEndOnceAtInfoWhileTheHealthCheckFollowsIt()
            throws Exception {
        deliver(greenMail, "lea", textMessage("second", "body"));
        DefaultCamelContext context = new DefaultCamelContext();
        HealthCheckRegistry registry = new DefaultHealthCheckRegistry();
        context.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, registry);
        registry.register(new ConsumersHealthCheckRepository());
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort());
             CapturedLog log = new CapturedLog()) {
            FaultProxy.Answer refuse = line -> text(tagOf(line) + " NO [LIMIT] Mailbox name too long\r\n");
            proxy.answer("CREATE", refuse, 0).onFire(() -> proxy.answer("CREATE", refuse, 0));
            String mailbox = "INBOX";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=lea&password=s3cret"
                         + "&moveTo=" + LONG_NAME + "&initialDelay=0&delay=100")
                            .routeId("refused").log("${header.Subject}");
                }
            });
            context.start();

            Eventually.await(() -> proxy.timesSent(" CREATE {") >= 5, () -> "the consumer stopped polling");
            Eventually.await(() -> health(context) == HealthCheck.State.DOWN, () -> "health " + health(context));
            List<String> loud = loudLines(log);
            assertTrue(log.text().lines().filter(l -> l.startsWith("INFO") && l.contains("poll failed")).count() <= 1,
                    "the polls' summaries say the failure at most once:\n" + log.text());
            assertEquals(1, loud.size(), "one WARN for five refused polls:\n" + String.join("\n", loud));
            String warning = loud.get(0);
            assertTrue(warning.startsWith("WARN") && warning.contains("127.0.0.1:" + proxy.port())
                       && warning.contains("CREATE") && warning.contains("NO [LIMIT]: Mailbox name too long")
                       && warning.contains(LONG_NAME.substring(0, 40)) && warning.contains(mailbox),
                    "names the folder, the server, the command and its answer: " + warning);
            assertFalse(log.text().lines().filter(l -> !l.startsWith("DEBUG")).anyMatch(l -> l.contains(LONG_NAME)
                    || l.contains("catalystmail://")), "neither the whole folder name nor the URI above DEBUG:\n"
                                                     + log.text().lines().filter(l -> !l.startsWith("DEBUG")).toList());

            proxy.disarm(); // the server accepts the name now
            Eventually.await(() -> subjects(LONG_NAME).contains("second"), () -> "not moved");
            Eventually.await(() -> health(context) == HealthCheck.State.UP, () -> "health " + health(context));
            List<String> recovered = log.text().lines().filter(l -> l.startsWith("INFO") && l.contains("usable")).toList();
            assertEquals(1, recovered.size(), "the end of the refusal said once: " + recovered);
            assertTrue(recovered.get(0).contains("127.0.0.1:" + proxy.port()), recovered.get(0));
            assertEquals(1, loudLines(log).size(), "no WARN after the first");
        } finally {
            context.stop();
        }
    }

    /** WARN and ERROR lines about the refusal. */
    private static List<String> loudLines(CapturedLog log) {
        return log.text().lines().filter(l -> (l.startsWith("WARN") || l.startsWith("ERROR"))
                && l.contains("Mailbox name too long")).toList();
    }

    private static HealthCheck.State health(CamelContext context) {
        return HealthCheckHelper.invoke(context).stream()
                .filter(r -> r.getCheck().getId().startsWith("consumer:") && r.getCheck().getId().contains("refused"))
                .map(HealthCheck.Result::getState).findFirst().orElse(HealthCheck.State.UNKNOWN);
    }

    private static List<String> subjects(String folder) {
        return messages(greenMail, "lea", folder).stream().map(m -> subjectOf(m)).toList();
    }

    /** The first WARN or ERROR line about the refusal, null while there is none. */
    private static String refusal(CapturedLog log) {
        return log.text().lines().filter(l -> !l.startsWith("DEBUG") && !l.startsWith("TRACE")
                && l.contains("Mailbox name too long")).findFirst().orElse(null);
    }
}
