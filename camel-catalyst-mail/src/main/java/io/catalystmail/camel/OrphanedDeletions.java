package io.catalystmail.camel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import io.catalystmail.camel.imap.ImapMailboxSession;
import io.catalystmail.camel.imap.OrphanedFlags;
import io.catalystmail.camel.mailbox.MessageRef;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expunges IMAP messages that a node flagged \Deleted after routing them and then died before its expunge (or
 * that this node's lost session flagged). Such messages are never routed again, as every search asks for
 * UNDELETED, but they stay in the folder until someone expunges them. Two marks tell them from messages another
 * client flagged, which are left alone:
 * <ul>
 * <li>the keyword {@code $CatalystMailDone}, which a consumer sets in the same UID STORE as \Deleted where the
 * folder keeps it (RFC 3501 §7.1 PERMANENTFLAGS): set only after a successful route, so such a message is expunged
 * whatever the idempotent repository says (an orphan-lock repository forgets a dead node's keys after its lock
 * age; without a repository, a restarted node finds them);</li>
 * <li>the message's key in the idempotent repository, for messages flagged without the keyword (a server that does
 * not keep it, an older version).</li>
 * </ul>
 * Run when a session opens and, with a repository, on polls that find nothing to route, so a busy mailbox pays
 * nothing for it; in the eager mode (several nodes) on every poll, one UID SEARCH, a second only when something is
 * flagged. Never where nothing found could be expunged: without UIDPLUS, or without a repository in a folder that
 * does not keep the keyword.
 */
final class OrphanedDeletions {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedDeletions.class);
    /** Most flagged messages looked at per call; the rest wait for the next. */
    private static final int MAX_ORPHANS = 10_000;

    private OrphanedDeletions() {
    }

    /**
     * @param repository the idempotent repository, or null
     * @param fresh      the session was opened for this poll: without a repository, only then (after a restart or a
     *                   lost connection) is the folder searched, so an idle poll costs nothing more
     */
    static void expungeKnown(ImapMailboxSession session, IdempotentRepository repository, boolean delete,
            boolean fresh) throws IOException {
        OrphanedFlags folder = session.orphans();
        // without UIDPLUS, or with neither the keyword nor a repository to tell an orphan, nothing could be expunged
        if (!delete || repository == null && !fresh || !folder.worthSearching(repository != null)) {
            return;
        }
        List<MessageRef> flagged = folder.flaggedDeleted(MAX_ORPHANS);
        if (flagged.isEmpty()) {
            return;
        }
        List<MessageRef> done = folder.flaggedDone(flagged);
        Set<MessageRef> marked = Set.copyOf(done);
        List<MessageRef> known = repository == null ? List.of() : flagged.stream()
                .filter(ref -> !marked.contains(ref) && repository.contains(ref.identity())).toList();
        List<MessageRef> orphans = new ArrayList<>(done);
        orphans.addAll(known);
        orphans.sort(Comparator.comparingLong(MessageRef::uid));
        if (!orphans.isEmpty() && folder.expungeFlagged(orphans)) {
            LOG.info("Expunged {} message(s) flagged \\Deleted after routing whose expunge never came ({} marked {},"
                     + " {} known to the idempotent repository)", orphans.size(), done.size(), "$CatalystMailDone",
                    known.size());
        }
    }
}
