package io.catalystmail.camel.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.catalystmail.camel.mailbox.MailboxLimits;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.net.ConnectionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deletions of an {@link ImapMailboxSession}'s folder that a node flagged and never expunged (it died first),
 * as the consumer finds and finishes them: the messages flagged \Deleted, which of them carry the done keyword
 * ({@link BatchedExpunge#DONE_KEYWORD}), their UID EXPUNGE; and whether the folder keeps that keyword at all
 * (PERMANENTFLAGS, RFC 3501 §7.1), which the log names once where it does not. Each search runs under fetchTimeout
 * and its answer is bounded (RFC 3501 §7.2.5 SEARCH lines carry no count): an answer without end is cut at what the
 * folder can hold, not read until the deadline.
 */
public final class OrphanedFlags {

    /** The session's category, where the keyword's INFO was logged before this class took it over. */
    private static final Logger LOG = LoggerFactory.getLogger(ImapMailboxSession.class);

    private final ImapMailboxSession session;
    private final FetchPipeline pipeline;
    private final BatchedExpunge deletions;
    private final ConnectionSettings settings;
    private final String folder;
    private final MailboxLimits limits;
    /** Whether the selected folder keeps the done keyword. */
    private boolean doneKeywordKept;
    /** Whether the log said that the folder does not keep the done keyword: once per session object. */
    private boolean doneKeywordRefusalTold;

    OrphanedFlags(ImapMailboxSession session, FetchPipeline pipeline, BatchedExpunge deletions,
            ConnectionSettings settings, String folder, MailboxLimits limits) {
        this.session = session;
        this.pipeline = pipeline;
        this.deletions = deletions;
        this.settings = settings;
        this.folder = folder;
        this.limits = limits;
    }

    /** Takes what SELECT said of the folder: whether it keeps the done keyword; deletions are flagged to match. */
    void selected(FolderState state) {
        doneKeywordKept = state.keeps(BatchedExpunge.DONE_KEYWORD);
        deletions.markDone(doneKeywordKept);
    }

    /**
     * Whether a search for orphans could end in an expunge: UID EXPUNGE needs UIDPLUS (a plain EXPUNGE would remove
     * what other clients flagged), and a flagged message is told for an orphan only by the done keyword, where the
     * folder keeps it, or by the idempotent repository. Otherwise the two searches would cost a round trip each for
     * nothing.
     *
     * @param repositoryKnowsKeys an idempotent repository is configured
     */
    public boolean worthSearching(boolean repositoryKnowsKeys) {
        return session.capabilities().has("UIDPLUS") && (doneKeywordKept || repositoryKnowsKeys);
    }

    /**
     * A folder that does not keep the done keyword: deletions are flagged \Deleted alone, as before the keyword
     * existed; said once, as it changes what another node can finish after this one dies (several-nodes.adoc).
     */
    void tellDoneKeywordRefusedOnce() {
        if (!doneKeywordKept && !doneKeywordRefusalTold) {
            doneKeywordRefusalTold = true;
            LOG.info("IMAP server {} does not let clients create the keyword {} in folder '{}' (PERMANENTFLAGS, RFC"
                     + " 3501 §7.1): routed messages are flagged \\Deleted alone, and what a node flagged and could not"
                     + " expunge before it died is expunged by another only while the idempotent repository knows it",
                    settings.describe(), BatchedExpunge.DONE_KEYWORD, folder);
        }
    }

    /**
     * What is flagged \Deleted and not expunged, at most {@code limit}, ascending, as refs of this folder: what a node
     * flagged before it died is among it, next to what another client flagged. The answer may name no more messages
     * than the folder holds plus maxListedMessages ({@link ImapMessageOperations.AnswerSize#ofFolder}).
     */
    public List<MessageRef> flaggedDeleted(int limit) throws IOException {
        List<Long> uids = session.timed("UID SEARCH DELETED", () -> {
            ImapConnection c = session.openConnection();
            pipeline.settle(c);
            ImapCommand search = new ImapCommand("UID SEARCH").raw("DELETED");
            ImapMessageOperations.AnswerSize size = ImapMessageOperations.AnswerSize.ofFolder(c, limits);
            return searchUids(c, search.boundSearchAnswer(size.entries(), size.why()), limit);
        });
        List<MessageRef> refs = new ArrayList<>(uids.size());
        for (long uid : uids) {
            refs.add(new MessageRef(Long.toString(uid), 0, -1, null, session.identity(uid)));
        }
        return refs;
    }

    /**
     * Which of {@code flagged} (flagged \Deleted) a catalystmail consumer flagged after routing: those carrying the
     * done keyword too, found by UID SEARCH (§6.4.4), one per piece of the set ({@link UidSet#pieces}), asked after
     * the plain DELETED search, which brings this session up to date with keywords another session created meanwhile
     * (Dovecot answered a KEYWORD search for a keyword new to the session with nothing). Each answer may name no more
     * than the messages its piece asks about. None where the folder does not keep the keyword: nobody could set it,
     * and a KEYWORD search is not risked on such a server.
     */
    public List<MessageRef> flaggedDone(List<MessageRef> flagged) throws IOException {
        if (!doneKeywordKept || flagged.isEmpty()) {
            return List.of();
        }
        List<Long> asked = flagged.stream().map(MessageRef::uid).toList();
        List<Long> done = session.timed("UID SEARCH DELETED KEYWORD", () -> {
            ImapConnection c = session.openConnection();
            pipeline.settle(c);
            List<Long> found = new ArrayList<>();
            // one search per piece of the set: thousands of scattered flagged UIDs would pass a line's length
            for (UidSet.Piece piece : UidSet.pieces(asked)) {
                int size = piece.uids().size();
                ImapCommand search = new ImapCommand("UID SEARCH").raw("UID").raw(piece.set()).raw("DELETED")
                        .raw("KEYWORD").raw(BatchedExpunge.DONE_KEYWORD)
                        .boundSearchAnswer(size, "the " + size + " flagged message(s) asked about");
                found.addAll(searchUids(c, search, size));
            }
            return found;
        });
        Set<Long> doneUids = Set.copyOf(done);
        return flagged.stream().filter(ref -> doneUids.contains(ref.uid())).toList();
    }

    /** {@link BatchedExpunge#expungeFlagged}: exactly these refs, with UIDPLUS only; whether it was asked. */
    public boolean expungeFlagged(List<MessageRef> refs) throws IOException {
        return session.timed("UID EXPUNGE", () -> deletions.expungeFlagged(session.openConnection(),
                refs.stream().map(MessageRef::uid).toList()));
    }

    /** The UIDs {@code search} found, at most {@code limit}, ascending. */
    private static List<Long> searchUids(ImapConnection c, ImapCommand search, int limit) throws IOException {
        UidRanges found = new UidRanges(ImapLimits.DEFAULT.maxSearchResults());
        c.execute(search, r -> {
            // the reader gives each SEARCH line its own ranges; a server may split the answer over lines
            if (r.isUntagged("SEARCH") && !r.values().isEmpty() && r.values().get(0) instanceof UidRanges line) {
                found.addAll(line);
            }
        }, null);
        return found.first(limit, false);
    }
}
