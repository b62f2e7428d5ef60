package io.catalystmail.camel.interop;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;

import io.catalystmail.camel.CatalystMailConstants;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.catalystmail.camel.interop.InteropServers.HOST;
import static io.catalystmail.camel.interop.InteropServers.PASSWORD;
import static io.catalystmail.camel.interop.InteropServers.address;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A message far above the consumer's body storage threshold (256 KB, so its attachment goes to a temporary file)
 * and above any single read buffer: 12 MB of attachment arrive intact over IMAPS and POP3S.
 */
class LargeMessageInteropIT extends InteropTestSupport {

    private static final String USER = "alice";
    private static final int SIZE = 12 * 1024 * 1024;

    @BeforeEach
    void emptyMailbox() {
        Mailboxes.empty(USER);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "imaps, CATALYST_IMAPS_PORT", "pop3s, CATALYST_POP3S_PORT" })
    void largeAttachmentArrivesIntact(String scheme, String portVariable) throws Exception {
        byte[] data = new byte[SIZE];
        new Random(42).nextBytes(data);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
        Exchange sent = template.send("catalystmail:smtp:" + HOST + ":" + InteropServers.SMTP + "?startTls=REQUIRED"
                                      + "&sslContextParameters=#" + InteropServers.TLS_BEAN + "&from=" + address("bob")
                                      + "&to=" + address(USER), e -> {
                                          e.getIn().setBody("large " + UUID.randomUUID());
                                          e.getIn().setHeader(CatalystMailConstants.SUBJECT, "large");
                                          e.getIn(AttachmentMessage.class).addAttachment("large.bin", new DataHandler(
                                                  new ByteArrayDataSource(data, "application/octet-stream")));
                                      });
        assertNull(sent.getException());

        byte[][] received = new byte[1][];
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(1);
        mock.setResultWaitTime(60_000);
        route("catalystmail:" + scheme + ":" + HOST + ":" + System.getenv(portVariable) + "?username=" + USER
              + "&password=RAW(" + PASSWORD + ")&sslContextParameters=#" + InteropServers.TLS_BEAN
              + "&delete=true&initialDelay=0&delay=200", e -> {
                  Map<String, DataHandler> attachments = e.getIn(AttachmentMessage.class).getAttachments();
                  try (InputStream in = attachments.get("large.bin").getInputStream()) {
                      received[0] = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
                  }
              });
        mock.assertIsSatisfied();
        assertArrayEquals(digest, received[0]);
    }
}
