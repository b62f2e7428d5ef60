package io.catalystmail.camel.imap;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MailboxLimits;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageTooLargeException;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.PercentEncoding;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.mailbox.SentDate;
import io.catalystmail.camel.net.ConnectionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * deletion. Deletions are flagged \Deleted at once (with the next fetch) and expunged by {@link #commit}: UID
 * EXPUNGE of exactly those UIDs (UIDPLUS, RFC 4315), once per poll. {@link #list} never offers a message flagged
 * \Deleted, so a connection lost between flag and expunge cannot bring it back to the route.
 * Without UIDPLUS only plain EXPUNGE exists, and it also removes messages another client marked \Deleted in
 * this folder: there is no way around that on such servers.</li>
 * </ul>
 * A UIDVALIDITY that changed between two {@link #open()}s means earlier UIDs name other messages now:
 * compare {@link #uidValidity()}; the identity of each ref includes it. Not thread-safe.
 */
public final class ImapMailboxSession implements MailboxSession {

    private static final Logger LOG = LoggerFactory.getLogger(ImapMailboxSession.class);

    /** Commands in flight at once while fetching runs: small enough never to fill the socket buffers. */
    private static final int MAX_PIPELINED = 16;

    /** Deletions expunged in one command at most this far apart (see {@link #commit()}). */
    static final int EXPUNGE_BATCH = 500;

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
    /** Deletions collected by {@link #apply} for the next {@link #commit}. */
    private final java.util.TreeSet<Long> awaitingExpunge = new java.util.TreeSet<>();
    private PendingExpunges pendingExpunges = new PendingExpunges();
    /** Everything of {@link #identity} but the UID, built by {@link #open()} (it holds the UIDVALIDITY). */
    private String identityPrefix;
    /** FETCH commands sent for the round a caller announced as upcoming, their answers not read yet. */
    private FetchAhead ahead;
    /**
     * Commands of {@link #apply} and {@link #commit} held back while {@link #ahead} is on the wire; empty
     * whenever {@link #ahead} is null, as the fetch that takes up the round sends them.
     */
    private final List<HeldCommand> held = new ArrayList<>();
    /** The copy and move targets looked up (or created) on this connection. */
    private final TargetFolders targetFolders = new TargetFolders();

    /** @param delivery hands the round's messages to the handler current when they arrive (they may come early) */
    private record FetchAhead(List<MessageRef> refs, List<String> tags, MessageDelivery delivery) {
    }

    /** A command to send later, and what its OK confirms (null: nothing to record). */
    private record HeldCommand(ImapCommand command, Runnable onOk) {
    }

    /** A held command once sent: its tag, awaited after the FETCH answers in front of it. */
    private record SentCommand(HeldCommand held, String tag) {
    }

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
    }

    /**
     * Keeps the record of flagged-but-not-expunged messages in {@code pending}, which the caller hands to the
     * session that replaces this one after a lost connection. Call before {@link #open()}.
     */
    public void keepPendingExpungesIn(PendingExpunges pending) {
        this.pendingExpunges = pending;
    }

    @Override
    public void open() throws IOException {
        close();
        awaitingExpunge.clear();
        ahead = null;
        held.clear();
        targetFolders.forget();
        // the login deadline (settings.loginTimeout) started with the connect and covers SELECT too
        ImapConnection c = ImapConnection.connect(settings, ImapLimits.DEFAULT, abort -> opening = abort);
        try {
            c.authenticate(credentials);
            names = MailboxNames.discover(c);
            uidValidity = select(c, names.resolve(folder));
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        } finally {
            c.endDeadline();
            opening = null;
        }
        connection = c;
        identityPrefix = identityPrefix(uidValidity);
        // deletions the last session flagged but could not expunge before its connection was lost
        timed("UID EXPUNGE", () -> {
            expunge(c, pendingExpunges.owed(uidValidity));
            return null;
        });
    }

    /** A step of a poll that talks to the server. */
    @FunctionalInterface
    private interface Operation<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code operation} under the fetchTimeout deadline (settings.operationTimeout): a server that drips
     * bytes or sends untagged lines without end cannot hold the poll longer.
     */
    private <T> T timed(String name, Operation<T> operation) throws IOException {
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

    private static long select(ImapConnection c, String folder) throws IOException {
        List<ResponseCode> codes = new ArrayList<>();
        c.execute(new ImapCommand("SELECT").mailbox(folder), r -> {
            if (r.code() != null) {
                codes.add(r.code());
            }
        }, null);
        for (ResponseCode code : codes) {
            if (code.name().equals("UIDVALIDITY")) {
                return code.number(0);
            }
        }
        throw new ImapProtocolException("SELECT " + folder + " answered without UIDVALIDITY");
    }

    /** The folder's UIDVALIDITY as of the last {@link #open()}; -1 before. */
    public long uidValidity() {
        return uidValidity;
    }

    /** How folder names from options and headers become this server's mailbox names; as given before {@link #open()}. */
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
        try {
            timed("NOOP", () -> {
                settle(connection);
                return connection.execute(new ImapCommand("NOOP"), null, null);
            });
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Makes sure the folders exist, creating missing ones when {@code create}; each is looked up once per
     * connection. A round fetched ahead is read first (this needs the connection in step).
     *
     * @throws MissingFolderException when a folder is missing and {@code create} is false
     */
    @Override
    public void prepareFolders(Collection<String> folders, boolean create) throws IOException {
        ImapConnection c = open(connection);
        // the names COPY and MOVE will send: resolved through the server's namespace and delimiter
        List<String> resolved = folders.stream().filter(java.util.Objects::nonNull).map(names::resolve).toList();
        if (resolved.stream().allMatch(targetFolders::isKnown)) {
            return;
        }
        settle(c);
        targetFolders.ensure(c, resolved, create);
    }

    @Override
    public List<MessageRef> list(SearchFilter filter, boolean onlyUnseen, MessageOrder order, int limit)
            throws IOException {
        return timed("UID SEARCH", () -> listNow(filter, onlyUnseen, order, limit));
    }

    private List<MessageRef> listNow(SearchFilter filter, boolean onlyUnseen, MessageOrder order, int limit)
            throws IOException {
        ImapConnection c = open(connection);
        settle(c);
        UidRanges found = search(c, filter, onlyUnseen, 0);
        int max = limits.maxListedMessages();
        long total = found.size();
        if (found.invalid() > 0) {
            LOG.warn("IMAP server {} answered UID SEARCH with {} entries that are not UIDs (such as 0); they are"
                    + " skipped, the valid ones listed", settings.describe(), found.invalid());
        }
        if (found.truncated() || total > max) {
            LOG.warn("IMAP server {} listed {}{} messages for UID SEARCH, more than this poll takes"
                    + " (maxListedMessages={}, at most {} separate UID ranges): the first {} in sortOrder are"
                    + " taken, the rest in later polls", settings.describe(), found.truncated() ? "over " : "",
                    total, max, found.maxRanges(), max);
        }
        boolean byDate = order == MessageOrder.DATE_ASCENDING || order == MessageOrder.DATE_DESCENDING;
        int take = !byDate && limit > 0 ? Math.min(limit, max) : max;
        List<Long> uids = found.first(take, order == MessageOrder.UID_DESCENDING);
        if (uids.isEmpty()) {
            return new ArrayList<>();
        }
        Map<Long, FetchData> meta = byDate ? metadata(c, uids) : oversized(c, filter, onlyUnseen, uids);
        List<MessageRef> refs = new ArrayList<>(uids.size());
        for (long uid : uids) {
            FetchData d = meta.get(uid);
            if (!byDate) {
                // size and date arrive with each message's FETCH; only those over maxMessageSize are known now
                refs.add(new MessageRef(Long.toString(uid), 0, d == null ? -1 : d.size(), null, identity(uid)));
            } else if (d != null) { // gone between SEARCH and FETCH: skipped
                refs.add(new MessageRef(Long.toString(uid), 0, d.size(), sentDate(d), identity(uid)));
            }
        }
        if (byDate) {
            refs.sort(order == MessageOrder.DATE_DESCENDING ? SentDate.ORDER.reversed() : SentDate.ORDER);
            if (limit > 0 && refs.size() > limit) {
                refs = new ArrayList<>(refs.subList(0, limit));
            }
        }
        return refs;
    }

    /**
     * The listed messages above maxMessageSize, with their RFC822.SIZE: a second UID SEARCH with LARGER (RFC 3501
     * §6.4.4), which usually answers nothing, so they are refused before a byte of them is fetched.
     */
    private Map<Long, FetchData> oversized(ImapConnection c, SearchFilter filter, boolean onlyUnseen, List<Long> uids)
            throws IOException {
        UidRanges larger = search(c, filter, onlyUnseen, limits.maxMessageSize());
        if (larger.size() == 0) {
            return Map.of();
        }
        Set<Long> listed = new java.util.HashSet<>(uids);
        List<Long> both = larger.first(limits.maxListedMessages(), false).stream().filter(listed::contains).toList();
        return metadata(c, both);
    }

    /** @param largerThan when positive, only messages larger than this many octets (SEARCH LARGER) */
    private UidRanges search(ImapConnection c, SearchFilter filter, boolean onlyUnseen, long largerThan)
            throws IOException {
        boolean esearch = c.capabilities().has("ESEARCH");
        ImapCommand command = new ImapCommand("UID SEARCH");
        if (esearch) {
            command.raw("RETURN (ALL)"); // RFC 4731: one compact set instead of every UID spelt out
        }
        if (SearchCriteria.needsUtf8(filter.key())) {
            command.raw("CHARSET UTF-8");
        }
        SearchCriteria.append(command, filter.key(), clock.instant());
        if (onlyUnseen) {
            command.raw("UNSEEN");
        }
        if (largerThan > 0) {
            command.raw("LARGER " + largerThan);
        }
        // flagged for deletion, by us before an expunge that never came or by another client: not to be routed
        command.raw("UNDELETED");
        List<ImapResponse> esearches = new ArrayList<>();
        String tag = c.send(command);
        UidRanges[] fromSearch = new UidRanges[1];
        ImapResponse done = c.await(tag, r -> {
            if (r.isUntagged("SEARCH") && !r.values().isEmpty() && r.values().get(0) instanceof UidRanges found) {
                // the reader gives each SEARCH line its own ranges; a server may split the answer over lines
                if (fromSearch[0] == null) {
                    fromSearch[0] = found;
                } else {
                    fromSearch[0].addAll(found);
                }
            } else if (r.isUntagged("ESEARCH")) {
                esearches.add(r);
            }
        }, null);
        if (!done.isOk()) {
            throw new ImapCommandException(command.name(), done.type(), done.text());
        }
        UidRanges uids = fromSearch[0] != null ? fromSearch[0] : new UidRanges(ImapLimits.DEFAULT.maxSearchResults());
        for (ImapResponse r : esearches) {
            readEsearch(r.values(), tag, uids);
        }
        return uids;
    }

    /** {@code * ESEARCH (TAG "A5") UID ALL 1:3,5} (RFC 4731); other tags' answers and other items are ignored. */
    private static void readEsearch(List<Object> values, String tag, UidRanges uids) throws IOException {
        int i = 0;
        if (!values.isEmpty() && values.get(0) instanceof List<?> correlator) {
            if (correlator.size() != 2 || !tag.equals(ImapValues.text(correlator.get(1)))) {
                return;
            }
            i++;
        }
        if (i < values.size() && "UID".equalsIgnoreCase(String.valueOf(values.get(i)))) {
            i++;
        }
        for (; i + 1 < values.size(); i += 2) {
            if ("ALL".equalsIgnoreCase(String.valueOf(values.get(i)))) {
                UidSet.parseInto(ImapValues.text(values.get(i + 1)), uids);
            }
        }
    }

    private static Map<Long, FetchData> metadata(ImapConnection c, List<Long> uids) throws IOException {
        Map<Long, FetchData> meta = new HashMap<>();
        if (uids.isEmpty()) {
            return meta;
        }
        Set<Long> asked = Set.copyOf(uids);
        c.execute(new ImapCommand("UID FETCH").raw(UidSet.format(uids))
                .raw("(UID INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE)])"), r -> {
            if (r.isUntagged("FETCH") && asked.contains(r.fetch().uid())) {
                meta.put(r.fetch().uid(), r.fetch());
            }
        }, null);
        return meta;
    }

    /** The Date header of a listing FETCH, or INTERNALDATE when it has none (RFC 5256 §2.2). */
    private static Instant sentDate(FetchData d) {
        for (Map.Entry<String, Object> item : d.otherItems().entrySet()) {
            if (item.getKey().startsWith("BODY[HEADER.FIELDS") && item.getValue() instanceof byte[] block) {
                return SentDate.fromHeaderBlock(block, d.internalDate());
            }
        }
        return d.internalDate();
    }

    @Override
    public Map<MessageRef, Exception> fetch(List<MessageRef> refs, MessageHandler handler) throws IOException {
        return fetch(refs, List.of(), handler);
    }

    /**
     * Fetches {@code refs} as {@link #fetch(List, MessageHandler)} does and puts the UID FETCH commands for
     * {@code upcoming} on the wire behind them, so the server reads and sends the next round while this one is
     * parsed and routed (RFC 3501 §5.5: UID commands may be pipelined). Commands {@link #apply} issues in between
     * are held and sent in front of the next round's successors; any other use of the session first reads the
     * round sent ahead to its end, discarding it.
     * <p>
     * A server may run pipelined commands in parallel (Dovecot answers a UID FETCH sent behind a UID EXPUNGE
     * before the expunge is done), so messages of {@code upcoming} can arrive during this call: they go to
     * {@code handler} then, and the call that asks for them gets only the rest.
     */
    @Override
    public Map<MessageRef, Exception> fetch(List<MessageRef> refs, List<MessageRef> upcoming, MessageHandler handler)
            throws IOException {
        return timed("UID FETCH of a round of " + refs.size() + " message(s)", () -> fetchNow(refs, upcoming, handler));
    }

    private Map<MessageRef, Exception> fetchNow(List<MessageRef> asked, List<MessageRef> upcoming,
            MessageHandler handler) throws IOException {
        ImapConnection c = open(connection);
        Map<MessageRef, Exception> tooLarge = new LinkedHashMap<>();
        List<MessageRef> refs = withinSizeLimit(asked, tooLarge);
        if (refs.isEmpty()) {
            return tooLarge;
        }
        upcoming = withinSizeLimit(upcoming, new LinkedHashMap<>());
        MessageDelivery delivery;
        Deque<String> inFlight = new ArrayDeque<>();
        List<List<Long>> runs;
        if (ahead != null && ahead.refs().equals(refs)) {
            delivery = ahead.delivery();
            delivery.handTo(handler);
            inFlight.addAll(ahead.tags());
            runs = List.of();
            ahead = null;
        } else {
            settle(c);
            delivery = new MessageDelivery(refs, handler, limits.maxMessageSize(), "IMAP server " + settings.describe());
            runs = ascendingRuns(refs.stream().map(MessageRef::uid).distinct().toList());
        }
        int next = 0;
        while (next < runs.size() && inFlight.size() < MAX_PIPELINED) {
            inFlight.add(sendFetch(c, runs.get(next++)));
        }
        List<SentCommand> sent = List.of();
        if (next == runs.size()) {
            // the whole round is on the wire: what apply held back goes behind it, then the next round
            sent = sendHeld(c);
            List<List<Long>> upcomingRuns = ascendingRuns(upcoming.stream().map(MessageRef::uid).toList());
            if (!upcoming.isEmpty() && upcomingRuns.size() <= MAX_PIPELINED) {
                delivery.want(upcoming);
                List<String> tags = new ArrayList<>();
                for (List<Long> run : upcomingRuns) {
                    tags.add(sendFetch(c, run));
                }
                ahead = new FetchAhead(List.copyOf(upcoming), tags, delivery);
            }
        }
        ImapResponse refused = null;
        try {
            while (next < runs.size() || !inFlight.isEmpty()) {
                while (next < runs.size() && inFlight.size() < MAX_PIPELINED) {
                    inFlight.add(sendFetch(c, runs.get(next++)));
                }
                ImapResponse done = c.await(inFlight.poll(), delivery, delivery);
                // NO: some servers refuse a FETCH of messages expunged meanwhile; those are skipped like vanished ones
                if (done.type().equals("BAD") && refused == null) {
                    refused = done;
                }
            }
            awaitSent(c, sent, delivery);
        } finally {
            delivery.finish();
        }
        if (refused != null) {
            throw new ImapCommandException("UID FETCH", refused.type(), refused.text());
        }
        List<MessageRef> missing = refs.stream().filter(delivery::stillWanted).toList();
        if (!missing.isEmpty()) {
            // expunged by another client meanwhile, or a server that drops what it was asked for: either way the
            // message stays where it is and is listed again by the next poll if it still exists
            LOG.warn("IMAP server {} answered UID FETCH without the content of {} message(s) asked for (UIDs {}{});"
                    + " skipped", settings.describe(), missing.size(),
                    missing.stream().limit(10).map(MessageRef::id).toList(), missing.size() > 10 ? " ..." : "");
            missing.forEach(delivery::forget);
        }
        Map<MessageRef, Exception> failures = new LinkedHashMap<>(tooLarge);
        failures.putAll(delivery.failures());
        return failures;
    }

    /** The refs within maxMessageSize as far as their size is known; the others go to {@code tooLarge}. */
    private List<MessageRef> withinSizeLimit(List<MessageRef> refs, Map<MessageRef, Exception> tooLarge) {
        long max = limits.maxMessageSize();
        List<MessageRef> within = new ArrayList<>(refs.size());
        for (MessageRef ref : refs) {
            if (ref.size() > max) {
                tooLarge.put(ref, new MessageTooLargeException("IMAP server " + settings.describe(), "UID " + ref.id(),
                        ref.size(), max, true));
            } else {
                within.add(ref);
            }
        }
        return within.size() == refs.size() ? refs : within;
    }

    private static String sendFetch(ImapConnection c, List<Long> run) throws IOException {
        return c.send(new ImapCommand("UID FETCH").raw(UidSet.format(run))
                .raw("(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])"));
    }

    /**
     * Brings the connection back in step before any command that must be answered at once: reads the round
     * sent ahead to its end (the caller did not ask for it after all; what had not arrived yet is discarded and
     * stays untouched on the server for a later poll), then sends and awaits the held commands.
     */
    private void settle(ImapConnection c) throws IOException {
        if (ahead == null) {
            return;
        }
        MessageDelivery discard = ahead.delivery();
        discard.handTo(message -> { });
        List<String> tags = ahead.tags();
        ahead = null;
        try {
            for (String tag : tags) {
                c.await(tag, discard, discard);
            }
            awaitSent(c, sendHeld(c), discard);
        } finally {
            discard.finish();
        }
    }

    private List<SentCommand> sendHeld(ImapConnection c) throws IOException {
        if (held.isEmpty()) {
            return List.of();
        }
        List<SentCommand> sent = new ArrayList<>(held.size());
        for (HeldCommand command : held) {
            sent.add(new SentCommand(command, c.send(command.command())));
        }
        held.clear();
        return sent;
    }

    /**
     * Reads the answers of sent held commands in order, bodies of a round fetched ahead that arrive meanwhile
     * going to {@code delivery}; the first refusal is thrown once all are read.
     */
    private static void awaitSent(ImapConnection c, List<SentCommand> sent, MessageDelivery delivery)
            throws IOException {
        ImapCommandException refusal = null;
        for (SentCommand s : sent) {
            ImapResponse done = c.await(s.tag(), delivery, delivery);
            if (!done.isOk()) {
                refusal = refusal != null ? refusal
                        : new ImapCommandException(s.held().command().name(), done.type(), done.text(), done.code());
            } else if (s.held().onOk() != null) {
                s.held().onOk().run();
            }
        }
        if (refusal != null) {
            throw refusal;
        }
    }

    /**
     * Runs a command now, or holds it for the next {@link #fetch} when a round is on the wire ahead of it.
     * A synchronizing literal (a folder name without LITERAL+) needs the server's continuation, which cannot be
     * told apart from answers still streaming: such a command waits until the connection is in step.
     */
    private void run(ImapConnection c, ImapCommand command, Runnable onOk) throws IOException {
        if (ahead != null && !command.needsContinuation(c.capabilities())) {
            held.add(new HeldCommand(command, onOk));
            return;
        }
        settle(c);
        c.execute(command, null, null);
        if (onOk != null) {
            onOk.run();
        }
    }

    /** Splits UIDs into maximal runs in ascending order, keeping the order asked for across runs. */
    private static List<List<Long>> ascendingRuns(List<Long> uids) {
        List<List<Long>> runs = new ArrayList<>();
        List<Long> run = new ArrayList<>();
        for (long uid : uids) {
            if (!run.isEmpty() && uid < run.get(run.size() - 1)) {
                runs.add(run);
                run = new ArrayList<>();
            }
            run.add(uid);
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    @Override
    public void apply(Map<MessageRef, AfterProcessing> actions) throws IOException {
        timed("after-processing (UID STORE/COPY/MOVE)", () -> {
            applyNow(actions);
            return null;
        });
    }

    private void applyNow(Map<MessageRef, AfterProcessing> actions) throws IOException {
        ImapConnection c = open(connection);
        List<Long> seen = new ArrayList<>();
        Map<String, List<Long>> copies = new LinkedHashMap<>();
        Map<String, List<Long>> moves = new LinkedHashMap<>();
        List<Long> deletes = new ArrayList<>();
        for (Map.Entry<MessageRef, AfterProcessing> e : actions.entrySet()) {
            long uid = e.getKey().uid();
            AfterProcessing a = e.getValue();
            if (a.markSeen()) {
                seen.add(uid);
            }
            if (a.copyTo() != null) {
                copies.computeIfAbsent(a.copyTo(), f -> new ArrayList<>()).add(uid);
            }
            if (a.moveTo() != null) {
                moves.computeIfAbsent(a.moveTo(), f -> new ArrayList<>()).add(uid);
            } else if (a.delete()) {
                deletes.add(uid);
            }
        }
        // the folder commands are built before anything is sent: a folder name that is refused changes nothing
        List<ImapCommand> copyCommands = new ArrayList<>();
        for (Map.Entry<String, List<Long>> copy : copies.entrySet()) {
            copyCommands.add(new ImapCommand("UID COPY").raw(UidSet.format(copy.getValue()))
                    .mailbox(names.resolve(copy.getKey())));
        }
        boolean move = c.capabilities().has("MOVE");
        List<ImapCommand> moveCommands = new ArrayList<>();
        for (Map.Entry<String, List<Long>> m : moves.entrySet()) {
            String name = move ? "UID MOVE" : "UID COPY";
            moveCommands.add(new ImapCommand(name).raw(UidSet.format(m.getValue()))
                    .mailbox(names.resolve(m.getKey())));
            if (!move) {
                deletes.addAll(m.getValue()); // copied: now remove the original like a deletion
            }
        }
        // copies first, so they arrive unseen for a route that polls the copy folder (camel-mail copies before
        // flagging too); \Seen next, so a moved message keeps it, as camel-mail's moveTo with delete=false does
        for (ImapCommand command : copyCommands) {
            run(c, command, null);
        }
        if (!seen.isEmpty()) {
            run(c, store(seen, "\\Seen"), null);
        }
        for (ImapCommand command : moveCommands) {
            run(c, command, null);
        }
        if (!deletes.isEmpty()) {
            // flagged now, on the wire with the next round's fetch: from the server's answer on, no session of any
            // node lists these again (list asks for UNDELETED), so a crash re-delivers at most the round in the route
            pendingExpunges.flagging(uidValidity, deletes);
            run(c, store(deletes, "\\Deleted"), null);
            awaitingExpunge.addAll(deletes);
            if (awaitingExpunge.size() >= EXPUNGE_BATCH) {
                expungeAwaiting(c);
            }
        }
    }

    /**
     * Expunges the messages {@link #apply} flagged \Deleted, in one UID EXPUNGE per poll or every
     * {@value #EXPUNGE_BATCH} messages: an expunge costs a server a fixed time plus time per message (Dovecot
     * locks the folder for it), so it is batched, while the flag, which keeps a routed message from being routed
     * again, goes out round by round with the next fetch. A connection lost before the expunge leaves the messages
     * flagged, which keeps them out of every later list; the next session of the same {@link PendingExpunges}
     * expunges them, and so does {@link #expungeFlagged} on any node that finds them in its idempotent repository.
     *
     * <p>Measured against Dovecot and left out: expunging on a second connection while this one fetches (Dovecot
     * locks the folder for an expunge, so the fetching connection waited anyway and polls got slower).
     */
    @Override
    public void commit() throws IOException {
        if (ahead == null && awaitingExpunge.isEmpty()) {
            return;
        }
        ImapConnection c = open(connection);
        timed("UID STORE/EXPUNGE", () -> {
            settle(c);
            expungeAwaiting(c);
            return null;
        });
    }

    private void expungeAwaiting(ImapConnection c) throws IOException {
        if (awaitingExpunge.isEmpty()) {
            return;
        }
        List<Long> uids = new ArrayList<>(awaitingExpunge);
        awaitingExpunge.clear();
        expunge(c, uids);
    }

    /**
     * Messages of this folder flagged \Deleted and not expunged, at most {@code limit} (UIDs ascending): those a
     * node flagged before it died are among them, next to any another client flagged.
     */
    public List<MessageRef> flaggedDeleted(int limit) throws IOException {
        ImapConnection c = open(connection);
        settle(c);
        UidRanges found = new UidRanges(ImapLimits.DEFAULT.maxSearchResults());
        c.execute(new ImapCommand("UID SEARCH").raw("DELETED"), r -> {
            // the reader gives each SEARCH line its own ranges; a server may split the answer over lines
            if (r.isUntagged("SEARCH") && !r.values().isEmpty() && r.values().get(0) instanceof UidRanges line) {
                found.addAll(line);
            }
        }, null);
        List<Long> uids = new ArrayList<>(found.first(limit, false));
        uids.sort(Comparator.naturalOrder());
        List<MessageRef> refs = new ArrayList<>(uids.size());
        for (long uid : uids) {
            refs.add(new MessageRef(Long.toString(uid), 0, -1, null, identity(uid)));
        }
        return refs;
    }

    /**
     * Expunges exactly these messages, already flagged \Deleted (by a node that died before its expunge).
     * Needs UIDPLUS: a plain EXPUNGE would also remove what other clients flagged, so without it nothing is done.
     *
     * @return whether the server was asked to expunge them
     */
    public boolean expungeFlagged(List<MessageRef> refs) throws IOException {
        ImapConnection c = open(connection);
        if (refs.isEmpty() || !c.capabilities().has("UIDPLUS")) {
            return false;
        }
        settle(c);
        expunge(c, refs.stream().map(MessageRef::uid).toList());
        return true;
    }

    private void expunge(ImapConnection c, List<Long> uids) throws IOException {
        if (uids.isEmpty()) {
            return;
        }
        if (c.capabilities().has("UIDPLUS")) {
            run(c, new ImapCommand("UID EXPUNGE").raw(UidSet.format(uids)), () -> pendingExpunges.expunged(uids));
        } else {
            run(c, new ImapCommand("EXPUNGE"), pendingExpunges::allExpunged);
        }
    }

    private static ImapCommand store(List<Long> uids, String flag) {
        return new ImapCommand("UID STORE").raw(UidSet.format(uids)).raw("+FLAGS.SILENT (" + flag + ")");
    }

    /**
     * An RFC 5092-style IMAP URL naming the message across sessions:
     * {@code imap://user@host:port/FOLDER;UIDVALIDITY=v/;UID=u}, user and folder percent-encoded.
     */
    String identity(long uid) {
        return identityPrefix + uid;
    }

    private String identityPrefix(long validity) {
        StringBuilder sb = new StringBuilder("imap://");
        if (credentials.present()) {
            sb.append(PercentEncoding.encode(credentials.username(), false)).append('@');
        }
        String host = settings.host().toLowerCase(java.util.Locale.ROOT);
        return sb.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host).append(':').append(settings.port())
                .append('/').append(PercentEncoding.encode(folder, true)).append(";UIDVALIDITY=").append(validity)
                .append("/;UID=").toString();
    }

    private static ImapConnection open(ImapConnection c) throws IOException {
        if (c == null || !c.isUsable()) {
            throw new IOException("the IMAP session is not open");
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
        ahead = null;
        held.clear();
        if (connection != null) {
            connection.logout();
            connection = null;
        }
    }
}
