package io.catalystmail.camel.smtp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mail transaction (RFC 5321 §3.3): MAIL FROM, RCPT TO per recipient, then DATA, content and final dot, or the
 * content in BDAT chunks where the server offers CHUNKING (RFC 3030; see {@link ChunkedTransfer}). Rejections
 * are thrown as {@link SmtpRejectedException} with the protocol still in step, so the session can RSET and go
 * on; any other failure leaves the connection unusable.
 */
final class MailTransaction {

    private static final Logger LOG = LoggerFactory.getLogger(MailTransaction.class);
    /** Commands per pipelined write: 100 RCPT lines and their replies fit easily in socket buffers. */
    static final int PIPELINE_GROUP = 100;

    private final SmtpConnection connection;
    private final SmtpCapabilities caps;
    private final String server;

    MailTransaction(SmtpConnection connection, SmtpCapabilities caps, String server) {
        this.connection = connection;
        this.caps = caps;
        this.server = server;
    }

    /** Refusals decided from the capabilities alone, before a byte is written. */
    void check(Envelope envelope, MessageContent content) throws SmtpRejectedException {
        if (!caps.smtpUtf8() && envelope.hasNonAsciiAddress()) {
            throw new SmtpRejectedException("the envelope has a non-ASCII address, which needs SMTPUTF8 (RFC 6531), "
                    + "but " + server + " does not offer it", "MAIL FROM", null);
        }
        if (!caps.smtpUtf8() && content.needsSmtpUtf8()) {
            throw new SmtpRejectedException("the message has non-ASCII addresses or headers, which need SMTPUTF8 "
                    + "(RFC 6531), but " + server + " does not offer it", "MAIL FROM", null);
        }
        if (caps.maxSize() > 0 && content.size() > caps.maxSize()) {
            throw new MessageTooLargeException(content.size(), caps.maxSize(), server);
        }
        if (content.needs8BitMime() && !caps.eightBitMime()) {
            // Not refused: RFC 6152 asks for a 7-bit conversion here, which only the MIME layer could do. This
            // session passes 8-bit octets through unchanged, so nothing is corrupted on our side, and servers
            // without 8BITMIME today relay 8-bit bodies as they are; the one that cannot answers the final dot with
            // a rejection, which is reported. BODY=8BITMIME is left out since such a server would refuse it.
            LOG.debug("{} does not offer 8BITMIME; sending the 8-bit message without BODY=8BITMIME", server);
        }
    }

