package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.mailbox.MessageTooLargeException;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * fetchAs=iterator streams a fetch of many messages round by round through a split, and the fetch operation applies
 * maxMessageSize as the consumer does; what was fetched is read off the commands the client sent through a proxy.
 */
class ImapFetchStreamingTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.org", "joe", "secret"))
            .withPerMethodLifecycle(true);

    private static final Pattern BODY_FETCH = Pattern.compile("UID FETCH ([0-9:,]+) \\([^\\r\\n]*BODY\\.PEEK\\[\\]");

    private static String imap(int port, String options) {
        return "catalystmail:imap:127.0.0.1:" + port + "?username=joe&password=secret&allowInsecureAuth=true&"
                + options;
    }

    /** The UID sets of the whole-message fetches the client sent so far, in order. */
    private static List<String> bodyFetches(FaultProxy proxy) {
        List<String> sets = new ArrayList<>();
        Matcher m = BODY_FETCH.matcher(proxy.clientText());
        while (m.find()) {
            sets.add(m.group(1));
        }
        return sets;
    }

    /** How many UIDs a set such as 1:5,7 names. */
    private static int size(String set) {
        int n = 0;
        for (String part : set.split(",")) {
            String[] range = part.split(":");
            n += range.length == 1 ? 1 : (int) (Long.parseLong(range[1]) - Long.parseLong(range[0]) + 1);
        }
        return n;
    }

    @Test
    void aSplitStreamsTheFetchRoundByRoundHoldingOneRoundAndGivesTheConnectionBack() throws Exception {
        int count = 23;
        for (int i = 0; i < count; i++) {
            GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("message " + i, "body " + i));
        }
        try (FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort())) {
            List<Long> uids = new ArrayList<>();
            List<Integer> fetchedWhenRouted = new ArrayList<>();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:fetch")
                            .to(imap(proxy.port(), "operation=fetch&search=ALL&fetchAs=iterator&fetchRoundSize=5"))
                            .split(body()).streaming()
                            .process(e -> {
                                uids.add(e.getMessage().getHeader(CatalystMailConstants.UID, Long.class));
                                fetchedWhenRouted.add(bodyFetches(proxy).stream()
                                        .mapToInt(ImapFetchStreamingTest::size).sum());
                            });
                }
            });
            Exchange done = template.send("direct:fetch", e -> { });
            assertNull(done.getException(), () -> String.valueOf(done.getException()));

            assertEquals(count, uids.size(), "every message was routed");
            assertEquals(uids.stream().sorted().distinct().toList(), uids, "each once, in UID order");
            for (int k = 0; k < count; k++) {
                // when message k is routed, its round has been fetched, and the next one once k is the last of its
                // round (the splitter asks whether more follow): at most 5 messages fetched and not yet routed
                assertEquals(Math.min(count, ((k + 1) / 5 + 1) * 5), fetchedWhenRouted.get(k),
                        "fetched when routing " + k);
            }
            assertTrue(bodyFetches(proxy).stream().allMatch(set -> size(set) <= 5), bodyFetches(proxy).toString());

            Exchange next = template.send(imap(proxy.port(), "operation=status"), e -> { });
            assertNull(next.getException());
            assertEquals(1, proxy.connections(), "the iterator gave its connection back when it was read");
        }
    }

    @Test
    void aSplitThatStopsEarlyClosesTheIteratorAndTheConnectionIsLentAgain() throws Exception {
        for (int i = 0; i < 12; i++) {
            GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("message " + i, "body " + i));
        }
        try (FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort())) {
            String options = "maxConnections=1&connectTimeout=5000&";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:fetch")
                            .to(imap(proxy.port(), options + "operation=fetch&search=ALL&fetchAs=iterator&fetchRoundSize=4"))
                            .split(body()).streaming().stopOnException()
                            .process(e -> {
                                if (e.getProperty(Exchange.SPLIT_INDEX, Integer.class) == 2) {
                                    throw new IllegalStateException("the route gives up at the third message");
                                }
                            });
                }
            });
            Exchange failed = template.send("direct:fetch", e -> { });
            assertTrue(String.valueOf(failed.getException()).contains("gives up"), String.valueOf(failed.getException()));
            assertEquals(List.of("1:4"), bodyFetches(proxy), "nothing was fetched past the round being routed");

            Exchange next = template.send(imap(proxy.port(), options + "operation=status"), e -> { });
            assertNull(next.getException(), () -> String.valueOf(next.getException()));
            assertEquals(12L, next.getMessage().getHeader(CatalystMailConstants.MESSAGES));
            assertEquals(1, proxy.connections());
        }
    }

    @Test
    void fetchLeavesMessagesAboveMaxMessageSizeOnTheServerUnreadAndNamesThem() throws Exception {
        long small1 = GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("small one", "short"));
        long large = GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("large", "y".repeat(30_000)));
        long small2 = GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("small two", "short"));
        try (FaultProxy proxy = new FaultProxy(GREEN_MAIL.getImap().getPort())) {
            String options = "operation=fetch&maxMessageSize=10000";

            Exchange list = template.send(imap(proxy.port(), options + "&search=ALL"), e -> { });
            assertNull(list.getException(), () -> String.valueOf(list.getException()));
            List<?> messages = list.getMessage().getBody(List.class);
            assertEquals(2, messages.size());
            assertEquals(List.of(small1, small2), list.getMessage().getHeader(CatalystMailConstants.UIDS));
            assertEquals(List.of(large), list.getMessage().getHeader(CatalystMailConstants.OVERSIZED_UIDS));

            Exchange streamed = template.send(imap(proxy.port(), options + "&search=ALL&fetchAs=iterator"), e -> { });
            assertNull(streamed.getException());
            assertEquals(List.of(large), streamed.getMessage().getHeader(CatalystMailConstants.OVERSIZED_UIDS));
            assertEquals(List.of(small1, small2), streamed.getMessage().getHeader(CatalystMailConstants.UIDS));

            Exchange single = template.send(imap(proxy.port(), options), e -> e.getIn().setHeader(
                    CatalystMailConstants.UIDS, large));
            MessageTooLargeException refused = assertInstanceOf(MessageTooLargeException.class, single.getException());
            assertTrue(refused.getMessage().contains("UID " + large) && refused.getMessage().contains("maxMessageSize=10000")
                    && refused.getMessage().contains("IMAP server 127.0.0.1:" + proxy.port()), refused.getMessage());

            for (String set : bodyFetches(proxy)) {
                assertFalse(set.contains(String.valueOf(large)), "the large message was fetched: " + set);
            }
            assertEquals(3, GreenMailboxes.messages(GREEN_MAIL, "joe", "INBOX").size(), "nothing was removed");
        }
    }
}
