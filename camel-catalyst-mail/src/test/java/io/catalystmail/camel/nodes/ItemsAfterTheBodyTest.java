package io.catalystmail.camel.nodes;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FinishedPolls;
import jakarta.mail.Flags;
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

/**
 * RFC 3501 §7.4.2 does not fix the order of a FETCH response's items: a server may send BODY[] before FLAGS and
 * INTERNALDATE. The check that a message was flagged \Deleted since the listing ({@link ChangedSinceListingTest})
 * and the exchange's flags and date must not depend on that order. A proxy in front of GreenMail answers the round's
 * UID FETCH with the body first; meanwhile another session flagged m2 \Deleted, after the listing.
 */
class ItemsAfterTheBodyTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    private static final String DATE = "17-Jul-2024 09:30:00 +0000";

    @Test
    void aMessageWhoseFlagsComeAfterItsBodyIsJudgedByThemAndCarriesThem() throws Exception {
        long uid1 = deliver(greenMail, "alice", textMessage("m1", "body 1"));
        long uid2 = deliver(greenMail, "alice", textMessage("m2", "body 2"));
        Map<String, Object[]> routed = new ConcurrentHashMap<>();
        FinishedPolls polls = new FinishedPolls();
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort());
             DefaultCamelContext context = new DefaultCamelContext()) {
            proxy.answer("UID FETCH", line -> {
                // another session flags m2 after this poll's listing, before its fetch
                messages(greenMail, "alice", "INBOX").stream().filter(m -> subjectOf(m).equals("m2")).findFirst()
                        .orElseThrow().setFlag(Flags.Flag.DELETED, true);
                return text(bodyFirst(1, uid1, "m1", "()") + bodyFirst(2, uid2, "m2", "(\\Deleted)")
                            + tagOf(line) + " OK done\r\n");
            }, 0);
            context.getRegistry().bind("polls", polls);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=alice&password=s3cret"
                         + "&initialDelay=0&delay=3600000&pollStrategy=#polls")
                            .process(e -> routed.put(e.getMessage().getHeader("Subject", String.class), new Object[] {
                                e.getMessage().getHeader(CatalystMailConstants.FLAGS),
                                e.getMessage().getHeader(CatalystMailConstants.INTERNAL_DATE) }));
                }
            });
            context.start();
            polls.await(1);
            context.stop();
        }
        assertEquals(Set.of("m1"), routed.keySet(), "m2 was flagged \\Deleted since the listing: not routed");
        assertEquals(Set.of(), Set.copyOf((Set<?>) routed.get("m1")[0]));
        assertEquals(Instant.parse("2024-07-17T09:30:00Z"), routed.get("m1")[1]);
    }

    /** A FETCH response with the body first, then FLAGS and INTERNALDATE. */
    private static String bodyFirst(int sequence, long uid, String subject, String flags) {
        String content = "Subject: " + subject + "\r\n\r\nbody of " + subject + "\r\n";
        return "* " + sequence + " FETCH (UID " + uid + " RFC822.SIZE " + content.length() + " BODY[] {"
               + content.length() + "}\r\n" + content + " FLAGS " + flags + " INTERNALDATE \"" + DATE + "\")\r\n";
    }
}
