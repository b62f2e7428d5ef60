package io.catalystmail.camel.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message data of one transaction as BDAT chunks (RFC 3030 CHUNKING), and the replies that come back for them.
 * With PIPELINING the chunks do not wait for their replies (RFC 3030 §4.2), but at most {@value #UNANSWERED_CHUNKS}
 * go unanswered, so replies never pile up without bound; without it each chunk's reply is read before the next
 * chunk (RFC 3030 §4.1). Envelope commands sent ahead of the chunks without their replies read are answered first,
 * in order (RFC 2920 §3.1), and kept for the transaction to judge.
 *
 * <p>Nothing is reported sent before the reply to BDAT LAST: a failure until BDAT LAST is written leaves the
 * transaction unfinished, and the server discards it with the connection (RFC 5321 §3.8); any failure after it is
 * uncertain, as after DATA's final dot.
 */
final class ChunkedTransfer implements DotStuffingOutputStream.Chunks {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkedTransfer.class);
    /** Chunks of 64 KB sent ahead of their replies; 8 replies are a few hundred octets in the socket's buffer. */
    static final int UNANSWERED_CHUNKS = 8;

    /** Judges the envelope's replies once all are read; throws when the message must not be sent. */
    interface EnvelopeJudge {
        void judge(List<SmtpReply> replies) throws IOException;
    }

    private final SmtpConnection connection;
    private final String server;
    private final int unansweredLimit;
    private final List<String> envelopeCommands;
    private final List<SmtpReply> envelopeReplies;
    private final EnvelopeJudge judge;
    private int chunksUnanswered;
    private long octets;
    /** The first refusal, of the envelope or of a chunk: no further chunk may follow (RFC 3030 §2). */
    private SmtpRejectedException refusal;
    private SmtpReply lastReply;
    private boolean lastWritten;

    /**
     * @param pipelined        PIPELINING was offered, so chunks go out ahead of their replies
     * @param envelopeCommands commands already sent or queued whose replies are still to be read, in order; empty
     *                         when they were read
     * @param judge            judges those replies; null when there are none
     */
    ChunkedTransfer(SmtpConnection connection, String server, boolean pipelined, List<String> envelopeCommands,
            EnvelopeJudge judge) {
        this.connection = connection;
        this.server = server;
        this.unansweredLimit = pipelined ? UNANSWERED_CHUNKS : 0;
        this.envelopeCommands = envelopeCommands;
        this.envelopeReplies = new ArrayList<>(envelopeCommands.size());
        this.judge = judge;
    }

    @Override
    public void send(byte[] buffer, int from, int to, boolean last) throws IOException {
        if (refusal != null) {
            throw refusal;
        }
        int length = to - from;
        byte[] command = (last ? "BDAT " + length + " LAST\r\n" : "BDAT " + length + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int head = from - command.length;
        System.arraycopy(command, 0, buffer, head, command.length);
        if (LOG.isDebugEnabled()) {
            LOG.debug("C: BDAT {}{} <{} octets>", length, last ? " LAST" : "", length);
        }
        if (last) {
            // from here on the server may take the message: whatever fails is uncertain
            lastWritten = true;
        }
        connection.armQuickAck();
        connection.writeAfterQueued(buffer, head, to);
        octets += length;
        chunksUnanswered++;
        if (last) {
            return;
        }
        while (chunksUnanswered > unansweredLimit) {
            readNext();
        }
        if (refusal != null) {
            settleUnanswered();
            throw refusal;
        }
    }

    /** True once BDAT LAST was written (or was being written): the server may have the message. */
    boolean lastWritten() {
        return lastWritten;
    }

    /** Why no more chunks were sent, once the server refused the envelope or a chunk; else null. */
    SmtpRejectedException refusal() {
        return refusal;
    }

    /** Octets sent in chunks, after line-end normalisation. */
    long octets() {
        return octets;
    }

    /**
     * After BDAT LAST: reads every reply still owed and returns the one to BDAT LAST.
     *
     * @throws SmtpRejectedException when the envelope or a chunk was refused (the protocol is in step)
     * @throws SmtpUncertainDeliveryException when the replies could not be read: the server may have the message
     */
    SmtpReply awaitLast() throws IOException {
        try {
            settleUnanswered();
        } catch (SmtpRejectedException e) {
            throw e;
        } catch (IOException e) {
            throw new SmtpUncertainDeliveryException("no reply after BDAT LAST (" + e.getMessage() + "); " + server
                    + " may have accepted the message", "BDAT", e);
        }
        if (refusal != null) {
            throw refusal;
        }
        return lastReply;
    }

    /** Reads every reply still owed, the envelope's included, keeping the first refusal. */
    private void settleUnanswered() throws IOException {
        while (chunksUnanswered > 0) {
            readNext();
        }
    }

    /** Reads the next reply owed: an envelope command's while any is unread, else the oldest unanswered chunk's. */
    private void readNext() throws IOException {
        connection.armQuickAck();
        if (envelopeReplies.size() < envelopeCommands.size()) {
            String command = envelopeCommands.get(envelopeReplies.size());
            envelopeReplies.add(connection.readReply(MailTransaction.commandName(command)));
            if (envelopeReplies.size() == envelopeCommands.size()) {
                judgeEnvelope();
            }
            return;
        }
        boolean last = lastWritten && chunksUnanswered == 1;
        SmtpReply reply = connection.readReply(last ? "BDAT LAST" : "BDAT");
        chunksUnanswered--;
        if (last) {
            lastReply = reply;
        }
        if (!reply.isPositive() && refusal == null) {
            refusal = new SmtpRejectedException(server + " refused " + (last ? "BDAT LAST" : "BDAT") + ": " + reply,
                    "BDAT", reply);
        }
    }

    private void judgeEnvelope() throws IOException {
        try {
            judge.judge(envelopeReplies);
        } catch (SmtpRejectedException e) {
            // the chunks already sent are refused too and their replies still owed: read on, then report this
            if (refusal == null) {
                refusal = e;
            }
        }
    }
}
