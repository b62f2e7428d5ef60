package io.catalystmail.camel.imap;

import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.ConfirmedSteps;
import io.catalystmail.camel.mailbox.HeaderAnswersTooLarge;
import io.catalystmail.camel.mailbox.MailboxLimits;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.RoutedActions;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.net.ConnectionSettings;

/**
 * {@link MailboxSession} over IMAP: one selected folder, messages named by UID.
 * <ul>
 * <li>{@link #list}: UID SEARCH (RETURN (ALL) with ESEARCH, CHARSET UTF-8 only for non-ASCII strings), then
 * UID FETCH of INTERNALDATE and RFC822.SIZE for the ordering and the refs.</li>
 * <li>{@link #fetch}: UID FETCH ... BODY.PEEK[] (nothing changes on the server), each body streamed from
 * the socket to the handler. Servers answer a UID FETCH in mailbox order, so refs are sent as runs of
 * ascending UIDs, one command per run, pipelined: refs in ascending order (the usual case) take one command;
 * any other order is still delivered exactly as asked. The round announced as upcoming is requested at once,
 * behind this one, and what {@link #apply} sends meanwhile is held until then.</li>
 * <li>{@link #apply}: one command per kind and folder: UID COPY first (copies arrive without the \Seen this
 * poll sets), then \Seen, then UID MOVE (RFC 6851, so a moved message keeps \Seen) or, without MOVE, UID COPY +
 * deletion. Deletions are flagged \Deleted at once (with the next fetch; with {@code $CatalystMailDone} too where
 * the folder keeps it, see {@link BatchedExpunge#DONE_KEYWORD}) and expunged by {@link #commit}, in
 * batches ({@link BatchedExpunge}). {@link #list} never offers a message flagged \Deleted, so a connection lost
 * between flag and expunge cannot bring it back to the route.</li>
 * </ul>
 * A UIDVALIDITY that changed between two {@link #open()}s means earlier UIDs name other messages now:
 * compare {@link #uidValidity()}; the identity of each ref includes it. Not thread-safe.
 */
public final class ImapMailboxSession implements MailboxSession {

    private final ConnectionSettings settings;
    private final Credentials credentials;
    private final String folder;
    private MailboxNames names = MailboxNames.AS_GIVEN;
    private final Clock clock;
    private final MailboxLimits limits;
    private volatile ImapConnection connection;
    /** Closes the socket of a login in progress (see {@link #abort()}). */
    private volatile Runnable opening;
    private long uidValidity = -1;
    /** The folder's name as {@link #open()} selected it; the name as given before. */
    private String selected;
    /** Everything of {@link #identity} but the UID, built by {@link #open()} (it holds the UIDVALIDITY). */
    private String identityPrefix;
    /** The round fetched ahead and the commands held behind it. */
    private final FetchPipeline pipeline = new FetchPipeline();
    /** Deletions {@link #apply} flagged, for {@link #commit} to expunge. */
    private final BatchedExpunge deletions = new BatchedExpunge(pipeline);
    /** The copy and move targets looked up (or created) on this connection. */
    private final TargetFolders targetFolders = new TargetFolders();
    /** EXISTS the connection had seen when {@link #open()} returned (the SELECT's own among them). */
    private long existsAtOpen;
    /** The done keyword and what a node flagged and never expunged in the selected folder. */
    private final OrphanedFlags orphans;
    /** Told the steps of the after-processing the server answered with OK, by message identity. */
    private ConfirmedSteps confirmed = ConfirmedSteps.NONE;
    /** The messages whose Date answer cost a connection, for the listings by sent date. */
    private HeaderAnswersTooLarge longDateAnswers = new HeaderAnswersTooLarge();

    public ImapMailboxSession(ConnectionSettings settings, Credentials credentials, String folder) {
        this(settings, credentials, folder, Clock.systemUTC());
    }

    /** @param clock the "now" that relative search dates count from */
    public ImapMailboxSession(ConnectionSettings settings, Credentials credentials, String folder, Clock clock) {
        this(settings, credentials, folder, clock, MailboxLimits.DEFAULT);
    }

    public ImapMailboxSession(ConnectionSettings settings, Credentials credentials, String folder, Clock clock,
            MailboxLimits limits) {
        this.settings = settings;
        this.credentials = credentials;
        this.folder = folder;
        this.clock = clock;
        this.limits = limits;
        this.orphans = new OrphanedFlags(this, pipeline, deletions, settings, folder, limits);
    }