    /**
     * @param resetFirst          RSET goes ahead of MAIL FROM in the same pipelined write (RFC 2920 §3.1 lets RSET
     *                            open a group), so a reused connection is reset without a round trip of its own
     * @param contentWithEnvelope with CHUNKING and PIPELINING, a repeatable content's first chunk may leave in the
     *                            envelope's write, before its replies (false for a connection that may have gone stale
     *                            while idle: its failure must show before any message data, so the message can go
     *                            on a new connection without being sent twice)
     */
    SubmissionResult submit(Envelope envelope, MessageContent content, boolean resetFirst,
            boolean contentWithEnvelope) throws IOException {
        boolean smtpUtf8 = caps.smtpUtf8() && (content.needsSmtpUtf8() || envelope.hasNonAsciiAddress());
        String mail = EnvelopeCommands.mailFrom(envelope, content, caps, smtpUtf8);
        List<String> rcpts = new ArrayList<>(envelope.recipients().size());
        for (Recipient r : envelope.recipients()) {
            rcpts.add(EnvelopeCommands.rcptTo(r, caps));
        }
        List<String> accepted = new ArrayList<>();
        Map<String, SmtpReply> rejected = new LinkedHashMap<>();
        // BDAT only with quick ACKs (QuickAcks): against Postfix, whose replies to the envelope and to BDAT LAST
        // leave as two segments, a client that delays its ACK waits for the second; one sending thread measured 22
        // msg/s without them and 122-209 with them (2026-12-02). Where the option does not exist DATA is used
        boolean chunking = caps.chunking() && connection.quickAcks();
        if (chunking && !caps.pipelining()) {
            // a pending RSET was sent on its own already (SmtpSession.resetForNextTransaction)
            envelopeOneByOne(mail, rcpts, envelope, accepted, rejected);
            return finish(submitChunked(List.of(), content, null, false), accepted, rejected);
        }
        if (chunking) {
            List<String> commands = new ArrayList<>(rcpts.size() + 2);
            if (resetFirst) {
                commands.add("RSET");
            }
            commands.add(mail);
            commands.addAll(rcpts);
            ChunkedTransfer.EnvelopeJudge judge = replies -> settle(replies, resetFirst, envelope, accepted, rejected,
                    false);
            return finish(submitChunked(commands, content, judge, contentWithEnvelope), accepted, rejected);
        }
        if (caps.pipelining()) {
            List<String> batch = new ArrayList<>(rcpts.size() + 3);
            if (resetFirst) {
                batch.add("RSET");
            }
            batch.add(mail);
            batch.addAll(rcpts);
            batch.add("DATA");
            if (batch.size() <= PIPELINE_GROUP && content.repeatable()) {
                // one group: while the server works on it the content is staged, and the replies are read before
                // the first octet of it may leave (the gate). Not for a content read once: staging would use it up
                // before a dead reused connection shows, and the producer's retry on a new one needs it whole
                queueGroup(batch);
                DotStuffingOutputStream.Gate replies = () -> settle(readReplies(batch), resetFirst, envelope,
                        accepted, rejected, true);
                return finish(transferContent(content, replies), accepted, rejected);
            }
            settle(pipeline(batch), resetFirst, envelope, accepted, rejected, true);
        } else {
            envelopeOneByOne(mail, rcpts, envelope, accepted, rejected);
            connection.command("DATA");
            SmtpReply dataReply = connection.readReply("DATA");
            if (dataReply.code() != 354) {
                throw refused("DATA", dataReply);
            }
        }
        return finish(transferContent(content, null), accepted, rejected);
    }

    /** MAIL FROM and each RCPT TO, each answered before the next, for a server without PIPELINING. */
    private void envelopeOneByOne(String mail, List<String> rcpts, Envelope envelope, List<String> accepted,
            Map<String, SmtpReply> rejected) throws IOException {
        connection.command(mail);
        SmtpReply mailReply = connection.readReply("MAIL FROM");
        if (!mailReply.isPositive()) {
            throw refused("MAIL FROM", mailReply);
        }
        for (int i = 0; i < rcpts.size(); i++) {
            connection.command(rcpts.get(i));
            classify(envelope.recipients().get(i).address(), connection.readReply("RCPT TO"), accepted, rejected);
        }
        if (accepted.isEmpty()) {
            throw allRejected(rejected);
        }
    }

    /**
     * The envelope and the content in BDAT chunks (RFC 3030), returning the reply to BDAT LAST. With PIPELINING the
     * envelope's replies are read behind the first chunk when the content may leave with the envelope (RFC 3030 §4.2:
     * a server that refused the envelope refuses the chunks and discards their data); else before the first chunk.
     *
     * @param commands the envelope still to send with PIPELINING: RSET when owed, MAIL FROM, RCPT TO...; empty when
     *                 it was sent and answered one command at a time
     */
    private SmtpReply submitChunked(List<String> commands, MessageContent content, ChunkedTransfer.EnvelopeJudge judge,
            boolean contentWithEnvelope) throws IOException {
        boolean oneGroup = !commands.isEmpty() && commands.size() <= PIPELINE_GROUP;
        ChunkedTransfer chunks;
        DotStuffingOutputStream.Gate gate = null;
        if (oneGroup && contentWithEnvelope && content.repeatable()) {
            // queued, not sent: the commands leave in the first chunk's write (SmtpConnection.writeAfterQueued)
            commands.forEach(line -> connection.queue(line, null));
            chunks = new ChunkedTransfer(connection, server, true, commands, judge);
        } else {
            if (oneGroup) {
                // a content read once, or a connection that may be stale: the envelope is answered before any data
                queueGroup(commands);
                gate = () -> judge.judge(readReplies(commands));
            } else if (!commands.isEmpty()) {
                judge.judge(pipeline(commands));
            }
            chunks = new ChunkedTransfer(connection, server, caps.pipelining(), List.of(), null);
        }
        DotStuffingOutputStream data = connection.chunkStream(gate, chunks);
        try {
            content.writeTo(data);
            data.finish();
        } catch (IOException | RuntimeException e) {
            if (data.gateFailure() != null) {
                throw data.gateFailure();
            }
            if (chunks.refusal() != null) {
                // refused with every reply read: in step, nothing accepted
                throw chunks.refusal();
            }
            if (chunks.lastWritten() && e instanceof IOException io) {
                throw uncertain("writing BDAT LAST failed", io);
            }
            // BDAT LAST must never follow partial content: dropping the connection makes the server discard the
            // chunks it has (RFC 5321 §3.8)
            throw new SmtpException(data.transportFailure() != null
                    ? "the connection to " + server + " failed while sending message data: " + e.getMessage()
                    : "the message content failed while it was being sent (" + e + "); the connection is dropped "
                            + "so the server discards the partial message", "BDAT", null, e);
        }
        LOG.debug("C: <{} octets of message data in BDAT chunks>", data.contentBytes());
        return chunks.awaitLast();
    }

