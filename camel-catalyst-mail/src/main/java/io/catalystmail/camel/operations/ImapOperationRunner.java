package io.catalystmail.camel.operations;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.imap.FolderState;
import io.catalystmail.camel.imap.ImapFolderOperations;
import io.catalystmail.camel.imap.ImapMessageOperations;
import io.catalystmail.camel.mailbox.MessageTooLargeException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one checked {@link OperationRequest} on a logged-in {@link ImapOperationSession} and writes the result
 * into the exchange: headers for what the server reported (UIDs, UIDVALIDITY, counts), the body for lists and
 * fetched messages. Folder names are resolved here (special use, namespace), after the request was checked.
 */
final class ImapOperationRunner {

    /**
     * The operations that act on the exchange's UIDs, so care which folder they came from; a status, create or append
     * of another folder after a search does not.
     */
    private static final Set<MailboxOperation> ON_UIDS = EnumSet.of(MailboxOperation.FETCH, MailboxOperation.STORE,
            MailboxOperation.COPY, MailboxOperation.MOVE, MailboxOperation.EXPUNGE);

    /** The operations with a destination folder: the target of copy and move, the new name of rename. */
    private static final Set<MailboxOperation> DESTINED = EnumSet.of(MailboxOperation.COPY, MailboxOperation.MOVE,
            MailboxOperation.RENAME);

    private static final Logger LOG = LoggerFactory.getLogger(ImapOperationRunner.class);

    private final MessageFetcher fetcher;
    private final int maxFetched;
    private final int roundSize;
    private final Duration roundTimeout;
    private final Clock clock;
    private final String serverName;
    private boolean warnedNoUidplusMove;
    private boolean warnedUnusableAppendUid;
    private boolean warnedSearchSetAside;

    /**
     * @param maxFetched   most messages one fetch by search maps into a list
     * @param roundSize    messages per UID FETCH of a streamed fetch
     * @param roundTimeout deadline of each round of a streamed fetch
     * @param serverName   the endpoint's name of the server, for a streamed fetch's failures
     */
    ImapOperationRunner(MessageFetcher fetcher, int maxFetched, int roundSize, Duration roundTimeout, Clock clock,
            String serverName) {
        this.fetcher = fetcher;
        this.serverName = serverName;
        this.maxFetched = maxFetched;
        this.roundSize = roundSize;
        this.roundTimeout = roundTimeout;
        this.clock = clock;
    }

