package io.catalystmail.camel.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;

/** Transactions against a scripted peer: the exact commands, parameters, replies and failure handling. */
class SmtpSessionTransactionTest {

    static final String HELO_NAME = "client.example";
    static final String EHLO_FULL = "250-test.example hello\n250-PIPELINING\n250-SIZE 100000\n250-8BITMIME\n"
            + "250-SMTPUTF8\n250-DSN\n250 ENHANCEDSTATUSCODES";
    static final String CONTENT = "Subject: hi\r\n\r\nhello\r\n";

    static ConnectionSettings settings(ScriptedSmtpServer server) {
        return ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofSeconds(5));
    }

    static SmtpSession open(ScriptedSmtpServer server) throws IOException {
        return SmtpSession.open(settings(server), Credentials.NONE, HELO_NAME);
    }

    static ScriptedSmtpServer.Script greeted(String ehloReply) {
        return ScriptedSmtpServer.script().greet("220 test.example ESMTP").expect("EHLO " + HELO_NAME, ehloReply);
    }

    @Test
    void pipeliningSendsMailRcptAndDataInOneBatch() throws Exception {
        int size = CONTENT.length();
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_FULL)
                .expectBatch(List.of("MAIL FROM", "RCPT TO", "RCPT TO", "DATA"),
                        "250 2.1.0 ok", "250 2.1.5 ok", "250 2.1.5 ok", "354 go ahead")
                .expectData("250-2.0.0 accepted\n250 2.0.0 queued as 17")
                .expect("QUIT", "221 2.0.0 bye"))) {
            SubmissionResult result;
            try (SmtpSession session = open(server)) {
                assertTrue(session.capabilities().pipelining());
                assertEquals(100000, session.capabilities().maxSize());
                result = session.send(Envelope.of("a@example.com", "b@example.com", "c@example.com"),
                        BytesContent.of(CONTENT));
            }
            server.verify();
            assertEquals(List.of("EHLO " + HELO_NAME, "MAIL FROM:<a@example.com> SIZE=" + size,
                    "RCPT TO:<b@example.com>", "RCPT TO:<c@example.com>", "DATA", "QUIT"), server.commands());
            assertEquals(List.of("b@example.com", "c@example.com"), result.acceptedRecipients());
            assertTrue(result.rejectedRecipients().isEmpty());
            assertEquals(250, result.finalReply().code());
            assertEquals("2.0.0", result.finalReply().enhancedCode());
            assertEquals("accepted\nqueued as 17", result.finalReply().text());
            assertArrayEquals(CONTENT.getBytes(StandardCharsets.US_ASCII), server.messages().get(0));
        }
    }

    @Test
    void longRecipientListsArePipelinedInGroups() throws Exception {
        int count = 250;
        String[] recipients = new String[count];
        for (int i = 0; i < count; i++) {
            recipients[i] = "r" + i + "@example.com";
        }
        // MAIL + 250 RCPT + DATA = 252 commands: groups of 100, 100 and 52, each answered before the next is sent
        ScriptedSmtpServer.Script script = greeted(EHLO_FULL);
        int[] groups = {100, 100, 52};
        int sent = 0;
        for (int size : groups) {
            List<String> prefixes = new java.util.ArrayList<>();
            List<String> replies = new java.util.ArrayList<>();
            for (int i = 0; i < size; i++, sent++) {
                String prefix = sent == 0 ? "MAIL" : sent == count + 1 ? "DATA" : "RCPT TO:<r" + (sent - 1) + "@";
                prefixes.add(prefix);
                replies.add(prefix.equals("DATA") ? "354 go" : sent == 7 ? "550 5.1.1 unknown" : "250 ok");
            }
            script.expectBatch(prefixes, replies.toArray(String[]::new));
        }
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(script.expectData("250 queued")
                .expect("QUIT", "221 bye"))) {
            SubmissionResult result;
            try (SmtpSession session = open(server)) {
                result = session.send(Envelope.of("a@example.com", recipients), BytesContent.of(CONTENT));
            }
            server.verify();
            assertEquals(count - 1, result.acceptedRecipients().size());
            assertEquals(List.of("r6@example.com"), List.copyOf(result.rejectedRecipients().keySet()));
        }
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 8BITMIME")
                .expect("MAIL FROM:<a@example.com>", "250 ok")
                .expect("RCPT TO:<b@example.com>", "250 ok")
                .expect("DATA", "354 go")
                .expectData("250 queued")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                session.send(Envelope.of("a@example.com", "b@example.com"), BytesContent.of(CONTENT));
            }
            server.verify();
            assertEquals("MAIL FROM:<a@example.com>", server.commands().get(1));
        }
    }

    @Test
    void dsnParametersAreSentWhenOffered() throws Exception {
        Envelope envelope = new Envelope("a@example.com", List.of(
                new Recipient("b@example.com", "success, failure", "b+tag@example.com"),
                new Recipient("c@example.com", "NEVER", null)), "hdrs", "id+1=x");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_FULL)
                .expectBatch(List.of("MAIL", "RCPT", "RCPT", "DATA"), "250 ok", "250 ok", "250 ok", "354 go")
                .expectData("250 queued")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                session.send(envelope, BytesContent.of(CONTENT));
            }
            server.verify();
            assertEquals(List.of("MAIL FROM:<a@example.com> SIZE=" + CONTENT.length() + " RET=HDRS ENVID=id+2B1+3Dx",
                    "RCPT TO:<b@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2Btag@example.com",
                    "RCPT TO:<c@example.com> NOTIFY=NEVER"), server.commands().subList(1, 4));
        }
    }

    @Test
    void dsnParametersAreDroppedWhenNotOffered() throws Exception {
        Envelope envelope = new Envelope("a@example.com",
                List.of(new Recipient("b@example.com", "SUCCESS", "b@example.com")), "FULL", "id1");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 PIPELINING")
                .expectBatch(List.of("MAIL", "RCPT", "DATA"), "250 ok", "250 ok", "354 go")
                .expectData("250 queued")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                session.send(envelope, BytesContent.of(CONTENT));
            }
            server.verify();
            assertEquals(List.of("MAIL FROM:<a@example.com>", "RCPT TO:<b@example.com>"),
                    server.commands().subList(1, 3));
        }
    }

    @Test
    void messageOverTheSizeLimitIsRefusedBeforeMailFrom() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 SIZE 100")
                .expect("MAIL FROM:<a@example.com> SIZE=5", "250 ok")
                .expect("RCPT TO", "250 ok")
                .expect("DATA", "354 go")
                .expectData("250 queued")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> session.send(
                        Envelope.of("a@example.com", "b@example.com"), BytesContent.of("x".repeat(101))));
                assertEquals(101, e.size());
                assertEquals(100, e.limit());
                assertFalse(e.isTransient());
                // nothing was sent, so the same session goes on
                session.send(Envelope.of("a@example.com", "b@example.com"), BytesContent.of("small"));
            }
            server.verify();
            assertEquals("MAIL FROM:<a@example.com> SIZE=5", server.commands().get(1));
        }
    }

    @Test
    void eightBitBodyAndInternationalAddressesUseBodyAndSmtpUtf8() throws Exception {
        String content = "From: jörg@exämple.de\r\nSubject: grüße\r\n\r\nÄÖÜ \u00ff\r\n";
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_FULL)
                .expectBatch(List.of("MAIL", "RCPT", "DATA"), "250 ok", "250 ok", "354 go")
                .expectData("250 queued")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                session.send(Envelope.of("jörg@exämple.de", "ü@example.com"), new BytesContent(bytes, true, true));
            }
            server.verify();
            assertEquals("MAIL FROM:<jörg@exämple.de> SIZE=" + bytes.length + " BODY=8BITMIME SMTPUTF8",
                    server.commands().get(1));
            assertEquals("RCPT TO:<ü@example.com>", server.commands().get(2));
            assertArrayEquals(bytes, server.messages().get(0));
        }
    }

    @Test
    void internationalAddressOrHeadersWithoutSmtpUtf8AreRefusedBeforeMailFrom() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 8BITMIME")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                SmtpRejectedException address = assertThrows(SmtpRejectedException.class,
                        () -> session.send(Envelope.of("a@example.com", "ü@example.com"), BytesContent.of(CONTENT)));
                assertTrue(address.getMessage().contains("SMTPUTF8"), address.getMessage());
                assertFalse(address.isTransient());
                SmtpRejectedException headers = assertThrows(SmtpRejectedException.class, () -> session.send(
                        Envelope.of("a@example.com", "b@example.com"), new BytesContent(new byte[1], false, true)));
                assertTrue(headers.getMessage().contains("SMTPUTF8"), headers.getMessage());
            }
            server.verify();
            assertEquals(List.of("EHLO " + HELO_NAME, "QUIT"), server.commands());
        }
    }

    @Test
    void eightBitBodyGoesOutUnchangedWithoutBodyParameterWhenEightBitMimeIsMissing() throws Exception {
        byte[] bytes = "Subject: x\r\n\r\n\u00e9t\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1);
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250 test.example")
                .expect("MAIL FROM:<a@example.com>", "250 ok")
                .expect("RCPT TO", "250 ok")
                .expect("DATA", "354 go")
                .expectData("250 queued")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                session.send(Envelope.of("a@example.com", "b@example.com"), new BytesContent(bytes, true, false));
            }
            server.verify();
            assertEquals("MAIL FROM:<a@example.com>", server.commands().get(1));
            assertArrayEquals(bytes, server.messages().get(0));
        }
    }

    @Test
    void oneConnectionCarriesThreeMessagesWithRsetBetween() throws Exception {
        ScriptedSmtpServer.Script script = greeted(EHLO_FULL);
        for (int i = 0; i < 3; i++) {
            script.expectBatch(List.of("MAIL", "RCPT", "DATA"), "250 ok", "250 ok", "354 go")
                    .expectData("250 queued as " + i);
            if (i < 2) {
                script.expect("RSET", "250 2.0.0 ok");
            }
        }
        script.expect("NOOP", "250 2.0.0 ok").expect("QUIT", "221 bye");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(script)) {
            try (SmtpSession session = open(server)) {
                for (int i = 0; i < 3; i++) {
                    if (i > 0) {
                        session.reset();
                    }
                    SubmissionResult r = session.send(Envelope.of("a@example.com", "b@example.com"),
                            BytesContent.of("Subject: " + i + "\r\n\r\nbody " + i + "\r\n"));
                    assertEquals("queued as " + i, r.finalReply().text());
                }
                assertTrue(session.isAlive());
            }
            server.verify();
            assertEquals(3, server.messages().size());
            assertEquals("Subject: 2\r\n\r\nbody 2\r\n",
                    new String(server.messages().get(2), StandardCharsets.US_ASCII));
            assertEquals(2, server.commands().stream().filter(c -> c.equals("RSET")).count());
        }
    }

    @Test
    void partiallyRejectedRecipientsAreReported() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_FULL)
                .expectBatch(List.of("MAIL", "RCPT", "RCPT", "DATA"),
                        "250 2.1.0 ok", "550 5.1.1 <nobody@example.com>: user unknown", "250 2.1.5 ok", "354 go")
                .expectData("250 2.0.0 queued")
                .expect("QUIT", "221 bye"))) {
            SubmissionResult result;
            try (SmtpSession session = open(server)) {
                result = session.send(Envelope.of("a@example.com", "nobody@example.com", "b@example.com"),
                        BytesContent.of(CONTENT));
            }
            server.verify();
            assertEquals(List.of("b@example.com"), result.acceptedRecipients());
            SmtpReply refusal = result.rejectedRecipients().get("nobody@example.com");
            assertEquals(550, refusal.code());
            assertEquals("5.1.1", refusal.enhancedCode());
            assertEquals("550 5.1.1 <nobody@example.com>: user unknown", refusal.toString());
            assertEquals(1, server.messages().size());
        }
    }

    @Test
    void allRecipientsRejectedThrowsAndResets() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_FULL)
                .expectBatch(List.of("MAIL", "RCPT", "RCPT", "DATA"), "250 ok", "550 5.1.1 unknown b",
                        "553 5.1.3 bad c", "554 5.5.1 no valid recipients")
                .expect("RSET", "250 ok")
                .expect("NOOP", "250 ok")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                SmtpRejectedException e = assertThrows(SmtpRejectedException.class,
                        () -> session.send(Envelope.of("a@example.com", "b@example.com", "c@example.com"),
                                BytesContent.of(CONTENT)));
                assertFalse(e.isTransient());
                assertEquals("RCPT TO", e.command());
                assertEquals(Map.of("b@example.com", new SmtpReply(550, "5.1.1", "unknown b"),
                        "c@example.com", new SmtpReply(553, "5.1.3", "bad c")), e.rejectedRecipients());
                assertTrue(e.getMessage().contains("b@example.com (550 5.1.1 unknown b)"), e.getMessage());
                assertTrue(e.getMessage().contains("c@example.com (553 5.1.3 bad c)"), e.getMessage());
                assertTrue(session.isAlive());
            }
            server.verify();
            assertTrue(server.messages().isEmpty());
        }
    }

    @Test
    void allRecipientsTemporarilyRejectedWhileServerStillAcceptsData() throws Exception {
        // a server that answers DATA with 354 despite no valid recipient gets an empty message to stay in step
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_FULL)
                .expectBatch(List.of("MAIL", "RCPT", "DATA"), "250 ok", "450 4.2.1 mailbox busy", "354 go")
                .expectData("554 5.5.1 no valid recipients")
                .expect("RSET", "250 ok")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                SmtpRejectedException e = assertThrows(SmtpRejectedException.class,
                        () -> session.send(Envelope.of("a@example.com", "b@example.com"), BytesContent.of(CONTENT)));
                assertTrue(e.isTransient());
            }
            server.verify();
            assertEquals(0, server.messages().get(0).length);
        }
    }

    @Test
    void refusedSenderAndRefusedContentAreRejections() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250 test.example")
                .expect("MAIL", "553 5.7.1 sender not allowed")
                .expect("RSET", "250 ok")
                .expect("MAIL", "250 ok")
                .expect("RCPT", "250 ok")
                .expect("DATA", "354 go")
                .expectData("451 4.3.0 try later")
                .expect("RSET", "250 ok")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                Envelope envelope = Envelope.of("a@example.com", "b@example.com");
                SmtpRejectedException sender = assertThrows(SmtpRejectedException.class,
                        () -> session.send(envelope, BytesContent.of(CONTENT)));
                assertEquals("MAIL FROM", sender.command());
                assertEquals("5.7.1", sender.reply().enhancedCode());
                assertFalse(sender.isTransient());
                SmtpRejectedException content = assertThrows(SmtpRejectedException.class,
                        () -> session.send(envelope, BytesContent.of(CONTENT)));
                assertEquals("end of data", content.command());
                assertTrue(content.isTransient());
            }
            server.verify();
        }
    }

    @Test
    void connectionCutAfterTheFinalDotMeansUncertainDelivery() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_FULL)
                .expectBatch(List.of("MAIL", "RCPT", "DATA"), "250 ok", "250 ok", "354 go")
                .expectData(null)
                .cut())) {
            try (SmtpSession session = open(server)) {
                SmtpUncertainDeliveryException e = assertThrows(SmtpUncertainDeliveryException.class,
                        () -> session.send(Envelope.of("a@example.com", "b@example.com"), BytesContent.of(CONTENT)));
                assertTrue(e.getMessage().contains("may have accepted"), e.getMessage());
                assertFalse(session.isAlive());
                SmtpException next = assertThrows(SmtpException.class,
                        () -> session.send(Envelope.of("a@example.com", "b@example.com"), BytesContent.of(CONTENT)));
                assertTrue(next.getMessage().contains("broken"), next.getMessage());
            }
            server.verify();
        }
    }

    @Test
    void serverStallingAfterTheFinalDotTimesOutAsUncertain() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_FULL)
                .expectBatch(List.of("MAIL", "RCPT", "DATA"), "250 ok", "250 ok", "354 go")
                .expectData(null)
                .stall())) {
            ConnectionSettings fast = ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofMillis(300));
            try (SmtpSession session = SmtpSession.open(fast, Credentials.NONE, HELO_NAME)) {
                SmtpUncertainDeliveryException e = assertThrows(SmtpUncertainDeliveryException.class,
                        () -> session.send(Envelope.of("a@example.com", "b@example.com"), BytesContent.of(CONTENT)));
                assertNotNull(causeOfType(e, SocketTimeoutException.class), "cause chain: " + e);
                assertFalse(session.isAlive());
            }
            server.verify();
        }
    }

    @Test
    void serverThatStopsReadingMessageDataTimesOutTheWrite() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250-test.example\n250 PIPELINING")
                .expectBatch(List.of("MAIL", "RCPT", "DATA"), "250 ok", "250 ok", "354 go")
                .freeze())) {
            ConnectionSettings fast = ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofMillis(300));
            // streams up to 1 GB from one 64 KB chunk: far more than the socket buffers hold
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            try (SmtpSession session = SmtpSession.open(fast, Credentials.NONE, HELO_NAME)) {
                SmtpException e = assertThrows(SmtpException.class, () -> session.send(
                        Envelope.of("a@example.com", "b@example.com"), new GiantContent(chunk, 16 * 1024)));
                assertFalse(e instanceof SmtpUncertainDeliveryException || e instanceof SmtpRejectedException);
                assertNotNull(causeOfType(e, SocketTimeoutException.class), "cause chain: " + e);
                assertFalse(session.isAlive());
            }
            server.verify();
        }
    }

    @Test
    void serverStallingBeforeTheGreetingTimesOut() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(ScriptedSmtpServer.script().stall())) {
            ConnectionSettings fast = ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofMillis(300));
            SmtpException e = assertThrows(SmtpException.class, () -> SmtpSession.open(fast, null, HELO_NAME));
            assertFalse(e instanceof SmtpUncertainDeliveryException);
            assertInstanceOf(SocketTimeoutException.class, e.getCause());
            assertTrue(e.getMessage().contains("no greeting from 127.0.0.1:" + server.port() + " within 300 ms"),
                    e.getMessage());
            // a plain-text connection told to wait for the greeting may be on an implicit-TLS port: the fix is named
            assertTrue(e.getMessage().contains("use imaps, pop3s or smtps"), e.getMessage());
            assertEquals("greeting", e.command());
            server.verify();
        }
    }

    @Test
    void capturedDataIsDotStuffedWithCrlfOnlyWhateverTheContent() throws Exception {
        String[] smuggling = {"\n.\n", "\r.\r", "\r\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r"};
        StringBuilder body = new StringBuilder(".leading dot\r\n.\r\nSubject: x\n\n");
        for (String v : smuggling) {
            body.append("text").append(v).append("MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.com>\r\n");
        }
        body.append("..two dots\rlast line without newline");
        byte[] content = body.toString().getBytes(StandardCharsets.US_ASCII);
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted(EHLO_FULL)
                .expectBatch(List.of("MAIL", "RCPT", "DATA"), "250 ok", "250 ok", "354 go")
                .expectData("250 queued")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                session.send(Envelope.of("a@example.com", "b@example.com"), new BytesContent(content, false, false));
            }
            server.verify();
            // the scripted server ends data only at CRLF.CRLF: had any variant ended it early, "MAIL FROM:<evil"
            // would have been read as a command and the script would have failed
            byte[] wire = server.messages().get(0);
            DotStuffingOutputStreamTest.assertCrlfOnly(wire);
            assertEquals(-1, DotStuffingOutputStreamTest.indexOfTerminator(wire));
            String text = new String(wire, StandardCharsets.US_ASCII);
            assertTrue(text.startsWith("..leading dot\r\n..\r\nSubject: x\r\n\r\n"), text);
            assertTrue(text.contains("text\r\n..\r\nMAIL FROM:<evil"), text);
            assertTrue(text.endsWith("...two dots\r\nlast line without newline\r\n"), text);
        }
    }

    @Test
    void failingContentDropsTheConnectionWithoutEndingTheData() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(greeted("250 test.example")
                .expect("MAIL", "250 ok")
                .expect("RCPT", "250 ok")
                .expect("DATA", "354 go")
                .stall())) {
            MessageContent failing = new MessageContent() {
                @Override
                public long size() {
                    return -1;
                }

                @Override
                public boolean needs8BitMime() {
                    return false;
                }

                @Override
                public boolean needsSmtpUtf8() {
                    return false;
                }

                @Override
                public void writeTo(OutputStream out) throws IOException {
                    out.write("Subject: partial\r\n\r\nfirst half\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    throw new IOException("attachment source vanished");
                }
            };
            try (SmtpSession session = open(server)) {
                SmtpException e = assertThrows(SmtpException.class,
                        () -> session.send(Envelope.of("a@example.com", "b@example.com"), failing));
                assertFalse(e instanceof SmtpRejectedException || e instanceof SmtpUncertainDeliveryException);
                assertTrue(e.getMessage().contains("attachment source vanished"), e.getMessage());
                assertFalse(session.isAlive());
            }
            server.verify();
            String received = server.receivedText();
            assertTrue(received.endsWith("first half\r\n"), received);
        }
    }

    @Test
    void ehloRefusedFallsBackToHelo() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(ScriptedSmtpServer.script()
                .greet("220 old.example SMTP")
                .expect("EHLO " + HELO_NAME, "502 5.5.2 command not recognized")
                .expect("HELO " + HELO_NAME, "250 old.example")
                .expect("MAIL FROM:<a@example.com>", "250 ok")
                .expect("RCPT", "250 ok")
                .expect("DATA", "354 go")
                .expectData("250 queued")
                .expect("QUIT", "221 bye"))) {
            try (SmtpSession session = open(server)) {
                assertEquals(SmtpCapabilities.NONE, session.capabilities());
                session.send(Envelope.of("a@example.com", "b@example.com"), BytesContent.of(CONTENT));
            }
            server.verify();
        }
    }

    @Test
    void garbledReplyIsNamedAndBreaksTheSession() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(ScriptedSmtpServer.script()
                .greet("220 test.example")
                .expect("EHLO", "250-test.example\n251 SIZE")
                .expectClose())) {
            SmtpException e = assertThrows(SmtpException.class, () -> open(server));
            assertTrue(e.getMessage().contains("garbled reply: multi-line reply changes its code"), e.getMessage());
            assertEquals("EHLO", e.command());
            server.verify();
        }
    }

    @Test
    void defaultHeloNameIsADomainOrAnAddressLiteral() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start(ScriptedSmtpServer.script()
                .greet("220 test.example")
                .expect("EHLO ", "250 test.example")
                .expect("QUIT", "221 bye"))) {
            SmtpSession.open(settings(server), Credentials.NONE, null).close();
            server.verify();
            String name = server.commands().get(0).substring(5);
            assertTrue(name.matches("\\[[0-9.]+]|\\[IPv6:[0-9a-fA-F:.]+]|[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+"), name);
        }
    }

    /**
     * The same chunk written {@code times} times, so a huge message needs no huge array; {@code afterEachChunk} runs
     * once a chunk was handed over.
     */
    record GiantContent(byte[] chunk, int times, Runnable afterEachChunk) implements MessageContent {
        GiantContent(byte[] chunk, int times) {
            this(chunk, times, () -> { });
        }

        @Override
        public long size() {
            return (long) chunk.length * times;
        }

        @Override
        public boolean needs8BitMime() {
            return false;
        }

        @Override
        public boolean needsSmtpUtf8() {
            return false;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            for (int i = 0; i < times; i++) {
                out.write(chunk);
                afterEachChunk.run();
            }
        }
    }

    static <T extends Throwable> T causeOfType(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
