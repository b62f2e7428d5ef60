package io.catalystmail.camel.pop3;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.FetchedMessage;
import io.catalystmail.camel.mailbox.MailboxLimits;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageTooLargeException;
import io.catalystmail.camel.mailbox.SizeLimitedInputStream;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.SentDate;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A POP3 maildrop (RFC 1939) behind the uniform {@link MailboxSession} interface.
 *
 * <ul>
 * <li>Messages are named by UIDL, which the consumer needs to tell new mail from old across polls; a server
 * without UIDL is refused. Message numbers only hold for one session.</li>
 * <li>Filters are evaluated on the client, on headers from {@code TOP n 0} and the size from LIST. POP3 has no
 * flags, so flag keys are refused. Body keys (BODY, TEXT, searchBody) are refused too: evaluating them would
 * mean holding or retrieving every message twice before the route sees it, against the streaming design.
 * BEFORE/ON/SINCE compare the Date header, as POP3 has no arrival date; date orders read the Date header with
 * TOP too (a message without one sorts first, then by message number).</li>
 * <li>With PIPELINING (RFC 2449 §6.6) TOP, RETR and DELE go out in batches of one write each and the replies
 * are read in order; without it, one command at a time.</li>
 * <li>RETR streams the message from the socket to the handler; whatever it leaves unread is skipped.</li>
 * <li>DELE only marks a message; the server removes it at QUIT (RFC 1939 §6). If QUIT fails or the
 * connection is lost first, nothing is removed: {@link #quitSucceeded()} tells callers which happened.</li>
 * </ul>
 * Every path out of {@link #open()} and {@link #close()} closes the socket, so the maildrop lock is released.
 */
public final class Pop3MailboxSession implements MailboxSession {

    /** Separates the fields of a UIDL or LIST line (compiled once: a maildrop may list thousands). */
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    private static final Logger LOG = LoggerFactory.getLogger(Pop3MailboxSession.class);
    /**
     * Commands per pipelined write. Pipelining deadlocks only when the client blocks writing commands while the
     * server blocks writing replies nobody reads; 256 commands of at most 20 octets stay far below any socket
     * buffer, so the write always completes, and a fetch round (fetchSize, 50 by default) goes out in one write.
     */
    private static final int PIPELINE_WINDOW = 256;
    /** RFC 2449 defines a dozen capabilities; a CAPA answer longer than this is not a real server's. */
    private static final int MAX_CAPA_LINES = 1000;

    private final ConnectionSettings settings;
    private final Credentials credentials;
    private final MailboxLimits limits;
    private volatile Pop3Connection connection;
    private Pop3Capabilities capabilities = Pop3Capabilities.NONE;
    private final Set<Integer> deleted = new TreeSet<>();
    private boolean broken;
    private boolean quitSucceeded;
    /** The command an exchange is at, named in its errors. */
    private String current = "";

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
        connection = new Pop3Connection(settings);
        connection.startDeadline("the login", "loginTimeout", settings.loginTimeout());
        try {
            connection.connect();
            Pop3Reply greeting = connection.readReply();
            if (!greeting.ok()) {
                throw new IOException("POP3 server " + connection.describe() + " refused the connection: " + greeting);
            }
            capabilities = capabilities();
            if (!settings.implicitTls()) {
                startTlsAsConfigured();
            }
            new Pop3Login(connection, settings, credentials).login(capabilities, apopTimestamp(greeting.text()));
            // RFC 2449 §5: capabilities may change after login (PIPELINING is often announced only then)
            capabilities = capabilities();
            LOG.debug("logged in to {} as {}; capabilities {}", connection.describe(), credentials.username(),
                    capabilities);
        } catch (IOException e) {
            broken = true;
            connection.close();
            throw connection.deadlineFailure(e);
        } catch (RuntimeException e) {
            broken = true;
            connection.close();
            throw e;
        } finally {
            connection.endDeadline();
        }
    }

    private void startTlsAsConfigured() throws IOException {
        if (settings.startTls() == StartTlsMode.DISABLED) {
            return;
        }
        if (!capabilities.stls()) {
            if (settings.startTls() == StartTlsMode.REQUIRED) {
                throw new IOException("startTls=REQUIRED, but POP3 server " + connection.describe()
                        + " does not offer STLS; nothing was sent");
            }
            return;
        }
        connection.send("STLS");
        Pop3Reply reply = connection.readReply();
        if (!reply.ok()) {
            throw new IOException("POP3 server " + connection.describe() + " refused STLS: " + reply);
        }
        connection.startTls();
        capabilities = capabilities();
    }

    private Pop3Capabilities capabilities() throws IOException {
        connection.send("CAPA");
        Pop3Reply reply = connection.readReply();
        return reply.ok() ? Pop3Capabilities.parse(connection.readLines("CAPA", MAX_CAPA_LINES))
                : Pop3Capabilities.NONE;
    }

    /** RFC 1939 §7: the timestamp is the msg-id-like {@code <...>} in the greeting. */
    static String apopTimestamp(String greeting) {
        int start = greeting.indexOf('<');
        int end = start < 0 ? -1 : greeting.indexOf('>', start);
        return end > start + 1 && greeting.substring(start, end).indexOf('@') > 0 ? greeting.substring(start, end + 1)
                : null;
    }

    /** The open connection, for the maildrop listing of the operations producer ({@link Pop3Maildrop}). */
    Pop3Connection connection() throws IOException {
        if (connection == null || broken) {
            throw new IOException("the POP3 session is not open");
        }
        return connection;
    }

    @Override
    public boolean isAlive() {
        if (connection == null || broken) {
            return false;
        }
        try {
            connection.send("NOOP");
            return connection.readReply().ok();
        } catch (IOException | RuntimeException e) {
            broken = true;
            return false;
        }
    }

    @Override
    public List<MessageRef> list(SearchFilter filter, boolean onlyUnseen, MessageOrder order, int limit)
            throws IOException {
        checkFilter(filter);
        Map<Integer, String> uidls = new TreeMap<>();
        Map<Integer, Long> sizes = new HashMap<>();
        int max = limits.maxListedMessages();
        long[] skipped = new long[1];
        guarded("UIDL and LIST", () -> pipelined(List.of("UIDL", "LIST"), (index, reply) -> {
            if (!reply.ok()) {
                throw index == 0
                        ? new Pop3RefusedException("POP3 server " + connection.describe() + " does not support UIDL ("
                                + reply + "); the consumer needs UIDL to tell new messages from ones already taken")
                        : new Pop3RefusedException("POP3 server " + connection.describe() + " refused LIST: " + reply);
            }
            // at most maxListedMessages lines are kept (the rest is read and dropped): a listing of millions of
            // lines must not become millions of objects; LIST sizes are kept only for the UIDLs kept
            connection.readLines(line -> {
                String[] parts = WHITESPACE.split(line, 3);
                long number = parts.length < 2 ? -1 : parseNumberOrInvalid(parts[0]);
                if (number < 1 || number > Integer.MAX_VALUE || parts[1].isEmpty()) {
                    // RFC 1939 §7: "msg-number SP unique-id"; one bad line is the server's fault, not the others'
                    LOG.warn("POP3 server {} sent an invalid {} line, skipped: {}", connection.describe(),
                            index == 0 ? "UIDL" : "LIST", abbreviate(line));
                    return;
                }
                if (index == 0) {
                    if (uidls.size() < max) {
                        uidls.put((int) number, parts[1]);
                    } else {
                        skipped[0]++;
                    }
                } else if (uidls.containsKey((int) number)) {
                    long size = parseNumberOrInvalid(parts[1]);
                    if (size >= 0) {
                        sizes.put((int) number, size);
                    }
                }
            });
        }));
        if (skipped[0] > 0) {
            LOG.warn("POP3 server {} listed {} more messages than maxListedMessages={}; the first {} are taken in"
                    + " this poll, the rest in later ones", connection.describe(), skipped[0], max, max);
        }
        List<MessageRef> refs = new ArrayList<>();
        for (Map.Entry<Integer, String> e : uidls.entrySet()) {
            if (!deleted.contains(e.getKey())) {
                refs.add(new MessageRef(e.getValue(), e.getKey(), sizes.getOrDefault(e.getKey(), -1L), null,
                        PopUrl.of(credentials.username(), settings.host(), settings.port(), e.getValue())));
            }
        }
        boolean byDate = order == MessageOrder.DATE_ASCENDING || order == MessageOrder.DATE_DESCENDING;
        if (!filter.isAll() || byDate) {
            refs = matching(refs, filter, byDate);
        }
        if (byDate) {
            refs.sort(order == MessageOrder.DATE_DESCENDING ? SentDate.ORDER.reversed() : SentDate.ORDER);
        } else if (order == MessageOrder.UID_DESCENDING) {
            Collections.reverse(refs);
        }
        return limit > 0 && refs.size() > limit ? new ArrayList<>(refs.subList(0, limit)) : refs;
    }

    /** The refs whose headers (TOP n 0) match; with {@code withDates} each carries its sent date (the Date header). */
    private List<MessageRef> matching(List<MessageRef> refs, SearchFilter filter, boolean withDates)
            throws IOException {
        Instant now = Instant.now();
        List<MessageRef> matching = new ArrayList<>();
        guarded("TOP (for the search filter)", () -> pipelined(refs.stream().map(r -> "TOP " + r.number() + " 0").toList(), (index, reply) -> {
            MessageRef ref = refs.get(index);
            if (!reply.ok()) {
                throw new Pop3RefusedException("POP3 server " + connection.describe() + " refused TOP for message "
                        + ref.number() + " (" + reply + "); filters on headers need TOP over POP3");
            }
            DotTerminatedInputStream body = connection.body();
            HeaderFacts facts = HeaderFacts.read(new BufferedInputStream(body), ref.size());
            body.drain();
            if (filter.matches(facts, now)) {
                List<String> date = facts.headerValues("Date");
                matching.add(!withDates ? ref : new MessageRef(ref.id(), ref.number(), ref.size(),
                        SentDate.of(date.isEmpty() ? null : date.get(0), null), ref.identity()));
            }
        }));
        return matching;
    }

    @Override
    public Map<MessageRef, Exception> fetch(List<MessageRef> refs, MessageHandler handler) throws IOException {
        Map<MessageRef, Exception> failures = new LinkedHashMap<>();
        long max = limits.maxMessageSize();
        List<MessageRef> wanted = new ArrayList<>(refs.size());
        for (MessageRef ref : refs) {
            if (ref.size() > max) {
                // LIST announced it too large: not retrieved at all
                failures.put(ref, new MessageTooLargeException("POP3 server " + settings.describe(),
                        "UIDL " + ref.id(), ref.size(), max, true));
            } else {
                wanted.add(ref);
            }
        }
        if (wanted.isEmpty()) {
            return failures;
        }
        guarded("RETR", () -> pipelined(wanted.stream().map(r -> "RETR " + r.number()).toList(), (index, reply) -> {
            MessageRef ref = wanted.get(index);
            if (!reply.ok()) {
                failures.put(ref, new Pop3RefusedException("POP3 server " + connection.describe()
                        + " refused RETR for message " + ref.number() + " (UIDL " + ref.id() + "): " + reply));
                return;
            }
            current = "RETR " + ref.number() + " (UIDL " + ref.id() + ")";
            connection.startDeadline(current, "fetchTimeout", settings.operationTimeout());
            DotTerminatedInputStream body = connection.messageBody();
            SizeLimitedInputStream content = new SizeLimitedInputStream(body, "POP3 server " + settings.describe(),
                    "UIDL " + ref.id(), max);
            try {
                handler.onMessage(new FetchedMessage(ref, Set.of(), null, -1, content));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.debug("handler failed for message {} (UIDL {}) from {}: {}", ref.number(), ref.id(),
                        connection.describe(), e.toString());
                failures.put(ref, content.exceeded() ? new MessageTooLargeException("POP3 server "
                        + settings.describe(), "UIDL " + ref.id(), content.count(), max, false) : e);
            }
            if (content.exceeded()) {
                // the LIST size was false and the rest may never end: drop the connection instead of reading it;
                // what this round fetched before is still handed over, the rest waits for the next poll
                broken = true;
                connection.close();
                return;
            }
            body.drain();
        }));
        return failures;
    }

    @Override
    public void apply(Map<MessageRef, AfterProcessing> actions) throws IOException {
        for (Map.Entry<MessageRef, AfterProcessing> e : actions.entrySet()) {
            if (e.getValue().needsFolders()) {
                throw new IOException("POP3 has no folders: cannot move or copy message " + e.getKey().number()
                        + " (UIDL " + e.getKey().id() + ")");
            }
        }
        // markSeen needs nothing here: over POP3 the consumer records the UIDL
        List<MessageRef> toDelete = actions.entrySet().stream().filter(e -> e.getValue().delete())
                .map(Map.Entry::getKey).sorted((a, b) -> Integer.compare(a.number(), b.number())).toList();
        if (toDelete.isEmpty()) {
            return;
        }
        List<String> refused = new ArrayList<>();
        guarded("DELE", () -> pipelined(toDelete.stream().map(r -> "DELE " + r.number()).toList(), (index, reply) -> {
            MessageRef ref = toDelete.get(index);
            if (reply.ok()) {
                deleted.add(ref.number());
            } else {
                refused.add("message " + ref.number() + " (UIDL " + ref.id() + "): " + reply);
            }
        }));
        if (!refused.isEmpty()) {
            throw new Pop3RefusedException("POP3 server " + connection.describe() + " refused to delete "
                    + String.join("; ", refused));
        }
    }

    /** True once the server answered QUIT with +OK: only then are the messages deleted in this session gone. */
    public boolean quitSucceeded() {
        return quitSucceeded;
    }

    /** How many messages the server accepted DELE for in this session (removed only if QUIT succeeds). */
    public int deletedInSession() {
        return deleted.size();
    }

    @Override
    public void abort() {
        broken = true;
        Pop3Connection c = connection;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void close() {
        if (connection == null) {
            return;
        }
        try {
            if (!broken) {
                connection.startDeadline("QUIT", "readTimeout", settings.readTimeout());
                connection.send("QUIT");
                Pop3Reply reply = connection.readReply();
                quitSucceeded = reply.ok();
                if (!quitSucceeded) {
                    LOG.warn("POP3 server {} answered QUIT with {}", connection.describe(), reply);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("QUIT to POP3 server {} failed: {}", connection.describe(), e.toString());
        } finally {
            broken = true;
            connection.endDeadline();
            connection.close();
        }
        if (!quitSucceeded && !deleted.isEmpty()) {
            LOG.warn("the session with {} ended without a successful QUIT: the {} message(s) marked for deletion stay"
                    + " on the server (RFC 1939 §6)", connection.describe(), deleted.size());
        }
    }

    private static long parseNumberOrInvalid(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String abbreviate(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }

    @FunctionalInterface
    private interface ReplyReader {
        /** Handles the reply to the command at {@code index}, reading its multi-line body if it has one. */
        void read(int index, Pop3Reply reply) throws IOException;
    }

    @FunctionalInterface
    private interface Exchange {
        void run() throws IOException;
    }

    /**
     * Sends {@code commands} and reads their replies in order: all of a window in one write when the server
     * pipelines, else one at a time. A refusal does not stop the reading, so the connection stays in step; the
     * first one is thrown once the window is read.
     */
    private void pipelined(List<String> commands, ReplyReader reader) throws IOException {
        int window = capabilities.pipelining() ? PIPELINE_WINDOW : 1;
        Pop3RefusedException refusal = null;
        for (int start = 0; start < commands.size() && refusal == null && !broken; start += window) {
            int end = Math.min(commands.size(), start + window);
            connection.send(commands.subList(start, end));
            // a reader that dropped the connection (a message over maxMessageSize) ends the exchange
            for (int i = start; i < end && !broken; i++) {
                try {
                    reader.read(i, connection.readReply());
                } catch (Pop3RefusedException e) {
                    refusal = refusal == null ? e : refusal;
                }
            }
        }
        if (refusal != null) {
            throw refusal;
        }
    }

    /** Marks the session broken when an exchange fails other than by a refusal, so close() sends no QUIT into a
     * connection that is out of step. */
    private void guarded(String command, Exchange exchange) throws IOException {
        if (connection == null || broken) {
            throw new IOException("the POP3 session with " + settings.describe() + " is not open");
        }
        connection.startDeadline(command, "fetchTimeout", settings.operationTimeout());
        current = command;
        try {
            exchange.run();
        } catch (Pop3RefusedException e) {
            throw e;
        } catch (IOException e) {
            broken = true;
            IOException named = connection.deadlineFailure(e);
            if (named == e && (e.getMessage() == null || !e.getMessage().contains(current))) {
                // name the command the failure interrupted; the server is named by the connection's messages
                String text = (e.getMessage() == null ? e.toString() : e.getMessage()) + " (during " + current + ")";
                if (!text.contains(settings.describe())) {
                    text = "POP3 server " + settings.describe() + ": " + text;
                }
                named = e instanceof java.net.SocketTimeoutException ? new java.net.SocketTimeoutException(text)
                        : e instanceof java.io.EOFException ? new java.io.EOFException(text) : new IOException(text);
                named.initCause(e);
            }
            throw named;
        } catch (RuntimeException e) {
            broken = true;
            throw e;
        } finally {
            connection.endDeadline();
        }
    }
}
