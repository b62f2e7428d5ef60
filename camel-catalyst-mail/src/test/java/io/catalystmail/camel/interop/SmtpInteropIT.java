package io.catalystmail.camel.interop;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.smtp.SmtpCapabilities;
import io.catalystmail.camel.smtp.SmtpSession;
import io.catalystmail.camel.testsupport.Eventually;
import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.catalystmail.camel.interop.InteropServers.HOST;
import static io.catalystmail.camel.interop.InteropServers.PASSWORD;
import static io.catalystmail.camel.interop.InteropServers.address;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SMTP producer against Postfix: STARTTLS and implicit TLS with the certificate verified by name, the AUTH
 * mechanisms Dovecot offers Postfix on submission, and the extensions GreenMail lacks (PIPELINING, SIZE, DSN,
 * 8BITMIME, SMTPUTF8), each shown by what the server saw or delivered into the Dovecot mailboxes.
 */
class SmtpInteropIT extends InteropTestSupport {

    private static final String ALICE = address("alice");
    private static final String BOB = address("bob");
    /** Postfix's "by host (Postfix) with ESMTPS id QUEUEID", or James's "by host (JAMES SMTP Server ) with ESMTPS ID id". */
    private static final Pattern POSTFIX_RECEIVED = Pattern.compile(
            "by \\S+ \\((?:Postfix|JAMES SMTP Server ?)\\)\\s+with (\\S+) (?:id|ID) (\\w+)");

    private final String token = "smtp-" + UUID.randomUUID();

    @BeforeEach
    void emptyMailboxes() {
        Mailboxes.empty("alice");
        Mailboxes.empty("bob");
    }

    private static String smtp(String scheme, int port, String options) {
        return "catalystmail:" + scheme + ":" + HOST + ":" + port + "?sslContextParameters=#" + InteropServers.TLS_BEAN
               + "&from=" + BOB + "&to=" + ALICE + (options.isEmpty() ? "" : "&" + options);
    }

    private Exchange send(String uri, String body) {
        return template.send(uri, e -> {
            e.getIn().setBody(body);
            e.getIn().setHeader(CatalystMailConstants.SUBJECT, token);
        });
    }

    /** The message of {@code user} whose bytes contain {@code text}, once Postfix has handed it to Dovecot. */
    private static String arrived(String user, String text) {
        String[] found = new String[1];
        Eventually.await(Duration.ofSeconds(30), () -> {
            for (Mailboxes.Stored s : Mailboxes.stored(user, "INBOX")) {
                String raw = new String(s.bytes(), StandardCharsets.UTF_8);
                if (raw.contains(text)) {
                    found[0] = raw;
                    return true;
                }
            }
            return false;
        }, () -> "no message with " + text + " for " + user + "; Postfix log: " + InteropServers.SERVERS_DIR
                 + "/postfix.log");
        return found[0];
    }

    /** Postfix's own Received line: how the message came in (ESMTPS = TLS, ESMTPSA = TLS and AUTH) and its queue id. */
    private static Matcher postfixReceived(String message) {
        Matcher m = POSTFIX_RECEIVED.matcher(message);
        assertTrue(m.find(), "no Received line from Postfix in\n" + message);
        return m;
    }

    /**
     * The protocol a Received line names (RFC 3848). Difference: James 3.8 writes ESMTP and ESMTPA over TLS too,
     * without the "S"; TLS itself is shown there by the producer, which verified the certificate or failed.
     */
    private static String receivedWith(String rfc3848) {
        return InteropServers.james() ? rfc3848.replace("ESMTPS", "ESMTP") : rfc3848;
    }

    private SmtpCapabilities ehlo(int port, StartTlsMode startTls) throws Exception {
        ConnectionSettings settings = new ConnectionSettings(HOST, port, false, startTls,
                InteropServers.trust().createSSLContext(context), true, Duration.ofSeconds(10), Duration.ofSeconds(10),
                false);
        try (SmtpSession session = SmtpSession.open(settings, Credentials.NONE, "interop.example.test")) {
            return session.capabilities();
        }
    }

