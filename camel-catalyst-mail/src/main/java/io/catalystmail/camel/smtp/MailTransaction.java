package io.catalystmail.camel.smtp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mail transaction (RFC 5321 §3.3): MAIL FROM, RCPT TO per recipient, DATA, content, final dot. Rejections
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
     * @param resetFirst RSET goes ahead of MAIL FROM in the same pipelined write (RFC 2920 §3.1 lets RSET
     *                   open a group), so a reused connection is reset without a round trip of its own
     */
    SubmissionResult submit(Envelope envelope, MessageContent content, boolean resetFirst) throws IOException {
        boolean smtpUtf8 = caps.smtpUtf8() && (content.needsSmtpUtf8() || envelope.hasNonAsciiAddress());
        String mail = EnvelopeCommands.mailFrom(envelope, content, caps, smtpUtf8);
        List<String> rcpts = new ArrayList<>(envelope.recipients().size());
        for (Recipient r : envelope.recipients()) {
            rcpts.add(EnvelopeCommands.rcptTo(r, caps));
        }
        List<String> accepted = new ArrayList<>();
        Map<String, SmtpReply> rejected = new LinkedHashMap<>();
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
                        accepted, rejected);
                return finish(transferContent(content, replies), accepted, rejected);
            }
            settle(pipeline(batch), resetFirst, envelope, accepted, rejected);
        } else {
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
            connection.command("DATA");
            SmtpReply dataReply = connection.readReply("DATA");
            if (dataReply.code() != 354) {
                throw refused("DATA", dataReply);
            }
        }
        return finish(transferContent(content, null), accepted, rejected);
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
     */
    private void settle(List<SmtpReply> replies, boolean resetFirst, Envelope envelope, List<String> accepted,
            Map<String, SmtpReply> rejected) throws IOException {
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
    private static String commandName(String line) {
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
