package io.catalystmail.camel;

import java.io.IOException;
import java.util.List;

import io.catalystmail.camel.imap.ImapMailboxSession;
import io.catalystmail.camel.mailbox.MessageRef;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expunges IMAP messages that a node flagged \Deleted after routing them and then died before its expunge (or
 * that this node's lost session flagged). Such messages are never routed again, as every search asks for
 * UNDELETED, but they stay in the folder until someone expunges them. Only those whose key the idempotent
 * repository holds are taken, so a message another client flagged is left alone; without a repository nothing is
 * done. Run when a session opens and on polls that find nothing to route, so a busy mailbox pays nothing for it;
 * in the eager mode (several nodes) on every poll, one UID SEARCH, because a repository that expires a dead
 * node's keys (orphan-lock JDBC) forgets them after its lock age.
 */
final class OrphanedDeletions {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedDeletions.class);
    /** Most flagged messages looked at per call; the rest wait for the next. */
    private static final int MAX_ORPHANS = 10_000;

    private OrphanedDeletions() {
    }

    static void expungeKnown(ImapMailboxSession session, IdempotentRepository repository, boolean delete)
            throws IOException {
        if (repository == null || !delete) {
            return;
        }
        List<MessageRef> known = session.flaggedDeleted(MAX_ORPHANS).stream()
                .filter(ref -> repository.contains(ref.identity())).toList();
        if (!known.isEmpty() && session.expungeFlagged(known)) {
            LOG.info("Expunged {} message(s) flagged \\Deleted after routing whose expunge never came", known.size());
        }
    }
}