    /**
     * Keeps the record of flagged-but-not-expunged messages in {@code pending}, which the caller hands to the
     * session that replaces this one after a lost connection. Call before {@link #open()}.
     */
    public void keepPendingExpungesIn(PendingExpunges pending) {
        deletions.keepPendingIn(pending);
    }

    /**
     * Keeps the messages whose Date answer cost a connection in {@code kept}, which the caller hands to the session
     * that replaces this one after a lost connection (that connection is how such an answer ends).
     */
    public void keepLongDateAnswersIn(HeaderAnswersTooLarge kept) {
        this.longDateAnswers = kept;
    }

    /**
     * Tells {@code listener} the identities of the messages whose copy, move or removal from the folder the server
     * confirmed ({@link ConfirmedSteps}): their UID COPY, UID MOVE or UID EXPUNGE (without UIDPLUS, EXPUNGE) was
     * answered with OK. Call before {@link #open()}.
     */
    public void reportConfirmedTo(ConfirmedSteps listener) {
        this.confirmed = listener;
        deletions.reportExpungedTo(uids -> listener.left(identities(uids)));
    }

    private List<String> identities(List<Long> uids) {
        return uids.stream().map(this::identity).toList();
    }

    @Override
    public void open() throws IOException {
        close();
        deletions.forget();
        pipeline.reset();
        targetFolders.forget();
        // the login deadline (settings.loginTimeout) started with the connect and covers SELECT too
        ImapConnection c = ImapConnection.connect(settings, ImapLimits.DEFAULT, abort -> opening = abort);
        try {
            c.authenticate(credentials);
            names = MailboxNames.discover(c);
            String resolved = names.resolve(folder);
            FolderState state = new ImapFolderOperations(c).select(resolved);
            selected = resolved;
            uidValidity = state.uidValidity();
            orphans.selected(state);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        } finally {
            c.endDeadline();
            opening = null;
        }
        connection = c;
        identityPrefix = MessageUrls.prefix(settings, credentials, folder, uidValidity);
        // deletions the last session flagged but could not expunge before its connection was lost
        timed("UID EXPUNGE", () -> {
            deletions.expungeOwed(c, uidValidity);
            return null;
        });
        existsAtOpen = c.existsSeen();
    }

    /**
     * What {@link #commit} does, as a deadline names it when the server does not finish it in time: it first reads
     * what is still owed (a round fetched ahead and not asked for, answers to the flags and to an expunge sent behind
     * the last round), then sends the flags held back and the UID EXPUNGE of the deletions awaiting it. Named after
     * the commands alone ("UID STORE/EXPUNGE"), a deadline cut in the reading blamed an expunge that was not sent.
     */
    static final String END_OF_POLL = "the end of the poll (reading the answers still owed, then the held flags"
            + " and UID EXPUNGE of the poll's deletions)";

