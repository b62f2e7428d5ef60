package io.catalystmail.camel.interop;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.attachment.AttachmentMessage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * SMTP producer → Postfix → LMTP → Dovecot → consumer: N messages with a binary attachment and a non-ASCII subject
 * are sent, and what the consumer's route sees is recorded while the exchange is live (attachments may live in
 * temporary files released at completion) and compared with what was sent.
 */
final class RoundTrip {

    static final int MESSAGES = 50;

    /** What the route saw of one message. */
    record Seen(String body, String attachmentName, byte[] attachment) {
    }

    private final String run;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final AtomicInteger exchanges = new AtomicInteger();

    RoundTrip(String run) {
        this.run = run;
    }

    String subject(int i) {
        return "Grüße Nº" + i + " — Ünïcødé 日本語 " + run;
    }

    static String body(int i) {
        return "Nachricht " + i + ": Straße, café, 東京.";
    }

    static String attachmentName(int i) {
        return "Anhang-ä-" + i + ".bin";
    }

    /** Deterministic binary content with every octet value, different for each message. */
    static byte[] attachment(int i) {
        byte[] data = new byte[8 * 1024 + i];
        new Random(i).nextBytes(data);
        return data;
    }

    /** Sends the N messages through {@code smtpUri}, each exchange checked for failure. */
    void send(ProducerTemplate template, String smtpUri) {
        for (int i = 0; i < MESSAGES; i++) {
            int n = i;
            Exchange result = template.send(smtpUri, e -> {
                e.getIn().setBody(body(n));
                e.getIn().setHeader(CatalystMailConstants.SUBJECT, subject(n));
                e.getIn(AttachmentMessage.class).addAttachment(attachmentName(n),
                        new DataHandler(new ByteArrayDataSource(attachment(n), "application/octet-stream")));
            });
            assertNull(result.getException(), () -> "sending message " + n);
        }
    }

    /** The route step that records each exchange. */
    Processor recorder() {
        return e -> {
            exchanges.incrementAndGet();
            AttachmentMessage in = e.getIn(AttachmentMessage.class);
            String name = null;
            byte[] bytes = null;
            if (in.hasAttachments()) {
                Map.Entry<String, DataHandler> first = in.getAttachments().entrySet().iterator().next();
                name = first.getKey();
                try (InputStream data = first.getValue().getInputStream()) {
                    bytes = data.readAllBytes();
                }
            }
            String subject = e.getIn().getHeader("Subject", String.class);
            if (seen.putIfAbsent(subject, new Seen(e.getIn().getBody(String.class), name, bytes)) != null) {
                throw new IllegalStateException("delivered twice: " + subject);
            }
        };
    }

    /** Waits until all N arrived, then checks each against what was sent. */
    void verifyAllArrivedOnce() throws IOException {
        Eventually.await(Duration.ofSeconds(90), () -> seen.size() >= MESSAGES,
                () -> seen.size() + " of " + MESSAGES + " arrived");
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < MESSAGES; i++) {
            expected.add(subject(i));
            Seen s = seen.get(subject(i));
            assertNotNull(s, "missing: " + subject(i) + "; got " + seen.keySet());
            assertEquals(body(i), s.body().stripTrailing(), subject(i));
            assertEquals(attachmentName(i), s.attachmentName(), subject(i));
            assertArrayEquals(attachment(i), s.attachment(), subject(i));
        }
        assertEquals(expected, new TreeSet<>(seen.keySet()));
    }

    /** Exchanges the route has seen so far (a duplicate would also have failed its exchange). */
    int exchanges() {
        return exchanges.get();
    }
}