    /**
     * @param message        the message an append stores, spooled already; null for other operations
     * @param resolvedFolder receives the server's names of the folder worked on (null for list and lsub) and of the
     *                       destination of a copy, move or rename, as soon as they are known, so a refusal can name
     *                       them
     * @return a streamed fetch that needs the connection after this call, else null
     */
    StreamedFetch run(OperationRequest r, ImapOperationSession s, Exchange exchange, SpooledMessage message,
            String[] resolvedFolder) throws IOException {
        s.operationStarts();
        Message out = exchange.getMessage();
        ImapFolderOperations folders = s.folders();
        ImapMessageOperations messages = s.messages();
        MailboxOperation op = r.operation();
        String folder = op == MailboxOperation.LIST || op == MailboxOperation.LSUB ? null : s.resolve(r.folder());
        resolvedFolder[0] = folder;
        if (folder != null) {
            if (ON_UIDS.contains(op)) {
                // before the header is overwritten: it still names the folder the exchange's UIDs came from
                r.uidsOrigin().checkFolder(name(op), server(s), folder);
            }
            out.setHeader(CatalystMailConstants.FOLDER, folder);
        }
        String destination = DESTINED.contains(op) ? s.resolve(r.destination()) : null;
        resolvedFolder[1] = destination;
        switch (op) {
            case APPEND -> {
                ImapFolderOperations.Appended appended = folders.append(folder, r.flags(), r.internalDate(), message);
                if (appended.uid() > 0) {
                    out.setHeader(CatalystMailConstants.UID, appended.uid());
                    out.setHeader(CatalystMailConstants.UID_VALIDITY, appended.uidValidity());
                } else if (appended.uidUnusable() && !warnedUnusableAppendUid) {
                    warnedUnusableAppendUid = true;
                    LOG.warn("IMAP server {} answered APPEND with an APPENDUID that is not two non-zero numbers (RFC"
                            + " 4315 §3): the messages are appended, without {} and {} headers (warned once per"
                            + " endpoint)", s.connection().settings().describe(), CatalystMailConstants.UID,
                            CatalystMailConstants.UID_VALIDITY);
                }
            }
            case CREATE -> {
                s.changeSending();
                folders.create(folder);
            }
            case DELETE -> changingFolders(s, () -> folders.delete(folder));
            case RENAME -> changingFolders(s, () -> folders.rename(folder, destination));
            case SUBSCRIBE -> {
                s.changeSending();
                folders.subscribe(folder);
            }
            case UNSUBSCRIBE -> {
                s.changeSending();
                folders.unsubscribe(folder);
            }
            case LIST -> out.setBody(folders.list(r.reference(), r.pattern()));
            case LSUB -> out.setBody(folders.lsub(r.reference(), r.pattern()));
            case STATUS -> status(folders.status(folder), out);
            case SEARCH -> {
                FolderState state = s.open(folder, true);
                ImapMessageOperations.Found found = messages.searchUids(r.search().key(), clock.instant(),
                        OperationRequest.MAX_UIDS);
                if (found.total() > found.uids().size()) {
                    LOG.warn("search in {} found {} messages; the first {} are in the result", folder, found.total(),
                            found.uids().size());
                }
                out.setHeader(CatalystMailConstants.UID_VALIDITY, state.uidValidity());
                out.setHeader(CatalystMailConstants.UIDS, found.uids());
                out.setBody(found.uids());
            }
            case FETCH -> {
                return fetch(r, s, folder, exchange);
            }
            case STORE -> {
                openForUids(r, s, folder, false);
                s.changeSending();
                messages.store(r.uids(), r.storeMode(), r.flags());
            }
            case COPY -> {
                out.setHeader(CatalystMailConstants.UID_VALIDITY, openForUids(r, s, folder, false).uidValidity());
                s.changeSending();
                copied(messages.copy(r.uids(), destination), out);
            }
            case MOVE -> {
                out.setHeader(CatalystMailConstants.UID_VALIDITY, openForUids(r, s, folder, false).uidValidity());
                s.changeSending();
                ImapMessageOperations.Moved moved = messages.move(r.uids(), destination);
                copied(moved.copied(), out);
                if (!moved.expunged() && !warnedNoUidplusMove) {
                    warnedNoUidplusMove = true;
                    LOG.warn("IMAP server {} offers neither MOVE nor UIDPLUS: moved messages were copied and flagged"
                            + " \\Deleted in {}, not expunged (a plain EXPUNGE would also remove what other clients"
                            + " flagged); expunge them with operation=expunge", s.connection().settings().describe(),
                            folder);
                }
            }
            case EXPUNGE -> {
                openForUids(r, s, folder, false);
                s.changeSending();
                if (r.uids() == null) {
                    messages.expungeAll();
                } else if (!messages.expunge(r.uids())) {
                    throw new IllegalStateException(server(s)
                            + " offers no UIDPLUS, so the given UIDs cannot be expunged alone (RFC 4315); a plain"
                            + " EXPUNGE (operation=expunge without " + CatalystMailConstants.UIDS + ") removes every"
                            + " message flagged \\Deleted in " + folder);
                }
            }
            case CHECK -> {
                s.open(folder, false);
                folders.check();
            }
            case CLOSE -> {
                s.open(folder, false);
                s.changeSending(); // CLOSE expunges what is flagged \Deleted (RFC 3501 §6.4.2)
                folders.close();
            }
            default -> throw new IllegalArgumentException(op + " is not an IMAP operation");
        }
        return null;
    }

    /** A RENAME or DELETE, counted whatever its answer, so every connection of the pool opens its folder anew. */
    private static void changingFolders(ImapOperationSession s, FolderChange change) throws IOException {
        try {
            s.changeSending();
            change.run();
        } finally {
            s.foldersChanged();
        }
    }

    @FunctionalInterface
    private interface FolderChange {
        void run() throws IOException;
    }

    private static void status(Map<String, Long> status, Message out) {
        header(out, CatalystMailConstants.MESSAGES, status.get("MESSAGES"));
        header(out, CatalystMailConstants.UNSEEN, status.get("UNSEEN"));
        header(out, CatalystMailConstants.RECENT, status.get("RECENT"));
        header(out, CatalystMailConstants.UID_NEXT, status.get("UIDNEXT"));
        header(out, CatalystMailConstants.UID_VALIDITY, status.get("UIDVALIDITY"));
        header(out, CatalystMailConstants.HIGHEST_MODSEQ, status.get("HIGHESTMODSEQ"));
        out.setBody(status);
    }

    /**
     * Opens the folder of an operation on UIDs, refusing UIDs read under another UIDVALIDITY than the folder's now
     * ({@link UidsOrigin}; their folder was checked in {@link #run}); operations without UIDs pass unchecked.
     */
    private static FolderState openForUids(OperationRequest r, ImapOperationSession s, String folder, boolean readOnly)
            throws IOException {
        FolderState state = s.open(folder, readOnly);
        r.uidsOrigin().checkUidValidity(name(r.operation()), server(s), folder, state.uidValidity());
        return state;
    }

