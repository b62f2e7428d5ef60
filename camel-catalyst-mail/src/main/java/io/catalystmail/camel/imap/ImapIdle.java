package io.catalystmail.camel.imap;

import java.io.IOException;
import java.time.Duration;

import io.catalystmail.camel.net.OperationDeadline;

/**
 * One IDLE command (RFC 2177) on a connection with a folder selected: the server announces changes to the folder
 * as they happen, and the client ends the command with {@code DONE}.
 * <p>
 * The thread that calls {@link #start()} and {@link #await} reads; any thread may call {@link #wakeUp()}, which
 * writes {@code DONE} (only once the server's continuation arrived, as §3 asks) and never reads. Every phase is
 * bounded: the continuation and the tagged answer to {@code DONE} must come within the read timeout (a deadline
 * closes the socket otherwise, so a connection that died silently behind a NAT is noticed at the next renewal at
 * the latest), and the IDLE itself is ended and issued again after {@code renewAfter}, which §3 asks to keep under
 * 29 minutes. Untagged lines read meanwhile are bounded one by one by the reader's {@link ImapLimits} and none
 * is kept.
 */
public final class ImapIdle {

    /** Why {@link #await} returned. */
    public enum Outcome {
        /** The server announced new mail or changed flags (EXISTS, RECENT, FETCH): poll now. */
        CHANGED,
        /** {@link #wakeUp()} was called or {@code renewAfter} passed; nothing was announced. */
        WOKEN
    }

    private final ImapConnection connection;
    private final String server;
    private final Duration answerTimeout;
    private String tag;
    /** Guarded by this: the continuation arrived; DONE was written; DONE is wanted. */
    private boolean idling;
    private boolean doneSent;
    private boolean wanted;
    /** The server announced a change before its continuation: the IDLE ends at once and reports it. */
    private boolean announcedBeforeContinuation;
    private volatile OperationDeadline answerDeadline;

    ImapIdle(ImapConnection connection) {
        this.connection = connection;
        this.server = "IMAP server " + connection.settings().describe();
        this.answerTimeout = connection.settings().readTimeout();
    }

    /** True when the server lists IDLE among its capabilities. */
    public static boolean offeredBy(Capabilities capabilities) {
        return capabilities.has("IDLE");
    }

    /**
     * Sends IDLE and reads up to the server's continuation, within the read timeout. An announcement read before
     * the continuation (RFC 3501 §7: untagged data may come at any time; a server flushes what changed since the
     * last command, mail delivered between the poll's SEARCH and this IDLE) counts as one read while idling: it
     * is not announced again, so dropping it would leave that mail until the next renewal.
     *
     * @throws ImapCommandException when the server refuses IDLE (NO or BAD): it is not to be tried again
     */
    public void start() throws IOException {
        OperationDeadline deadline = OperationDeadline.start(server, "IDLE", "readTimeout", answerTimeout,
                () -> connection.drop(null));
        answerDeadline = deadline;
        try {
            tag = connection.send(new ImapCommand("IDLE"));
            while (true) {
                ImapResponse r = connection.readNext();
                if (r.kind() == ImapResponse.Kind.CONTINUATION) {
                    break;
                }
                if (r.kind() == ImapResponse.Kind.TAGGED) {
                    if (!r.tag().equals(tag)) {
                        throw new ImapProtocolException(server + " sent a tagged response for unknown tag "
                                + ImapValues.describe(r.tag()) + " during IDLE");
                    }
                    throw ImapCommandException.answered(connection, "IDLE", r);
                }
                if (announcesChange(r)) {
                    announcedBeforeContinuation = true;
                }
            }
        } catch (IOException e) {
            throw cutBy(deadline, e);
        } finally {
            deadline.close();
            answerDeadline = null;
        }
        synchronized (this) {
            idling = true;
            wanted |= announcedBeforeContinuation;
            if (wanted) {
                sendDone();
            }
        }
    }

    /**
     * Waits for the server to announce a change, for {@link #wakeUp()} or for {@code renewAfter}, then ends the
     * IDLE and reads to its tagged answer. Announcements that end nothing (EXPUNGE, "OK still here") are read and
     * dropped. The connection is in step again when this returns.
     */
    public Outcome await(Duration renewAfter) throws IOException {
        // the read timeout is a backstop behind the renewal: normally DONE comes first
        connection.readTimeout(renewAfter.plus(answerTimeout));
        OperationDeadline renewal = OperationDeadline.start(server, "IDLE", "idleRenewInterval", renewAfter,
                this::wakeUp);
        Outcome outcome = announcedBeforeContinuation ? Outcome.CHANGED : Outcome.WOKEN;
        try {
            while (true) {
                ImapResponse r = connection.readNext();
                switch (r.kind()) {
                    case UNTAGGED -> {
                        if (announcesChange(r)) {
                            outcome = Outcome.CHANGED;
                            wakeUp();
                        }
                    }
                    case CONTINUATION -> throw new ImapProtocolException(server + " sent an unexpected continuation request"
                            + " during IDLE");
                    case TAGGED -> {
                        if (!r.tag().equals(tag)) {
                            throw new ImapProtocolException(server + " sent a tagged response for unknown tag "
                                    + ImapValues.describe(r.tag()) + " during IDLE");
                        }
                        if (!r.isOk()) {
                            // the server ended IDLE itself (RFC 2177 allows a BAD or NO, e.g. on a timeout of its own)
                            throw ImapCommandException.answered(connection, "IDLE", r);
                        }
                        return outcome;
                    }
                }
            }
        } catch (IOException e) {
            throw cutBy(answerDeadline, e);
        } finally {
            renewal.close();
            OperationDeadline d = answerDeadline;
            if (d != null) {
                d.close();
            }
            if (connection.isUsable()) {
                connection.readTimeout(answerTimeout);
            }
        }
    }

    private static boolean announcesChange(ImapResponse r) {
        return r.isUntagged("EXISTS") || r.isUntagged("RECENT") || r.isUntagged("FETCH");
    }

    /** Ends the IDLE as soon as the server allows (DONE); from any thread, any number of times. */
    public void wakeUp() {
        synchronized (this) {
            wanted = true;
            if (idling) {
                sendDone();
            }
        }
    }

    /** Called holding the lock: writes DONE once and gives the server the read timeout to answer it. */
    private void sendDone() {
        if (doneSent) {
            return;
        }
        doneSent = true;
        answerDeadline = OperationDeadline.start(server, "IDLE (DONE)", "readTimeout", answerTimeout,
                () -> connection.drop(null));
        try {
            connection.writeContinuation("DONE");
        } catch (IOException e) {
            // the reading thread fails on the closed socket and reports this failure as the lost connection's
            connection.drop(e);
        }
    }

    private static IOException cutBy(OperationDeadline deadline, IOException e) {
        return deadline != null && deadline.expired() ? deadline.timeout(e) : e;
    }
}
