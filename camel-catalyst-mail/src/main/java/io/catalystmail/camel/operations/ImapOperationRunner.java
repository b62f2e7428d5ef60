package io.catalystmail.camel.operations;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.imap.FetchData;
import io.catalystmail.camel.imap.FolderState;
import io.catalystmail.camel.imap.ImapFolderOperations;
import io.catalystmail.camel.imap.ImapMessageOperations;
import io.catalystmail.camel.mime.MessageMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.DefaultAttachmentMessage;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one checked {@link OperationRequest} on a logged-in {@link ImapOperationSession} and writes the result
 * into the exchange: headers for what the server reported (UIDs, UIDVALIDITY, counts), the body for lists and
 * fetched messages. Folder names are resolved here (special use, namespace), after the request was checked.
 */
final class ImapOperationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ImapOperationRunner.class);

    private final MessageMapper mapper;
    private final int maxFetched;
    private final Clock clock;
    private boolean warnedNoUidplusMove;

    /** @param maxFetched most messages one fetch by search maps */
    ImapOperationRunner(MessageMapper mapper, int maxFetched, Clock clock) {
        this.mapper = mapper;
        this.maxFetched = maxFetched;
        this.clock = clock;
    }

    /**
     * @param message        the message an append stores, spooled already; null for other operations
     * @param resolvedFolder receives the server's name of the folder worked on (null for list and lsub) as soon as it
     *                       is known, so a refusal can name it
     */
    void run(OperationRequest r, ImapOperationSession s, Exchange exchange, SpooledMessage message,
            String[] resolvedFolder) throws IOException {
        Message out = exchange.getMessage();
        ImapFolderOperations folders = s.folders();
        ImapMessageOperations messages = s.messages();
        MailboxOperation op = r.operation();
        String folder = op == MailboxOperation.LIST || op == MailboxOperation.LSUB ? null : s.resolve(r.folder());
        resolvedFolder[0] = folder;
        if (folder != null) {
            out.setHeader(CatalystMailConstants.FOLDER, folder);
        }
        switch (op) {
            case APPEND -> {
                ImapFolderOperations.Appended appended = folders.append(folder, r.flags(), r.internalDate(), message);
                if (appended.uid() > 0) {
                    out.setHeader(CatalystMailConstants.UID, appended.uid());
                    out.setHeader(CatalystMailConstants.UID_VALIDITY, appended.uidValidity());
                }
            }
            case CREATE -> folders.create(folder);
            case DELETE -> folders.delete(folder);
            case RENAME -> folders.rename(folder, s.resolve(r.destination()));
            case SUBSCRIBE -> folders.subscribe(folder);
            case UNSUBSCRIBE -> folders.unsubscribe(folder);
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
            case FETCH -> fetch(r, s, folder, exchange);
            case STORE -> {
                s.open(folder, false);
                messages.store(r.uids(), r.storeMode(), r.flags());
            }
            case COPY -> {
                out.setHeader(CatalystMailConstants.UID_VALIDITY, s.open(folder, false).uidValidity());
                copied(messages.copy(r.uids(), s.resolve(r.destination())), out);
            }
            case MOVE -> {
                out.setHeader(CatalystMailConstants.UID_VALIDITY, s.open(folder, false).uidValidity());
                ImapMessageOperations.Moved moved = messages.move(r.uids(), s.resolve(r.destination()));
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
                s.open(folder, false);
                if (r.uids() == null) {
                    messages.expungeAll();
                } else if (!messages.expunge(r.uids())) {
                    throw new IllegalStateException("IMAP server " + s.connection().settings().describe()
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
                folders.close();
            }
            default -> throw new IllegalArgumentException(op + " is not an IMAP operation");
        }
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

    private static void header(Message out, String name, Object value) {
        if (value != null) {
            out.setHeader(name, value);
        }
    }

    private static void copied(ImapMessageOperations.Copied copied, Message out) {
        if (copied.uidValidity() > 0) {
            // COPYUID lists source and target in matching order; the caller's order may differ, so map through it
            Map<Long, Long> byUid = new LinkedHashMap<>();
            for (int i = 0; i < Math.min(copied.sourceUids().size(), copied.targetUids().size()); i++) {
                byUid.put(copied.sourceUids().get(i), copied.targetUids().get(i));
            }
            out.setHeader(CatalystMailConstants.DESTINATION_UIDS, new ArrayList<>(byUid.values()));
        }
    }

    /**
     * UID FETCH of the whole message (BODY.PEEK[]: nothing changes, \Seen included), each mapped like the
     * consumer maps it while it streams from the socket. One message becomes the exchange's message; several a
     * list of messages, in UID order, which a split turns into one exchange each.
     */
    private void fetch(OperationRequest r, ImapOperationSession s, String folder, Exchange exchange)
            throws IOException {
        FolderState state = s.open(folder, true);
        List<Long> uids = r.uids();
        if (uids == null) {
            ImapMessageOperations.Found found = s.messages().searchUids(r.search().key(), clock.instant(), maxFetched);
            if (found.total() > found.uids().size()) {
                LOG.warn("fetch in {} found {} messages; the first {} by UID are fetched", folder, found.total(),
                        found.uids().size());
            }
            uids = found.uids();
        }
        Map<Long, AttachmentMessage> bySequence = new LinkedHashMap<>();
        Map<Long, Message> byUid = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        if (!uids.isEmpty()) {
            s.messages().fetch(uids, "(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])", data -> {
                AttachmentMessage m = bySequence.remove(data.sequence());
                if (m != null) {
                    headers(m, data, folder, state.uidValidity());
                    byUid.put(data.uid(), m);
                }
            }, (soFar, item, origin, length, content) -> {
                if (!item.equals("BODY[]") || origin > 0) {
                    return;
                }
                AttachmentMessage m = new DefaultAttachmentMessage(new DefaultMessage(exchange));
                try {
                    mapper.map(content, m);
                    bySequence.put(soFar.sequence(), m);
                } catch (io.catalystmail.camel.mime.MessageParseException e) {
                    // the rest of the answer is still read: the connection stays in step
                    failures.add("message " + soFar.sequence() + ": " + e.getMessage());
                }
            });
        }
        if (!failures.isEmpty()) {
            throw new IOException("fetch from " + folder + ": " + failures.size() + " message(s) could not be mapped: "
                    + String.join("; ", failures.subList(0, Math.min(5, failures.size()))));
        }
        Message out = exchange.getMessage();
        if (r.uids() != null && r.uids().size() == 1 && byUid.size() == 1) {
            exchange.setMessage(byUid.values().iterator().next());
        } else {
            out.setBody(new ArrayList<>(byUid.values()));
            out.setHeader(CatalystMailConstants.UIDS, new ArrayList<>(byUid.keySet()));
            out.setHeader(CatalystMailConstants.UID_VALIDITY, state.uidValidity());
        }
    }

    private static void headers(Message m, FetchData data, String folder, long uidValidity) {
        m.setHeader(CatalystMailConstants.FOLDER, folder);
        m.setHeader(CatalystMailConstants.UID, data.uid());
        m.setHeader(CatalystMailConstants.UID_VALIDITY, uidValidity);
        m.setHeader(CatalystMailConstants.FLAGS, data.flags());
        if (data.internalDate() != null) {
            m.setHeader(CatalystMailConstants.INTERNAL_DATE, data.internalDate());
        }
        if (data.size() >= 0) {
            m.setHeader(CatalystMailConstants.SIZE, data.size());
        }
    }

    static String name(MailboxOperation op) {
        return op.name().toLowerCase(Locale.ROOT);
    }
}
