package io.catalystmail.camel.interop;

import static io.catalystmail.camel.interop.InteropServers.HOST;
import static io.catalystmail.camel.interop.InteropServers.address;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.smtp.AsciiContent;
import io.catalystmail.camel.smtp.Envelope;
import io.catalystmail.camel.smtp.SmtpRejectedException;
import io.catalystmail.camel.smtp.SmtpSession;
import io.catalystmail.camel.smtp.SubmissionResult;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CHUNKING (RFC 3030) with the real server: messages in BDAT chunks arrive with every octet as sent (a line of a
 * lone dot included, which DATA would have had to stuff), over TLS and plain, several on one connection, and a
 * refused envelope, whose chunk the server must read and discard, leaves the connection in step. Skipped for a
 * server that does not offer CHUNKING (the DATA path has its own tests).
 */
class SmtpChunkingInteropIT extends InteropTestSupport {

    private static final String ALICE = address("alice");
    private static final String BOB = address("bob");

    private final String token = "bdat-" + UUID.randomUUID();

    @BeforeEach
    void emptyMailbox() {
        Mailboxes.empty("alice");
    }

    private SmtpSession open(StartTlsMode startTls) throws Exception {
        ConnectionSettings settings = new ConnectionSettings(HOST, InteropServers.SMTP, false, startTls,
                InteropServers.trust().createSSLContext(context), true, Duration.ofSeconds(10), Duration.ofSeconds(30),
                false);
        SmtpSession session = SmtpSession.open(settings, Credentials.NONE, "interop.example.test");
        assumeTrue(session.capabilities().chunking(), "the server does not offer CHUNKING");
        return session;
    }

    /** Header and body, every line end CRLF; the body has dot lines and {@code bulk} octets of base64-like lines. */
    private byte[] message(String subject, int bulk) {
        StringBuilder body = new StringBuilder("From: ").append(BOB).append("\r\nTo: ").append(ALICE)
                .append("\r\nSubject: ").append(subject).append("\r\n\r\n")
                .append(".a line starting with a dot\r\n..two dots\r\n.\r\nthe line above is a lone dot\r\n");
        SplittableRandom random = new SplittableRandom(3030);
        char[] line = new char[76];
        for (int written = 0; written < bulk; written += 78) {
            for (int i = 0; i < line.length; i++) {
                line[i] = (char) ('A' + random.nextInt(26));
            }
            body.append(line).append("\r\n");
        }
        return body.append("end\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The stored message's octets from its body on, as the IMAP server gives them. */
    private static byte[] storedBody(String subject) {
        byte[][] found = new byte[1][];
        Eventually.await(Duration.ofSeconds(30), () -> {
            for (Mailboxes.Stored s : Mailboxes.stored("alice", "INBOX")) {
                if (subject.equals(s.subject())) {
                    found[0] = s.bytes();
                    return true;
                }
            }
            return false;
        }, () -> "no message " + subject + " for alice; Postfix log: " + InteropServers.SERVERS_DIR + "/postfix.log");
        return bodyOf(found[0]);
    }

    private static byte[] bodyOf(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int start = text.indexOf("\r\n\r\n") + 4;
        return Arrays.copyOfRange(message, start, message.length);
    }

    private static AsciiContent ascii(byte[] message) {
        return out -> out.write(message);
    }

    @Test
    void messagesOfOneAndOfSeveralChunksArriveOctetForOctetOverTlsAndPlain() throws Exception {
        for (StartTlsMode mode : new StartTlsMode[] {StartTlsMode.REQUIRED, StartTlsMode.DISABLED}) {
            byte[] small = message(token + "-small-" + mode, 2_000);
            byte[] large = message(token + "-large-" + mode, 300_000); // five chunks of at most 64 KB
            try (SmtpSession session = open(mode)) {
                for (byte[] content : new byte[][] {small, large}) {
                    SubmissionResult result = session.send(Envelope.of(BOB, ALICE), ascii(content));
                    assertEquals(250, result.finalReply().code(), result.finalReply().toString());
                    session.resetForNextTransaction();
                }
            }
            assertArrayEquals(bodyOf(small), storedBody(token + "-small-" + mode));
            assertArrayEquals(bodyOf(large), storedBody(token + "-large-" + mode));
        }
    }

    /**
     * The envelope's refusal is read behind the chunk that went with it: the server refuses the chunk too and
     * discards its octets instead of reading them as commands, so the next message on the connection arrives.
     */
    @Test
    void aRefusedEnvelopeWhoseChunkWentWithItLeavesTheConnectionInStep() throws Exception {
        String unknown = address("nobody-" + token.substring(5, 13));
        try (SmtpSession session = open(StartTlsMode.DISABLED)) {
            SmtpRejectedException e = assertThrows(SmtpRejectedException.class, () -> session.send(
                    Envelope.of(BOB, unknown), ascii(message(token + "-refused", 100_000))));
            assertEquals("RCPT TO", e.command());
            assertTrue(e.getMessage().contains(unknown), e.getMessage());
            assertTrue(session.isAlive());
            session.send(Envelope.of(BOB, ALICE), ascii(message(token + "-after", 1_000)));
        }
        storedBody(token + "-after");
        assertTrue(Mailboxes.stored("alice", "INBOX").stream()
                .noneMatch(m -> (token + "-refused").equals(m.subject())));
    }

    /** A route's stream, read once: its envelope is answered before the first chunk, and it arrives whole. */
    @Test
    void aRawStreamReadOnceArrivesThroughTheRoute() {
        byte[] content = message(token + "-stream", 150_000);
        Exchange result = template.send("catalystmail:smtp:" + HOST + ":" + InteropServers.SMTP
                + "?startTls=DISABLED&raw=true&from=" + BOB + "&to=" + ALICE,
                e -> e.getIn().setBody(new ByteArrayInputStream(content)));
        assertNull(result.getException());
        assertEquals(java.util.List.of(ALICE),
                result.getMessage().getHeader(CatalystMailConstants.ACCEPTED_RECIPIENTS));
        assertArrayEquals(bodyOf(content), storedBody(token + "-stream"));
    }
}
