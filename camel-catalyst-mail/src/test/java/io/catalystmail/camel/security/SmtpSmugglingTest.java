package io.catalystmail.camel.security;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.FaultProxy;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SMTP smuggling (bare LF, bare CR and lone dots meant to end DATA early on a lenient server) sent through the
 * producer to GreenMail, with a recording proxy between them: what went over the wire has CRLF line ends only,
 * every dot at a line start is doubled, the first CRLF.CRLF is the real end of the data, and the server
 * received exactly one message that still holds the text after the would-be terminator.
 */
class SmtpSmugglingTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private FaultProxy wire;

    @BeforeEach
    void proxy() throws Exception {
        wire = new FaultProxy(GREEN_MAIL.getSmtp().getPort());
    }

    @AfterEach
    void closeProxy() throws Exception {
        wire.close();
    }

    static Stream<Arguments> vectors() {
        Stream<String[]> named = Stream.of(
                new String[] { "LF.LF", "\n.\n" },
                new String[] { "CR.CR", "\r.\r" },
                new String[] { "CRLF.LF", "\r\n.\n" },
                new String[] { "LF.CRLF", "\n.\r\n" },
                new String[] { "CRLF.CR", "\r\n.\r" },
                new String[] { "lone dot line", "\r\n.\r\n" },
                new String[] { "lone dot line after LF", "\n.\n\n.\n" },
                new String[] { "dot line then a second transaction",
                        "\r\n.\r\nMAIL FROM:<x@example.com>\r\nRCPT TO:<smuggled@example.com>\r\nDATA\r\nSubject: smuggled\r\n\r\nhi\r\n" });
        return named.flatMap(v -> Stream.of(Arguments.of(v[0], v[1], false), Arguments.of(v[0], v[1], true)));
    }

    @ParameterizedTest(name = "{0} raw={2}")
    @MethodSource("vectors")
    void noVariantEndsTheDataEarly(String name, String vector, boolean raw) throws Exception {
        String body = "before the trick" + vector + "after the trick";
        String uri = "catalystmail:smtp:127.0.0.1:" + wire.port() + "?from=a@example.com&to=bob@example.com" + (raw ? "&raw=true" : "");
        Exchange sent = template.send(uri, e -> {
            if (raw) {
                e.getIn().setBody(("From: a@example.com\r\nTo: bob@example.com\r\nSubject: raw\r\n\r\n" + body)
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                e.getIn().setBody(body);
                // the alternative body is content too, and travels the same way
                e.getIn().setHeader(CatalystMailConstants.ALTERNATIVE_BODY, "<p>" + body + "</p>");
            }
        });
        assertNull(sent.getException());

        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));
        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertEquals(1, received.length, "exactly one message, nothing smuggled");
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        received[0].writeTo(stored);
        String text = stored.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("before the trick"), text);
        assertTrue(text.contains("after the trick"), "the text after the would-be terminator is part of the message:\n" + text);

        String client = wire.clientText();
        int dataStart = client.indexOf("\r\nDATA\r\n") + "\r\nDATA\r\n".length();
        assertTrue(dataStart > "\r\nDATA\r\n".length(), "DATA was sent");
        int end = client.indexOf("\r\n.\r\n", dataStart - 2);
        assertTrue(end >= 0, "the data was terminated");
        String data = client.substring(dataStart, end + 2);
        assertEquals("", client.substring(end + 5), "nothing followed the data: the smuggled commands never ran as commands");
        assertWellFormed(data);
    }

    /** CRLF line ends only, and every line starting with a dot is stuffed (RFC 5321 section 4.5.2). */
    private static void assertWellFormed(String data) {
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '\r') {
                assertTrue(i + 1 < data.length() && data.charAt(i + 1) == '\n', "bare CR at " + i);
            } else if (c == '\n') {
                assertTrue(i > 0 && data.charAt(i - 1) == '\r', "bare LF at " + i);
            }
        }
        for (String line : data.split("\r\n", -1)) {
            assertFalse(line.equals("."), "a lone dot line inside the data");
            assertTrue(!line.startsWith(".") || line.startsWith(".."), "an unstuffed dot: " + line);
        }
    }
}
