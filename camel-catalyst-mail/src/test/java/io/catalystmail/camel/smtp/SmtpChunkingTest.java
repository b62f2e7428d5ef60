package io.catalystmail.camel.smtp;

import static io.catalystmail.camel.smtp.SmtpSessionTransactionTest.greeted;
import static io.catalystmail.camel.smtp.SmtpSessionTransactionTest.open;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;

/**
 * CHUNKING (RFC 3030) against a scripted peer: the exact BDAT commands and chunk sizes, the content pipelined with
 * the envelope, replies bounded, and what a refusal or a lost connection at each point means.
 */
class SmtpChunkingTest {

    static final String EHLO_CHUNKING = "250-test.example hello\n250-PIPELINING\n250-CHUNKING\n250-SIZE 10000000\n"
            + "250 8BITMIME";
    private static final String ENVELOPE_OK = "250 2.1.0 ok\n250 2.1.5 ok";

    @Test
    void aSmallMessageGoesWithItsEnvelopeAsBdatLastWithLineEndsMadeCrlfAndDotsLeftAlone() throws Exception {
        String content = "Subject: dots\n\n.a line starting with a dot\r\n.\r\nbare CR\rend";
        byte[] wire = "Subject: dots\r\n\r\n.a line starting with a dot\r\n.\r\nbare CR\r\nend\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        // the peer reads envelope and chunk before it answers anything: a client waiting for the envelope's
        // replies before its data stalls here
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_CHUNKING)
                .expectBatch(List.of("MAIL FROM", "RCPT TO"))
                .expectBdat()
                .send(ENVELOPE_OK + "\n250 2.0.0 queued as 42")
                .expect("QUIT", "221 bye"))) {
            SubmissionResult result;
            try (SmtpSession session = open(server)) {
                assertTrue(session.capabilities().chunking());
                result = session.send(Envelope.of("a@example.com", "b@example.com"), BytesContent.of(content));
            }
            server.verify();
            assertEquals(List.of("EHLO " + SmtpSessionTransactionTest.HELO_NAME,
                    "MAIL FROM:<a@example.com> SIZE=" + content.length(), "RCPT TO:<b@example.com>",
                    "BDAT " + wire.length + " LAST", "QUIT"), server.commands());
            assertArrayEquals(wire, server.messages().get(0));
            assertEquals("2.0.0", result.finalReply().enhancedCode());
            assertEquals("queued as 42", result.finalReply().text());
            assertEquals(List.of("b@example.com"), result.acceptedRecipients());
        }
    }

    @Test
    void aLargeMessageGoesInBoundedChunksWhoseSizesAddUpToTheMessage() throws Exception {
        byte[] line = lines(1014);
        int times = 150; // 150,000 octets: two full chunks and a last one
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_CHUNKING)
                .expectBatch(List.of("MAIL FROM", "RCPT TO"))
                .expectBdat().expectBdat().expectBdat()
                .send(ENVELOPE_OK + "\n250 2.0.0 65536 octets\n250 2.0.0 65536 octets\n250 2.0.0 queued")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                session.send(Envelope.of("a@example.com", "b@example.com"),
                        new SmtpSessionTransactionTest.GiantContent(line, times));
            }
            server.verify();
            List<String> bdat = server.commands().stream().filter(c -> c.startsWith("BDAT")).toList();
            assertEquals(3, bdat.size(), bdat.toString());
            int total = 0;
            for (int i = 0; i < bdat.size(); i++) {
                String[] words = bdat.get(i).split(" ");
                int size = Integer.parseInt(words[1]);
                assertTrue(size <= DotStuffingOutputStream.BUFFER_SIZE, bdat.toString());
                assertEquals(i == bdat.size() - 1, words.length == 3 && words[2].equals("LAST"), bdat.toString());
                total += size;
            }
            assertEquals(line.length * times, total);
            assertArrayEquals(repeat(line, times), server.messages().get(0));
        }
    }

    @Test
    void everyRecipientRefusedIsReportedFromTheRepliesReadBehindTheChunkAndTheSessionGoesOn() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_CHUNKING)
                .expectBatch(List.of("MAIL FROM", "RCPT TO"))
                .expectBdat()
                .send("250 2.1.0 ok\n550 5.1.1 <b@example.com>: no such user\n554 5.5.1 no valid recipients")
                .expect("RSET", "250 ok")
                .expect("NOOP", "250 ok")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                SmtpRejectedException e = assertThrows(SmtpRejectedException.class, () -> session.send(
                        Envelope.of("a@example.com", "b@example.com"), BytesContent.of("Subject: x\r\n\r\nx\r\n")));
                assertEquals("RCPT TO", e.command());
                assertTrue(e.getMessage().contains("b@example.com (550 5.1.1"), e.getMessage());
                assertTrue(session.isAlive(), "every reply was read: the session is in step");
            }
            server.verify();
        }
    }

    /**
     * Ten chunks: the eight sent ahead of their replies are the bound, so the ninth waits for the first reply, a
     * refusal. No chunk follows it and no BDAT LAST is ever sent; the replies still owed are read so the session
     * stays in step.
     */
    @Test
    void aChunkRefusedMidwayStopsTheChunksAndNoBdatLastFollows() throws Exception {
        byte[] line = lines(1014);
        ScriptedSmtpServer.Script script = greeted(EHLO_CHUNKING)
                .expectBatch(List.of("MAIL FROM", "RCPT TO"))
                .expectBdat()
                .send(ENVELOPE_OK + "\n552 5.3.4 message too big for this mailbox");
        List<String> owed = new ArrayList<>();
        for (int i = 0; i < ChunkedTransfer.UNANSWERED_CHUNKS; i++) {
            script.expectBdat();
            owed.add("503 5.5.1 no transaction");
        }
        script.send(String.join("\n", owed))
                .expect("RSET", "250 ok")
                .expect("QUIT", "221 bye");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(script)) {
            try (SmtpSession session = open(server)) {
                SmtpRejectedException e = assertThrows(SmtpRejectedException.class, () -> session.send(
                        Envelope.of("a@example.com", "b@example.com"),
                        new SmtpSessionTransactionTest.GiantContent(line, 650)));
                assertEquals("BDAT", e.command());
                assertEquals(552, e.reply().code());
                assertFalse(e.isTransient());
            }
            server.verify();
            List<String> bdat = server.commands().stream().filter(c -> c.startsWith("BDAT")).toList();
            assertEquals(ChunkedTransfer.UNANSWERED_CHUNKS + 1, bdat.size(), bdat.toString());
            assertTrue(bdat.stream().noneMatch(c -> c.endsWith("LAST")), bdat.toString());
        }
    }

    @Test
    void withoutPipeliningEachCommandAndChunkWaitsForItsReply() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 CHUNKING")
                .expect("MAIL FROM", "250 ok")
                .expect("RCPT TO", "250 ok")
                .expectBdat().expectBdat()
                .send("250 2.0.0 65536 octets")
                .expectBdat()
                .send("250 2.0.0 queued")
                .expect("QUIT", "221 bye"))) {
            ConnectionSettings quick = ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofMillis(500));
            try (SmtpSession session = SmtpSession.open(quick, Credentials.NONE,
                    SmtpSessionTransactionTest.HELO_NAME)) {
                SmtpException e = assertThrows(SmtpException.class, () -> session.send(
                        Envelope.of("a@example.com", "b@example.com"),
                        new SmtpSessionTransactionTest.GiantContent(lines(1014), 100)));
                // the client waits for the first chunk's reply before the second chunk, which the peer waits for
                assertEquals("BDAT", e.command());
                assertTrue(e.getMessage().contains("no reply to BDAT"), e.getMessage());
            }
            assertEquals(List.of("MAIL FROM", "RCPT TO", "BDAT 65536"),
                    server.commands().subList(1, 4).stream().map(c -> c.startsWith("MAIL") ? "MAIL FROM"
                            : c.startsWith("RCPT") ? "RCPT TO" : c).toList());
        }
    }

    @Test
    void aLostConnectionAfterBdatLastIsUncertainNotRefusedAndNotRetriable() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_CHUNKING)
                .expectBatch(List.of("MAIL FROM", "RCPT TO"))
                .expectBdat()
                .cut())) {
            try (SmtpSession session = open(server)) {
                SmtpUncertainDeliveryException e = assertThrows(SmtpUncertainDeliveryException.class,
                        () -> session.send(Envelope.of("a@example.com", "b@example.com"),
                                BytesContent.of("Subject: x\r\n\r\nx\r\n")));
                assertTrue(e.getMessage().contains("may have accepted"), e.getMessage());
            }
            server.verify();
        }
    }

    /**
     * A content that fails after its first chunk went out: BDAT LAST never follows partial content, the connection
     * is dropped (the server discards the transaction, RFC 5321 §3.8) and the error says the message was not sent.
     */
    @Test
    void aContentFailingAfterAChunkLeftDropsTheConnectionWithoutBdatLast() throws Exception {
        byte[] line = lines(1014);
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_CHUNKING)
                .expectBatch(List.of("MAIL FROM", "RCPT TO"))
                .expectBdat()
                .stall())) {
            try (SmtpSession session = open(server)) {
                SmtpException e = assertThrows(SmtpException.class, () -> session.send(
                        Envelope.of("a@example.com", "b@example.com"), new FailingContent(line, 100)));
                assertFalse(e instanceof SmtpRejectedException || e instanceof SmtpUncertainDeliveryException,
                        e.toString());
                assertEquals("BDAT", e.command());
                assertTrue(e.getMessage().contains("the message content failed"), e.getMessage());
            }
            server.verify();
            assertTrue(server.commands().stream().noneMatch(c -> c.endsWith("LAST")), server.commands().toString());
        }
    }

    /**
     * A content that can be read only once waits for the envelope's replies: a refused recipient leaves every octet
     * of it unsent and unread, and the next command the server sees is RSET.
     */
    @Test
    void aContentReadOnceIsSentOnlyAfterTheEnvelopeWasAccepted() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_CHUNKING)
                .expectBatch(List.of("MAIL FROM", "RCPT TO"), "250 2.1.0 ok", "550 5.1.1 no such user")
                .expect("RSET", "250 ok")
                .expectBatch(List.of("MAIL FROM", "RCPT TO"), ENVELOPE_OK)
                .expectBdat()
                .send("250 2.0.0 queued")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                OnceContent refused = new OnceContent("Subject: once\r\n\r\nsecret body\r\n");
                assertThrows(SmtpRejectedException.class,
                        () -> session.send(Envelope.of("a@example.com", "b@example.com"), refused));
                OnceContent accepted = new OnceContent("Subject: once\r\n\r\nbody\r\n");
                session.send(Envelope.of("a@example.com", "c@example.com"), accepted);
            }
            server.verify();
            assertFalse(server.receivedText().contains("secret body"));
            assertEquals("Subject: once\r\n\r\nbody\r\n",
                    new String(server.messages().get(0), StandardCharsets.US_ASCII));
        }
    }

    /** Lines of 78 octets with CRLF, {@code octets} (a multiple of 78) in all. */
    static byte[] lines(int octets) {
        byte[] line = new byte[octets];
        Arrays.fill(line, (byte) 'x');
        for (int i = 77; i < line.length; i += 78) {
            line[i - 1] = '\r';
            line[i] = '\n';
        }
        return line;
    }

    private static byte[] repeat(byte[] part, int times) {
        byte[] all = new byte[part.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(part, 0, all, i * part.length, part.length);
        }
        return all;
    }

    /** A content that can be written once only, as a route's stream. */
    private static final class OnceContent implements AsciiContent {
        private final byte[] bytes;
        private boolean written;

        OnceContent(String text) {
            this.bytes = text.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public boolean repeatable() {
            return false;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            if (written) {
                throw new IOException("read twice");
            }
            written = true;
            out.write(bytes);
        }
    }

    /** Writes {@code times} blocks, then fails as a source whose disk went away would. */
    private record FailingContent(byte[] block, int times) implements AsciiContent {
        @Override
        public void writeTo(OutputStream out) throws IOException {
            for (int i = 0; i < times; i++) {
                out.write(block);
            }
            throw new IOException("the source failed");
        }
    }
}
