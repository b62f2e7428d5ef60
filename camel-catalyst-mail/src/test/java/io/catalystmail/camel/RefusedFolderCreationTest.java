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

    private static List<String> subjects(String folder) {
        return messages(greenMail, "lea", folder).stream().map(m -> subjectOf(m)).toList();
    }

    /** The first WARN or ERROR line about the refusal, null while there is none. */
    private static String refusal(CapturedLog log) {
        return log.text().lines().filter(l -> !l.startsWith("DEBUG") && !l.startsWith("TRACE")
                && l.contains("Mailbox name too long")).findFirst().orElse(null);
    }
}