    /** A step of a poll that talks to the server. */
    @FunctionalInterface
    interface Operation<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code operation} under the fetchTimeout deadline (settings.operationTimeout): a server that drips
     * bytes or sends untagged lines without end cannot hold the poll longer.
     */
    <T> T timed(String name, Operation<T> operation) throws IOException {
        ImapConnection c = connection;
        if (c == null) {
            return operation.run();
        }
        c.startDeadline(name, "fetchTimeout", settings.operationTimeout());
        try {
            return operation.run();
        } finally {
            c.endDeadline();
        }
    }

    /** The folder's UIDVALIDITY as of the last {@link #open()}; -1 before. */
    @Override
    public long uidValidity() {
        return uidValidity;
    }

    /**
     * The name {@link #open()} selected: Archive/2026 is INBOX.Archive.2026 on a server whose personal namespace is
     * INBOX. (RFC 2342), the name the producer's operations use too; the folder as given before open().
     */
    @Override
    public String folderOnServer() {
        return selected != null ? selected : folder;
    }

    /** How folder names from options and headers become this server's mailbox names; as given before open(). */
    public MailboxNames mailboxNames() {
        return names;
    }

    /** The capabilities of the open connection. */
    public Capabilities capabilities() {
        return connection == null ? Capabilities.NONE : connection.capabilities();
    }

    @Override
    public boolean isAlive() {
        if (connection == null || !connection.isUsable()) {
            return false;
        }
        if (!pipeline.hasPending() && !connection.needsNoop()) {
            // a NOOP would only repeat what the last tagged answer showed (ImapConnection#needsNoop, the one rule)
            return true;
        }
        try {
            timed("NOOP", () -> {
                pipeline.settle(connection);
                return connection.execute(new ImapCommand("NOOP"), null, null);
            });
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * An IDLE (RFC 2177) on this session's connection, brought in step first; null when the server does not offer
     * IDLE. The caller keeps every other use of the session away until the IDLE has returned.
     */
    public ImapIdle idle() throws IOException {
        ImapConnection c = usable();
        timed("IDLE", () -> {
            pipeline.settle(c);
            return null;
        });
        return ImapIdle.offeredBy(c.capabilities()) ? new ImapIdle(c) : null;
    }

    /**
     * How many times this session's connection announced new mail (EXISTS) since {@link #open()} returned; -1 when
     * not connected.
     */
    public long mailboxChanges() {
        ImapConnection c = connection;
        return c == null ? -1 : c.existsSeen() - existsAtOpen;
    }

    /**
     * Makes sure the folders exist, creating missing ones when {@code create}; each is looked up once per
     * connection. A round fetched ahead is read first (this needs the connection in step).
     *
     * @throws MissingFolderException when a folder is missing and {@code create} is false
     */
    @Override
    public void prepareFolders(Collection<String> folders, boolean create) throws IOException {
        timed("LIST/CREATE of the target folders", () -> {
            prepareFoldersNow(folders, create);
            return null;
        });
    }

    /** {@link #prepareFolders} within a running operation (its deadline covers this). */
    void prepareFoldersNow(Collection<String> folders, boolean create) throws IOException {
        targetFolders.ensure(usable(), folders, names, create, pipeline);
    }

    @Override
    public List<MessageRef> list(SearchFilter filter, boolean onlyUnseen, MessageOrder order, int limit)
            throws IOException {
        return timed("UID SEARCH", () -> {
            ImapConnection c = usable();
            pipeline.settle(c);
            return new FolderListing(c, limits, clock.instant(), "IMAP server " + settings.describe(), this::identity,
                    longDateAnswers).list(filter, onlyUnseen, order, limit);
        });
    }

    @Override
    public Map<MessageRef, Exception> fetch(List<MessageRef> refs, MessageHandler handler) throws IOException {
        return fetch(refs, List.of(), handler);
    }

    /**
     * Fetches {@code refs} as {@link #fetch(List, MessageHandler)} does and puts the UID FETCH commands for
     * {@code upcoming} on the wire behind them, so the server reads and sends the next round while this one is
     * parsed and routed (RFC 3501 §5.5: UID commands may be pipelined). Commands {@link #apply} issues in between
     * are held and sent behind the next round's FETCH, and that round's successors are announced once they are
     * answered ({@link FetchPipeline}); any other use of the session first reads the round sent ahead to its end,
     * discarding it.
     * <p>
     * A server may run pipelined commands in parallel (Dovecot answers a UID FETCH sent behind a UID EXPUNGE
     * before the expunge is done), so messages of {@code upcoming} can arrive during this call: they go to
     * {@code handler} then, and the call that asks for them gets only the rest.
     */
    @Override
    public Map<MessageRef, Exception> fetch(List<MessageRef> refs, List<MessageRef> upcoming, MessageHandler handler)
            throws IOException {
        return timed("UID FETCH of a round of " + refs.size() + " message(s)",
                () -> fetchNow(refs, upcoming, handler, null));
    }

    /**
     * Fetches {@code refs} while the round before them is routed (see {@link MailboxSession}): the actions posted
     * to {@code routed} go out between two responses of this round, so the server flags round r while the client
     * reads round r+1; their answers come right after this round's bodies, and {@code upcoming}'s UID FETCH goes out
     * once they are read, never beside them (Dovecot answers them only once a FETCH beside them is done, RFC 3501
     * §5.5 lets it run them side by side). Nothing is announced without them.
     */
    @Override
    public Map<MessageRef, Exception> fetch(List<MessageRef> refs, List<MessageRef> upcoming, MessageHandler handler,
            RoutedActions routed) throws IOException {
        return timed("UID FETCH of a round of " + refs.size() + " message(s)",
                () -> fetchNow(refs, upcoming, handler, new RoutedCommands(routed, usable(), this)));
    }

    private Map<MessageRef, Exception> fetchNow(List<MessageRef> asked, List<MessageRef> upcoming,
            MessageHandler handler, FetchPipeline.LateCommands late) throws IOException {
        ImapConnection c = usable();
        Map<MessageRef, Exception> failures = new LinkedHashMap<>();
        List<MessageRef> refs = SizeLimitedRefs.within(asked, limits.maxMessageSize(), settings, failures);
        if (refs.isEmpty()) {
            if (late != null) {
                late.queue(true); // nothing to read: the routed round's actions, if posted by now, are applied now
            }
            return failures;
        }
        List<MessageRef> next = SizeLimitedRefs.within(upcoming, limits.maxMessageSize(), settings,
                new LinkedHashMap<>());
        failures.putAll(pipeline.fetch(c, refs, next, handler, limits.maxMessageSize(),
                "IMAP server " + settings.describe(), late));
        return failures;
    }

    @Override
    public Map<String, String> messageIds(List<MessageRef> refs) throws IOException {
        if (refs.isEmpty()) {
            return Map.of();
        }
        return timed("UID FETCH of the Message-IDs", () -> {
            ImapConnection c = usable();
            pipeline.settle(c);
            return ListedMessageIds.of(c, refs);
        });
    }

    @Override
    public Set<String> seenNow(Collection<MessageRef> refs) throws IOException {
        if (refs.isEmpty()) {
            return Set.of();
        }
        return timed("UID SEARCH SEEN", () -> {
            ImapConnection c = usable();
            pipeline.settle(c);
            List<Long> seen = new ImapMessageOperations(c).seen(refs.stream().map(MessageRef::uid).toList()).uids();
            return Set.copyOf(identities(seen));
        });
    }

    @Override
    public void apply(Map<MessageRef, AfterProcessing> actions) throws IOException {
        timed("after-processing (UID STORE/COPY/MOVE)", () -> {
            applyNow(actions);
            return null;
        });
    }

    /** Whether a copy or move target (resolved) was looked up or created on this connection. */
    boolean knowsTargetFolder(String resolved) {
        return targetFolders.isKnown(resolved);
    }

    /** {@link #apply} within a running operation: while a round is read, the commands are held behind it. */
    void applyNow(Map<MessageRef, AfterProcessing> actions) throws IOException {
        ImapConnection c = usable();
        AfterProcessingPlan plan = AfterProcessingPlan.of(actions, names, c.capabilities());
        plan.sendBeforeDeletions(c, pipeline, confirmed, this::identities);
        List<Long> deletes = plan.deletes();
        if (!deletes.isEmpty()) {
            orphans.tellDoneKeywordRefusedOnce();
            // flagged now, on the wire with the next round's fetch: from the server's answer on, no session of any
            // node lists these again (list asks for UNDELETED), so a crash re-delivers at most the round in the route
            deletions.flag(c, uidValidity, deletes);
        }
    }

    /**
     * Expunges the messages {@link #apply} flagged \Deleted ({@link BatchedExpunge}), after reading a round fetched
     * ahead to its end.
     */
    @Override
    public void commit() throws IOException {
        if (!pipeline.hasPending() && deletions.isEmpty()) {
            return;
        }
        ImapConnection c = usable();
        timed(END_OF_POLL, () -> {
            pipeline.settle(c);
            deletions.expungeAwaiting(c);
            return null;
        });
    }

    /** What a node flagged \Deleted in this folder and never expunged, and the done keyword that tells it. */
    public OrphanedFlags orphans() {
        return orphans;
    }

    /** The message's URL across sessions ({@link MessageUrls}). */
    String identity(long uid) {
        return identityPrefix + uid;
    }

    /** The open connection, for an operation of this session; fails when it is not open. */
    ImapConnection openConnection() throws IOException {
        return usable();
    }

    /** The connection while it is usable; else fails naming the server (the text reaches the consumer's log). */
    private ImapConnection usable() throws IOException {
        ImapConnection c = connection;
        if (c == null || !c.isUsable()) {
            throw new IOException("IMAP server " + settings.describe() + ": the session is not open (its connection was"
                                  + (c == null ? " not opened, or closed)" : " lost or closed)"));
        }
        return c;
    }

    /** Closes the socket at once, from any thread, without LOGOUT; the poll using the session fails. */
    @Override
    public void abort() {
        Runnable login = opening;
        if (login != null) {
            login.run();
        }
        ImapConnection c = connection;
        if (c != null) {
            c.abort();
        }
    }

    @Override
    public void close() {
        // a round fetched ahead is read by nobody now, and what was held back was never sent: the messages stay
        // as they are on the server, like after a lost connection
        pipeline.reset();
        if (connection != null) {
            connection.logout();
            connection = null;
        }
    }
}
