package io.catalystmail.camel;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.mime.MessageMapper;
import io.catalystmail.camel.mime.MimeLimits;
import io.catalystmail.camel.testsupport.ExchangeCompletion;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.catalystmail.camel.testsupport.GreenMailboxes.bytesOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real-world corpus (src/test/resources/messages/real-world: inline named text parts, RFC 2231 parameters,
 * headers without the empty line, parts whose header runs into the content, nested multiparts reusing a boundary,
 * unknown and mislabelled charsets) read by the mapper alone and by the IMAP consumer from GreenMail: body,
 * charset-fallback header and attachments must be what a mature reader (Python's email package, see
 * expectations.py there) gives, or what the expectation file says we give instead, and why.
 */
class RealWorldCorpusTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("rita", "rita", "s3cret"));

    private static final byte[] CRLF = { '\r', '\n' };

    static List<String> corpus() {
        List<String> messages = ReaderExpectation.corpus();
        assertTrue(messages.size() >= 15, "corpus present: " + messages);
        return messages;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void theMapperReadsItAsAMatureReaderDoes(String name) throws Exception {
        ReaderExpectation expected = ReaderExpectation.of(name);
        Exchange exchange = new DefaultExchange(context);
        new MessageMapper(MimeLimits.defaults(), false, false)
                .map(new ByteArrayInputStream(ReaderExpectation.bytes(name)), exchange.getIn());
        try {
            assertEquals(List.of(), expected.mismatches(exchange.getMessage()));
        } finally {
            ExchangeCompletion.complete(exchange); // as a route's end would: the spooled parts are deleted
        }
    }

    @Test
    void theImapConsumerReadsTheWholeCorpusAsAMatureReaderDoes() throws Exception {
        Map<Long, String> byUid = new LinkedHashMap<>();
        for (String name : corpus()) {
            byUid.put(deliver(greenMail, "rita", ReaderExpectation.bytes(name)), name);
        }
        MockEndpoint mock = getMockEndpoint("mock:read");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort()
                     + "?username=rita&password=s3cret&initialDelay=0&delay=100")
                        .to("mock:read");
            }
        });
        Eventually.await(Duration.ofSeconds(60), () -> mock.getReceivedCounter() >= byUid.size(),
                () -> mock.getReceivedCounter() + " of " + byUid.size() + " read");

        Map<Long, byte[]> served = new LinkedHashMap<>();
        for (StoredMessage stored : messages(greenMail, "rita", "INBOX")) {
            served.put(stored.getUid(), bytesOf(stored));
        }
        List<String> mismatches = new ArrayList<>();
        for (Exchange exchange : mock.getReceivedExchanges()) {
            long uid = exchange.getMessage().getHeader(CatalystMailConstants.UID, Long.class);
            String name = byUid.get(uid);
            ReaderExpectation expected = ReaderExpectation.of(name);
            byte[] original = ReaderExpectation.bytes(name);
            if (!Arrays.equals(original, served.get(uid))) {
                // GreenMail stores what Jakarta Mail parsed: a header that never ends in an empty line is written
                // back with one after it, which adds a line break to a body that was all in the header section
                assertArrayEquals(concat(original, CRLF), served.get(uid), name + ": GreenMail changed more than the end");
                expected = expected.withBodySuffix("\r\n");
            }
            mismatches.addAll(expected.mismatches(exchange.getMessage()));
        }
        assertEquals(List.of(), mismatches);
        assertEquals(byUid.size(), mock.getReceivedCounter(), "each message read once");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