    static String server(ImapOperationSession s) {
        return "IMAP server " + s.connection().settings().describe();
    }

    private static void header(Message out, String name, Object value) {
        if (value != null) {
            out.setHeader(name, value);
        }
    }

    private static void copied(ImapMessageOperations.Copied copied, Message out) {
        if (copied.uidValidity() > 0) {
            // COPYUID (RFC 4315 §3) pairs its source and destination sets by position, in the server's order of the
            // source set, not the header's; a source UID that was gone has no destination. Only the positions both
            // sets have are kept (a server that sent sets of different lengths)
            int paired = Math.min(copied.sourceUids().size(), copied.targetUids().size());
            out.setHeader(CatalystMailConstants.DESTINATION_UIDS, new ArrayList<>(copied.targetUids().subList(0, paired)));
        }
    }

    /**
     * The messages of a fetch, found by UID or by search, mapped by the {@link MessageFetcher}. One message becomes
     * the exchange's message; several a list of messages, in UID order, which a split turns into one exchange each,
     * or, when streamed, a {@link StreamedFetch} the caller lends the connection to. Messages above maxMessageSize
     * are not downloaded: a single one fails the exchange, of several they are left out and named in a header.
     */
    private StreamedFetch fetch(OperationRequest r, ImapOperationSession s, String folder, Exchange exchange)
            throws IOException {
        FolderState state = openForUids(r, s, folder, true);
        List<Long> uids = r.uids();
        if (r.searchSetAside() && !warnedSearchSetAside) {
            warnedSearchSetAside = true;
            LOG.warn("fetch from {} on {} got both {} and a search: it fetches the UIDs and does not search (remove the"
                    + " header before a fetch that should search; warned once per endpoint)", folder,
                    s.connection().settings().describe(), CatalystMailConstants.UIDS);
        }
        if (uids == null) {
            // a streamed fetch holds one round at a time, so it may take as many as one operation may name
            int max = r.streamed() ? OperationRequest.MAX_UIDS : maxFetched;
            ImapMessageOperations.Found found = s.messages().searchUids(r.search().key(), clock.instant(), max);
            if (found.total() > found.uids().size()) {
                LOG.warn("fetch in {} found {} messages; the first {} by UID are fetched", folder, found.total(),
                        found.uids().size());
            }
            uids = found.uids();
        }
        Map<Long, MessageTooLargeException> tooLarge = new LinkedHashMap<>(fetcher.oversized(s, uids));
        boolean single = r.uids() != null && r.uids().size() == 1;
        if (single && !tooLarge.isEmpty()) {
            throw tooLarge.values().iterator().next();
        }
        List<Long> wanted = uids.stream().filter(uid -> !tooLarge.containsKey(uid)).toList();
        Message out = exchange.getMessage();
        if (r.streamed() && !single) {
            oversized(folder, tooLarge, out);
            out.setHeader(CatalystMailConstants.UIDS, wanted);
            out.setHeader(CatalystMailConstants.UID_VALIDITY, state.uidValidity());
            StreamedFetch streamed = new StreamedFetch(s, fetcher, wanted, roundSize, folder, state.uidValidity(),
                    exchange, roundTimeout, serverName);
            out.setBody(streamed);
            return streamed;
        }
        SortedMap<Long, Message> byUid = fetcher.fetch(s, wanted, folder, state.uidValidity(), exchange, tooLarge);
        if (single && !tooLarge.isEmpty()) {
            throw tooLarge.values().iterator().next();
        }
        if (single && byUid.size() == 1) {
            exchange.setMessage(byUid.values().iterator().next());
        } else {
            out.setBody(new ArrayList<>(byUid.values()));
            out.setHeader(CatalystMailConstants.UIDS, new ArrayList<>(byUid.keySet()));
            out.setHeader(CatalystMailConstants.UID_VALIDITY, state.uidValidity());
            oversized(folder, tooLarge, out);
        }
        return null;
    }

    /** Names the messages left out for their size, in a header and in the log: they stay on the server unread. */
    private static void oversized(String folder, Map<Long, MessageTooLargeException> tooLarge, Message out) {
        if (!tooLarge.isEmpty()) {
            out.setHeader(CatalystMailConstants.OVERSIZED_UIDS, new ArrayList<>(tooLarge.keySet()));
            tooLarge.values().forEach(e -> LOG.warn("fetch from {} left out {}", folder, e.getMessage()));
        }
    }

    static String name(MailboxOperation op) {
        return op.name().toLowerCase(Locale.ROOT);
    }
}