    private SmtpCapabilities ehloQuietly(int port) {
        try {
            return ehlo(port, StartTlsMode.REQUIRED);
        } catch (Exception e) {
            throw new IllegalStateException("EHLO to " + port + " failed: " + e, e);
        }
    }

    @Test
    void postfixOffersTheExtensionsTheseTestsRelyOnAndAuthOnlyAfterStartTlsOnSubmission() throws Exception {
        SmtpCapabilities plain = ehlo(InteropServers.SUBMISSION, StartTlsMode.DISABLED);
        assertTrue(plain.startTls(), "STARTTLS offered");
        assertTrue(plain.authMechanisms().isEmpty(), "AUTH before TLS: " + plain.authMechanisms());

        SmtpCapabilities tls = ehlo(InteropServers.SUBMISSION, StartTlsMode.REQUIRED);
        if (InteropServers.james()) {
            // Difference: James 3.8 offers neither CRAM-MD5 (hashed passwords), SMTPUTF8 nor (as configured) DSN
            assertEquals(java.util.Set.of("PLAIN", "LOGIN"), tls.authMechanisms());
            assertTrue(tls.pipelining() && tls.sizeOffered() && tls.maxSize() > 0 && tls.eightBitMime()
                       && tls.enhancedStatusCodes() && !tls.smtpUtf8() && !tls.dsn(), tls.toString());
            assertFalse(tls.startTls(), "STARTTLS is not offered again inside TLS");
            return;
        }
        assertTrue(tls.authMechanisms().containsAll(List.of("PLAIN", "LOGIN", "CRAM-MD5")), tls.authMechanisms().toString());
        assertTrue(tls.pipelining() && tls.sizeOffered() && tls.maxSize() > 0 && tls.eightBitMime() && tls.smtpUtf8()
                   && tls.dsn() && tls.enhancedStatusCodes(), tls.toString());
        assertFalse(tls.startTls(), "STARTTLS is not offered again inside TLS");
    }

    @ParameterizedTest
    @ValueSource(strings = { "WHEN_OFFERED", "REQUIRED" })
    void startTlsOnThePlainPortWithTheCertificateVerifiedByName(String mode) {
        Exchange result = send(smtp("smtp", InteropServers.SMTP, "startTls=" + mode), "over STARTTLS (" + mode + ")");
        assertNull(result.getException());
        assertEquals(List.of(ALICE), result.getMessage().getHeader(CatalystMailConstants.ACCEPTED_RECIPIENTS));
        String message = arrived("alice", token);
        assertEquals(receivedWith("ESMTPS"), postfixReceived(message).group(1), "Postfix received it over TLS");
        assertTrue(message.contains("over STARTTLS (" + mode + ")"), message);
    }

