package io.catalystmail.camel.smtp;

import static io.catalystmail.camel.smtp.SmtpSessionTransactionTest.EHLO_FULL;
import static io.catalystmail.camel.smtp.SmtpSessionTransactionTest.greeted;
import static io.catalystmail.camel.smtp.SmtpSessionTransactionTest.open;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.catalystmail.camel.testsupport.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;

/**
 * With PIPELINING the message content is prepared while the server answers MAIL, RCPT and DATA, and none of it
 * leaves before those replies are read and judged (RFC 2920 §3.1). The scripted peer holds its replies back until
 * the content has started to be written, so a client that prepares nothing before the replies stalls it.
 */
class PipelinedContentStagingTest {

    @Test
    void theContentIsPreparedWhileTheServerAnswersTheEnvelopeAndSentAfterThe354() throws Exception {
        CountDownLatch staged = new CountDownLatch(1);
        byte[] message = "Subject: staged\r\n\r\nprepared while the server answered\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_FULL)
                .expectBatch(List.of("MAIL FROM", "RCPT TO", "DATA"))
                .await(staged, "the content to be written before the envelope's replies")
                .send("250 2.1.0 ok\n250 2.1.5 ok\n354 go ahead")
                .expectData("250 2.0.0 queued")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                SubmissionResult result = session.send(Envelope.of("a@example.com", "b@example.com"),
                        new SmtpSessionTransactionTest.GiantContent(message, 1, staged::countDown));
                assertEquals(250, result.finalReply().code());
            }
            server.verify();
            assertArrayEquals(message, server.messages().get(0));
        }
    }

    /**
     * A content (80 KB) larger than the 64 KB data buffer: the buffer fills before the replies are known, and the refused
     * recipient is found while the content is still being written. Not one octet of it is sent; the server, which
     * answered DATA with 354 regardless, gets only the final dot, and the session goes on after RSET.
     */
    @Test
    void aRecipientRefusedWhileALargeContentIsPreparedSendsNoneOfIt() throws Exception {
        CountDownLatch staged = new CountDownLatch(1);
        byte[] chunk = new byte[16 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (int i = 77; i < chunk.length; i += 78) {
            chunk[i - 1] = '\r';
            chunk[i] = '\n';
        }
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_FULL)
                .expectBatch(List.of("MAIL FROM", "RCPT TO", "DATA"))
                .await(staged, "the content to be written before the envelope's replies")
                .send("250 2.1.0 ok\n550 5.1.1 <b@example.com>: no such user\n354 go ahead")
                .expectData("554 5.5.1 no valid recipients")
                .expect("RSET", "250 ok")
                .expect("NOOP", "250 ok")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                SmtpRejectedException e = assertThrows(SmtpRejectedException.class,
                        () -> session.send(Envelope.of("a@example.com", "b@example.com"),
                                new SmtpSessionTransactionTest.GiantContent(chunk, 5, staged::countDown)));
                assertEquals("RCPT TO", e.command());
                assertFalse(e.isTransient());
                assertTrue(e.getMessage().contains("b@example.com (550 5.1.1 <b@example.com>: no such user)"),
                        e.getMessage());
                assertTrue(session.isAlive(), "the session stays in step and usable");
            }
            server.verify();
            assertEquals(0, server.messages().get(0).length, "nothing but the final dot after DATA");
            assertFalse(server.receivedText().contains("xxxx"), "no octet of the content was sent");
        }
    }
}