    private SubmissionResult finish(SmtpReply finalReply, List<String> accepted, Map<String, SmtpReply> rejected)
            throws SmtpRejectedException {
        if (!finalReply.isPositive()) {
            throw refused("end of data", finalReply);
        }
        return new SubmissionResult(accepted, rejected, finalReply);
    }

    /**
     * Judges the replies to a pipelined RSET, MAIL, RCPT... and DATA (RFC 2920 §3.1: every reply is checked; no
     * message data unless a recipient was accepted and DATA got 354) and returns only when the message may follow.
     *
     * @param withData the last reply is DATA's; false for an envelope followed by BDAT chunks
     */
    private void settle(List<SmtpReply> replies, boolean resetFirst, Envelope envelope, List<String> accepted,
            Map<String, SmtpReply> rejected, boolean withData) throws IOException {
        int first = 0;
        if (resetFirst) {
            SmtpReply resetReply = replies.get(0);
            if (!resetReply.isPositive()) {
                throw new SmtpException(server + " refused RSET: " + resetReply, "RSET", resetReply);
            }
            first = 1;
        }
        SmtpReply mailReply = replies.get(first);
        int recipients = envelope.recipients().size();
        for (int i = 0; i < recipients; i++) {
            classify(envelope.recipients().get(i).address(), replies.get(first + i + 1), accepted, rejected);
        }
        if (!withData) {
            if (!mailReply.isPositive() || accepted.isEmpty()) {
                throw !mailReply.isPositive() ? refused("MAIL FROM", mailReply) : allRejected(rejected);
            }
            return;
        }
        SmtpReply dataReply = replies.get(replies.size() - 1);
        if (!mailReply.isPositive() || accepted.isEmpty()) {
            if (dataReply.code() == 354) {
                // the server waits for data despite the failures: an empty message ends DATA so the reply
                // stream stays in step; with no valid recipient it cannot be delivered
                connection.command(".");
                connection.readReply("end of data");
            }
            throw !mailReply.isPositive() ? refused("MAIL FROM", mailReply) : allRejected(rejected);
        }
        if (dataReply.code() != 354) {
            throw refused("DATA", dataReply);
        }
    }

    private void queueGroup(List<String> group) throws IOException {
        group.forEach(line -> connection.queue(line, null));
        connection.flush();
    }

    private List<SmtpReply> readReplies(List<String> group) throws IOException {
        List<SmtpReply> replies = new ArrayList<>(group.size());
        for (String line : group) {
            replies.add(connection.readReply(commandName(line)));
        }
        return replies;
    }

