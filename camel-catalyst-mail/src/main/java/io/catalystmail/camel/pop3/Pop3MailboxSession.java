package io.catalystmail.camel.pop3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MailboxLimits;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.net.ConnectionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A POP3 maildrop (RFC 1939) behind the uniform {@link MailboxSession} interface.
 *
 * <ul>
 * <li>Messages are named by UIDL, which the consumer needs to tell new mail from old across polls; a server
 * without UIDL is refused. Message numbers only hold for one session.</li>
 * <li>Filters are evaluated on the client, on headers from {@code TOP n 0} and the size from LIST
 * ({@link Pop3Listing}). POP3 has no flags, so flag keys are refused. Body keys (BODY, TEXT, searchBody) are
 * refused too: evaluating them would mean holding or retrieving every message twice before the route sees it,
 * against the streaming design.</li>
 * <li>With PIPELINING (RFC 2449 §6.6) TOP, RETR and DELE go out in batches of one write each and the replies are
 * read in order, and a fetch sends the next round's RETRs ahead ({@link Pop3Retrieval}); without it, one command
 * at a time.</li>
 * <li>RETR streams the message from the socket to the handler; whatever it leaves unread is skipped.</li>
 * <li>DELE only marks a message; the server removes it at QUIT (RFC 1939 §6). If QUIT fails or the
 * connection is lost first, nothing is removed: {@link #goodbye()} fails then, naming the server's answer.</li>
 * </ul>
 * Every path out of {@link #open()} and {@link #close()} closes the socket, so the maildrop lock is released.
 */
public final class Pop3MailboxSession implements MailboxSession {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3MailboxSession.class);
    /** DELEs go out in message-number order (the order the server listed and the route was handed them). */
    private static final Comparator<MessageRef> BY_NUMBER = Comparator.comparingInt(MessageRef::number);

    private final ConnectionSettings settings;
    private final Credentials credentials;
    private final MailboxLimits limits;
    private volatile Pop3Connection connection;
    private Pop3Conversation conversation;
    private Pop3Listing listing;
    private Pop3Retrieval retrieval;
    /** Set by {@link #abort()}, from any thread: the connection is gone, whatever the conversation thinks. */
    private volatile boolean aborted;
    private boolean quitSucceeded;
    private boolean closed;
    /** Set by {@link #close()} when messages were marked for deletion and QUIT did not succeed. */
    private Pop3QuitFailedException quitFailure;

    public Pop3MailboxSession(ConnectionSettings settings, Credentials credentials) {
        this(settings, credentials, MailboxLimits.DEFAULT);
    }

    public Pop3MailboxSession(ConnectionSettings settings, Credentials credentials, MailboxLimits limits) {
        this.settings = settings;
        this.credentials = credentials;
        this.limits = limits;
    }

    /**
     * Refuses filters POP3 cannot evaluate (flags, body text), naming the reason; the consumer can call this at
     * start-up, {@link #list} calls it on every poll.
     */
    public static void checkFilter(SearchFilter filter) {
        if (filter.usesFlags()) {
            throw new IllegalArgumentException("POP3 has no flags, so the filter cannot use SEEN, UNSEEN, ANSWERED,"
                    + " FLAGGED, DELETED, DRAFT, RECENT, NEW, OLD or KEYWORD (the consumer's UIDL store tells new"
                    + " mail from old): " + filter.describe());
        }
        if (filter.needsBody()) {
            throw new IllegalArgumentException("POP3 cannot search message bodies (BODY, TEXT, searchBody) without"
                    + " retrieving every message in full; filter on the body in the route instead: "
                    + filter.describe());
        }
    }

    @Override
    public void open() throws IOException {
        if (connection != null) {
            throw new IllegalStateException("this POP3 session was opened already");
        }
        Pop3Connection c = new Pop3Connection(settings);
        connection = c;
        c.startDeadline("the login", "loginTimeout", settings.loginTimeout());
        try {
            c.connect();
            Pop3Capabilities capabilities = new Pop3Greeting(c, settings).logIn(credentials);
            conversation = new Pop3Conversation(settings, c, capabilities);
            listing = new Pop3Listing(conversation, limits);
            retrieval = new Pop3Retrieval(conversation, limits.maxMessageSize());
        } catch (IOException e) {
            aborted = true;
            c.close();
            throw c.deadlineFailure(e);
        } catch (RuntimeException e) {
            aborted = true;
            c.close();
            throw e;
        } finally {
            c.endDeadline();
        }
    }

    private boolean usable() {
        return conversation != null && !aborted && !conversation.broken();
    }

    private Pop3Conversation open(String what) throws IOException {
        if (!usable()) {
            throw new IOException("the POP3 session with " + settings.describe() + " is not open (" + what + ")");
        }
        return conversation;
    }

    /** Work on the open connection, such as one listing of the operations producer ({@link Pop3Maildrop}). */
    @FunctionalInterface
    interface ConnectionWork {
        void run(Pop3Connection connection) throws IOException;
    }

    /**
     * Runs {@code work} on the open connection, in step, under the fetchTimeout deadline, as the consumer's own
     * commands run ({@link Pop3Conversation#guarded}): a failure other than a refusal leaves the session broken.
     */
    void guarded(String command, ConnectionWork work) throws IOException {
        Pop3Conversation c = open(command);
        retrieval.settle();
        c.guarded(command, () -> work.run(c.connection()));
    }

    @Override
    public boolean isAlive() {
        if (!usable()) {
            return false;
        }
        try {
            retrieval.settle();
            connection.send("NOOP");
            return connection.readReply().ok();
        } catch (IOException | RuntimeException e) {
            conversation.breakOff();
            return false;
        }
    }

    @Override
    public List<MessageRef> list(SearchFilter filter, boolean onlyUnseen, MessageOrder order, int limit)
            throws IOException {
        checkFilter(filter);
        open("UIDL and LIST");
        retrieval.settle();
        return listing.list(filter, order, limit, retrieval.deleted(), credentials.username());
    }

    /**
     * True when the last {@link #list} returned every message in the maildrop (maxListedMessages, a filter or a limit
     * cut nothing): a message it does not hold is not on the server.
     */
    @Override
    public boolean listedWholeMailbox() {
        return listing != null && listing.whole();
    }

    @Override
    public Map<MessageRef, Exception> fetch(List<MessageRef> refs, MessageHandler handler) throws IOException {
        return fetch(refs, List.of(), handler);
    }

    /** Also sends the RETRs of {@code upcoming} ahead when the server pipelines (see {@link Pop3Retrieval}). */
    @Override
    public Map<MessageRef, Exception> fetch(List<MessageRef> refs, List<MessageRef> upcoming, MessageHandler handler)
            throws IOException {
        open("RETR");
        return retrieval.fetch(refs, upcoming, handler);
    }

    /** TOP n 0 for each of {@code refs}, pipelined where the server pipelines (see {@link Pop3Listing}). */
    @Override
    public Map<String, String> messageIds(List<MessageRef> refs) throws IOException {
        if (refs.isEmpty()) {
            return Map.of();
        }
        open("TOP");
        retrieval.settle();
        return listing.messageIds(refs);
    }

    @Override
    public void apply(Map<MessageRef, AfterProcessing> actions) throws IOException {
        // markSeen needs nothing here: over POP3 the consumer records the UIDL
        List<MessageRef> toDelete = new ArrayList<>(actions.size());
        for (Map.Entry<MessageRef, AfterProcessing> e : actions.entrySet()) {
            if (e.getValue().needsFolders()) {
                // thrown before any DELE is sent
                throw new IOException("POP3 has no folders: cannot move or copy message " + e.getKey().number()
                        + " (UIDL " + e.getKey().id() + ")");
            }
            if (e.getValue().delete()) {
                toDelete.add(e.getKey());
            }
        }
        if (!toDelete.isEmpty()) {
            toDelete.sort(BY_NUMBER);
            open("DELE");
            retrieval.delete(toDelete);
        }
    }

    /**
     * Reads the replies still owed (RETRs sent ahead, DELEs sent behind them) and throws a refusal among those
     * DELEs. The deletions themselves take effect only at QUIT, in {@link #goodbye()} (RFC 1939 §6).
     */
    @Override
    public void commit() throws IOException {
        if (usable()) {
            retrieval.commit();
        }
    }

    /** True: DELE only marks a message; the server removes it when QUIT is answered with +OK (RFC 1939 §6). */
    @Override
    public boolean actionsFinalAtGoodbye() {
        return true;
    }

    /** True once the server answered QUIT with +OK: only then are the messages deleted in this session gone. */
    public boolean quitSucceeded() {
        return quitSucceeded;
    }

    /** How many messages the server accepted DELE for in this session (removed only if QUIT succeeds). */
    public int deletedInSession() {
        return retrieval == null ? 0 : retrieval.deleted().cardinality();
    }

    @Override
    public void abort() {
        aborted = true;
        Pop3Connection c = connection;
        if (c != null) {
            c.close();
        }
    }

    /**
     * Ends the session as {@link #close()} does, and fails when DELE marked messages in it and QUIT was not answered
     * with +OK (refused, or the connection failed first): those messages may still be on the server (RFC 1939 §6).
     * The failure names the server, QUIT and the answer; close() only logs it.
     */
    @Override
    public void goodbye() throws Pop3QuitFailedException {
        if (end() && quitFailure != null) {
            throw quitFailure;
        }
    }

    /**
     * QUIT, once every reply still owed was read: the server then removes exactly the messages DELE marked, which
     * are only messages whose exchange succeeded. A connection out of step, or one that fails while those replies
     * are read, is dropped without QUIT, so nothing is removed. Once the session has ended, this does nothing.
     */
    @Override
    public void close() {
        if (end() && quitFailure != null) {
            LOG.warn(quitFailure.getMessage());
        }
    }

    /** The goodbye of {@link #close()}; false when the session had ended already (or never opened). */
    private boolean end() {
        Pop3Connection c = connection;
        if (c == null || closed) {
            return false;
        }
        closed = true;
        String failure = null; // what stood in for the +OK to QUIT, if anything did
        Throwable cause = null;
        boolean quitSent = false;
        try {
            if (usable()) {
                retrieval.settle();
            }
            if (usable()) {
                c.startDeadline("QUIT", "readTimeout", settings.readTimeout());
                quitSent = true;
                c.send("QUIT");
                Pop3Reply reply = c.readReply();
                quitSucceeded = reply.ok();
                failure = quitSucceeded ? null : "answered QUIT with " + reply;
            } else {
                failure = "was not sent QUIT: the session had failed before";
            }
        } catch (IOException | RuntimeException e) {
            cause = e instanceof IOException io ? c.deadlineFailure(io) : e;
            failure = (quitSent ? "did not answer QUIT (" : "was not sent QUIT (") + cause.getMessage() + ")";
        } finally {
            aborted = true;
            c.endDeadline();
            c.close();
        }
        int marked = deletedInSession();
        if (failure != null && marked > 0) {
            quitFailure = new Pop3QuitFailedException("POP3 server " + c.describe() + " " + failure + "; the " + marked
                    + " message(s) DELE marked in this session may still be on the server (RFC 1939 §6: they are"
                    + " removed only when QUIT is answered with +OK)", cause);
        } else if (failure != null && (quitSent || cause != null)) {
            LOG.warn("POP3 server {} {}", c.describe(), failure);
        }
        return true;
    }
}