    @Test
    void implicitTlsOnTheSmtpsPort() {
        Exchange result = send(smtp("smtps", InteropServers.SMTPS, ""), "over implicit TLS");
        assertNull(result.getException());
        String message = arrived("alice", token);
        assertEquals(receivedWith("ESMTPS"), postfixReceived(message).group(1));
        assertTrue(message.contains("over implicit TLS"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = { "PLAIN", "LOGIN", "CRAM-MD5" })
    void submissionAuthenticatesWithTheForcedMechanism(String mechanism) {
        Exchange result = send(smtp("submission", InteropServers.SUBMISSION,
                "username=bob&password=RAW(" + PASSWORD + ")&authMechanism=" + mechanism), "authenticated by " + mechanism);
        if (InteropServers.james() && mechanism.equals("CRAM-MD5")) {
            // Difference: James keeps passwords hashed and offers no CRAM-MD5; nothing is sent
            AuthenticationException e = assertInstanceOf(AuthenticationException.class, result.getException());
            assertTrue(e.getMessage().contains("does not offer CRAM-MD5"), e.getMessage());
            return;
        }
        assertNull(result.getException());
        Matcher received = postfixReceived(arrived("alice", token));
        assertEquals(receivedWith("ESMTPSA"), received.group(1), "received over TLS, authenticated");
        if (InteropServers.james()) {
            return; // Difference: James logs no SASL method per message; ESMTPSA above shows the login
        }
        String queueId = received.group(2);
        Eventually.await(() -> !InteropServers.postfixLog(queueId + ": client=").isEmpty(), () -> "log of " + queueId);
        String line = InteropServers.postfixLog(queueId + ": client=").get(0);
        assertTrue(line.contains("sasl_method=" + mechanism) && line.contains("sasl_username=bob"), line);
    }

    @Test
    void aWrongPasswordFailsClearlyWithoutShowingIt() {
        String wrong = "not-the-" + PASSWORD + "-" + token;
        Exchange result = send(smtp("submission", InteropServers.SUBMISSION,
                "username=bob&password=RAW(" + wrong + ")&authMechanism=PLAIN"), "must not be sent");
        AuthenticationException e = assertInstanceOf(AuthenticationException.class, result.getException());
        assertTrue(e.getMessage().contains("535"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong), e.getMessage());
    }

    @Test
    void pipelinesTheEnvelopeAndDeclaresTheExactSize() throws Exception {
        byte[] raw = ("From: " + BOB + "\r\nTo: " + ALICE + "\r\nSubject: " + token + "\r\nMessage-ID: <" + token
                      + "@interop.example.test>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n\r\nPipelined.\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (LoopbackRelay relay = new LoopbackRelay("127.0.0.1", InteropServers.SMTP)
                .holdRepliesBetween("MAIL FROM:", "DATA\r\n")) {
            Exchange result = template.send("catalystmail:smtp:127.0.0.1:" + relay.port() + "?startTls=DISABLED&raw=true",
                    e -> e.getIn().setBody(raw));
            assertNull(result.getException());
            assertTrue(relay.releasedByClient(), "MAIL FROM, RCPT TO and DATA were sent before any reply was read "
                                                 + "(PIPELINING); the client sent:\n" + relay.clientBytes());
            String mailFrom = relay.clientBytes().lines().filter(l -> l.startsWith("MAIL FROM:")).findFirst().orElseThrow();
            assertTrue(mailFrom.contains(" SIZE=" + raw.length), mailFrom);
            assertFalse(mailFrom.contains("BODY=8BITMIME"), "a 7-bit message does not ask for 8BITMIME: " + mailFrom);
        }
        assertTrue(arrived("alice", token).contains("Pipelined."));
    }

    @Test
    void eightBitBodyIsDeclaredAndArrivesIntact() throws Exception {
        String body = "Grüße, Ærøskøbing, 日本語 — 8-bit octets on the wire.\r\n";
        byte[] raw = ("From: " + BOB + "\r\nTo: " + ALICE + "\r\nSubject: " + token + "\r\nMessage-ID: <" + token
                      + "@interop.example.test>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                      + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
        try (LoopbackRelay relay = new LoopbackRelay("127.0.0.1", InteropServers.SMTP)) {
            Exchange result = template.send("catalystmail:smtp:127.0.0.1:" + relay.port() + "?startTls=DISABLED&raw=true",
                    e -> e.getIn().setBody(raw));
            assertNull(result.getException());
            String mailFrom = relay.clientBytes().lines().filter(l -> l.startsWith("MAIL FROM:")).findFirst().orElseThrow();
            assertTrue(mailFrom.contains(" BODY=8BITMIME"), mailFrom);
        }
        String message = arrived("alice", token);
        assertTrue(message.endsWith("\r\n\r\n" + body), "the 8-bit body arrived as sent:\n" + message);
    }

    @Test
    void internationalizedSenderAndSubjectTravelWithSmtpUtf8() {
        String sender = "jörg.müller@" + InteropServers.DOMAIN;
        String subject = "Grüße aus Köln 日本 " + token;
        Exchange result = template.send(smtp("smtp", InteropServers.SMTP, "startTls=REQUIRED")
                .replace("from=" + BOB, "from=" + sender), e -> {
                    e.getIn().setBody("Ünïcödé sender");
                    e.getIn().setHeader(CatalystMailConstants.SUBJECT, subject);
                });
        if (InteropServers.james()) {
            // Difference: James 3.8 does not offer SMTPUTF8; the non-ASCII sender is refused before MAIL FROM
            assertTrue(result.getException() instanceof io.catalystmail.camel.smtp.SmtpRejectedException
                       && result.getException().getMessage().contains("SMTPUTF8"), String.valueOf(result.getException()));
            return;
        }
        assertNull(result.getException());
        String messageId = result.getMessage().getHeader(CatalystMailConstants.MESSAGE_ID, String.class);
        if (InteropServers.cyrus()) {
            // Difference: Cyrus 3.6's LMTP has no SMTPUTF8 and refuses the UTF-8 envelope sender ("501 5.5.4 Syntax
            // error in parameters" to MAIL FROM), so Postfix, which accepted the message, bounces it
            assertCyrusRefusedTheSender(messageId);
            return;
        }
        // the subject may be sent as encoded words, which hide the token: find the message by its Message-ID
        String message = arrived("alice", messageId);
        Matcher received = postfixReceived(message);
        assertEquals("UTF8SMTPS", received.group(1), "Postfix received it in an SMTPUTF8 transaction over TLS");
        String queueId = received.group(2);
        // Postfix keeps the envelope sender intact; Dovecot 2.3's LMTP has no SMTPUTF8 and stores the message with
        // Return-Path <>, so the envelope is checked in Postfix's log
        Eventually.await(() -> !InteropServers.postfixLog(queueId + ": from=<" + sender + ">").isEmpty(),
                () -> "Postfix logged the sender of " + queueId + ": " + InteropServers.postfixLog(queueId));
        assertTrue(message.contains("From: <" + sender + ">"), "UTF-8 address in the header (RFC 6532):\n" + message);
        Mailboxes.Stored stored = Mailboxes.stored("alice", "INBOX").get(0);
        assertEquals(subject, stored.subject());
    }

    private static void assertCyrusRefusedTheSender(String messageId) {
        String[] queueId = new String[1];
        Eventually.await(() -> {
            List<String> queued = InteropServers.postfixLog("message-id=" + messageId);
            queueId[0] = queued.isEmpty() ? null : queued.get(0).replaceFirst(".*\\]: (\\w+): message-id=.*", "$1");
            return queueId[0] != null && InteropServers.postfixLog(queueId[0] + ": to=<").stream()
                    .anyMatch(line -> line.contains("status=bounced") && line.contains("in reply to MAIL FROM"));
        }, () -> "Postfix's delivery of " + messageId + " to Cyrus: "
                 + (queueId[0] == null ? "not queued" : InteropServers.postfixLog(queueId[0])));
    }

    @Test
    void successNotificationRequestedWithDsnComesBackToTheSender() {
        String envelopeId = "envid-" + token;
        Exchange result = template.send(smtp("smtp", InteropServers.SMTP, "startTls=REQUIRED&dsnNotify=SUCCESS&dsnReturn=HDRS"),
                e -> {
                    e.getIn().setBody("please confirm delivery");
                    e.getIn().setHeader(CatalystMailConstants.SUBJECT, token);
                    e.getIn().setHeader(CatalystMailConstants.DSN_ENVELOPE_ID, envelopeId);
                    e.getIn().setHeader(CatalystMailConstants.DSN_ORIGINAL_RECIPIENT, true);
                });
        assertNull(result.getException());
        arrived("alice", token);
        if (InteropServers.james()) {
            // Difference: James (as configured, without its DSN hooks) offers no DSN: delivered, no report asked for
            assertFalse(ehloQuietly(InteropServers.SMTP).dsn());
            return;
        }
        String report = arrived("bob", "Original-Envelope-Id: " + envelopeId);
        assertTrue(report.contains("report-type=delivery-status"), report);
        // Dovecot's LMTP does not offer DSN, so Postfix reports the hand-over as "relayed" (RFC 3464 §2.3.3)
        assertTrue(report.contains("Action: relayed") || report.contains("Action: delivered"), report);
        assertTrue(report.contains("Status: 2."), report);
        assertTrue(report.contains("Original-Recipient: rfc822;" + ALICE), report);
    }

    /**
     * A recipient the server refuses at RCPT (an unknown user of its own domain) in the pipelined envelope: the
     * others get the message and the refusal is reported; with every recipient refused nothing is sent and the
     * exchange fails naming RCPT TO; the connection goes on to send the next exchange (RFC 2920 §3.1).
     */
    @Test
    void recipientsRefusedInThePipelinedEnvelopeAreReportedAndTheConnectionGoesOn() {
        String unknown = address("nobody-" + token.substring(5, 13));
        String uri = smtp("smtp", InteropServers.SMTP, "startTls=REQUIRED");
        Exchange partly = template.send(uri, e -> {
            e.getIn().setBody("to one known and one unknown recipient");
            e.getIn().setHeader(CatalystMailConstants.SUBJECT, token + "-partly");
            e.getIn().setHeader(CatalystMailConstants.TO, ALICE + ", " + unknown);
        });
        assertNull(partly.getException());
        assertEquals(List.of(ALICE), partly.getMessage().getHeader(CatalystMailConstants.ACCEPTED_RECIPIENTS));
        Map<?, ?> rejected = partly.getMessage().getHeader(CatalystMailConstants.REJECTED_RECIPIENTS, Map.class);
        assertEquals(java.util.Set.of(unknown), rejected.keySet());
        assertTrue(String.valueOf(rejected.get(unknown)).startsWith("5"), String.valueOf(rejected));

        Exchange refused = template.send(uri, e -> {
            e.getIn().setBody("to an unknown recipient only");
            e.getIn().setHeader(CatalystMailConstants.SUBJECT, token + "-refused");
            e.getIn().setHeader(CatalystMailConstants.TO, unknown);
        });
        io.catalystmail.camel.smtp.SmtpRejectedException e = assertInstanceOf(
                io.catalystmail.camel.smtp.SmtpRejectedException.class, refused.getException());
        assertEquals("RCPT TO", e.command());
        assertTrue(e.getMessage().contains(unknown), e.getMessage());

        Exchange after = send(uri, "sent on after the refusal");
        assertNull(after.getException());
        assertTrue(arrived("alice", token + "-partly").contains("to one known and one unknown recipient"));
        arrived("alice", "sent on after the refusal");
        assertTrue(Mailboxes.stored("alice", "INBOX").stream()
                .noneMatch(m -> new String(m.bytes(), StandardCharsets.UTF_8).contains(token + "-refused")),
                "the refused message was not delivered");
    }
    @Test
    void attachmentsOfEveryBase64LineRemainderArriveIntact() throws Exception {
        // 57 octets make one 76-character line (RFC 2045 §6.8): sizes around it, and one of many lines
        int[] sizes = { 0, 1, 2, 56, 57, 58, 100_000 };
        Map<String, byte[]> sent = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(2045);
        for (int size : sizes) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            sent.put("part-" + size + ".bin", data);
        }
        Exchange result = template.send(smtp("smtp", InteropServers.SMTP, "startTls=REQUIRED"), e -> {
            e.getIn().setBody("Attachments of " + sizes.length + " sizes.");
            e.getIn().setHeader(CatalystMailConstants.SUBJECT, token);
            sent.forEach((name, data) -> e.getIn(AttachmentMessage.class).addAttachment(name,
                    new DataHandler(new ByteArrayDataSource(data, "application/octet-stream"))));
        });
        assertNull(result.getException());

        // read back from the server's store and decoded by Mime4j's own decoder, not the component's consumer
        byte[] arrived = arrived("alice", token).getBytes(StandardCharsets.UTF_8);
        Message stored = new DefaultMessageBuilder().parseMessage(new ByteArrayInputStream(arrived));
        Map<String, byte[]> received = new LinkedHashMap<>();
        for (Entity part : ((Multipart) stored.getBody()).getBodyParts()) {
            if (part.getFilename() != null) {
                assertEquals("base64", part.getContentTransferEncoding(), part.getFilename());
                try (InputStream in = ((SingleBody) part.getBody()).getInputStream()) {
                    received.put(part.getFilename(), in.readAllBytes());
                }
            }
        }
        assertEquals(sent.keySet(), received.keySet());
        sent.forEach((name, data) -> assertArrayEquals(data, received.get(name), name));
    }
}