    /**
     * RFC 2920 §3.1: the commands go out in groups, each in one write, and a group's replies are read before the
     * next is sent. One group is the usual case; groups keep a long recipient list from deadlocking, with both
     * sides blocked writing while neither reads.
     */
    private List<SmtpReply> pipeline(List<String> commands) throws IOException {
        List<SmtpReply> replies = new ArrayList<>(commands.size());
        for (int start = 0; start < commands.size(); start += PIPELINE_GROUP) {
            List<String> group = commands.subList(start, Math.min(commands.size(), start + PIPELINE_GROUP));
            queueGroup(group);
            replies.addAll(readReplies(group));
        }
        return replies;
    }

    /**
     * The command of one of this class's own lines (RSET, MAIL FROM:..., RCPT TO:..., DATA) as errors name it, told by
     * its first two characters: it runs for every reply, inside the per-message code the JIT compiler compiles.
     */
    static String commandName(String line) {
        char first = line.charAt(0);
        if (first == 'M') {
            return "MAIL FROM";
        }
        return first == 'R' && line.charAt(1) == 'C' ? "RCPT TO" : line;
    }

    private static void classify(String address, SmtpReply reply, List<String> accepted,
            Map<String, SmtpReply> rejected) {
        if (reply.isPositive()) {
            accepted.add(address);
        } else {
            rejected.put(address, reply);
        }
    }

    /**
     * Streams the content and returns the reply to the final dot.
     *
     * @param envelopeReplies reads and judges the pipelined envelope's replies before any content goes out; null
     *                        when they were judged already
     */
    private SmtpReply transferContent(MessageContent content, DotStuffingOutputStream.Gate envelopeReplies)
            throws IOException {
        DotStuffingOutputStream data = connection.dataStream(envelopeReplies);
        try {
            content.writeTo(data);
        } catch (IOException | RuntimeException e) {
            if (data.gateFailure() != null) {
                // the envelope was refused (or its replies lost) while the content was staged: none of it was sent
                throw data.gateFailure();
            }
            // The final dot must never follow partial content. The only way out of DATA without it is to drop the
            // connection, and a server discards a transaction the connection was lost in (RFC 5321 §3.8).
            throw new SmtpException(data.transportFailure() != null
                    ? "the connection to " + server + " failed while sending message data: " + e.getMessage()
                    : "the message content failed while it was being sent (" + e + "); the connection is dropped "
                            + "so the server discards the partial message", "DATA", null, e);
        }
        // a content that fit the buffer has not needed the envelope's replies yet
        data.openGate();
        if (connection.replyWaiting()) {
            // a reply to content not yet complete: whatever it says, it is not the answer to this message, and the
            // final dot must not follow; dropping the connection makes the server discard the transaction
            throw new SmtpException(server + " sent a reply before the end of the message data; that breaks"
                    + " RFC 5321 §4.1.1.4 and is no acceptance: the message was not sent, the connection is dropped",
                    "DATA", null);
        }
        try {
            data.finish();
        } catch (IOException e) {
            throw uncertain("writing the end of message data failed", e);
        }
        LOG.debug("C: <{} octets of message data> .", data.contentBytes());
        try {
            return connection.readReply("end of data");
        } catch (IOException e) {
            throw uncertain("no reply after the end of message data", e);
        }
    }

    private SmtpUncertainDeliveryException uncertain(String what, IOException cause) {
        return new SmtpUncertainDeliveryException(what + " (" + cause.getMessage() + "); " + server
                + " may have accepted the message", "DATA", cause);
    }

    private SmtpRejectedException refused(String command, SmtpReply reply) {
        return new SmtpRejectedException(server + " refused " + command + ": " + reply, command, reply);
    }

    private SmtpRejectedException allRejected(Map<String, SmtpReply> rejected) {
        StringBuilder sb = new StringBuilder(server).append(" refused every recipient; message not sent:");
        boolean allTransient = true;
        for (Map.Entry<String, SmtpReply> e : rejected.entrySet()) {
            sb.append(' ').append(e.getKey()).append(" (").append(e.getValue()).append(')');
            allTransient &= e.getValue().isTransientFailure();
        }
        SmtpReply first = rejected.values().iterator().next();
        return new SmtpRejectedException(sb.toString(), "RCPT TO", first, allTransient, rejected);
    }
}
