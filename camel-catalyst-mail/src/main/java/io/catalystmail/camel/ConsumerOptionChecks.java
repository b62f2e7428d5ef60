package io.catalystmail.camel;

import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.pop3.Pop3MailboxSession;

/**
 * The consumer's options that only make sense together, checked before anything connects: each contradiction fails
 * the route's (or a ConsumerTemplate's) consumer with what to change, instead of a poll that misbehaves.
 */
final class ConsumerOptionChecks {

    private ConsumerOptionChecks() {
    }

    /**
     * @param pop3 whether the endpoint reads a POP3 maildrop
     * @return the search options parsed into one filter
     * @throws IllegalArgumentException naming the option and what is wrong with it (for search syntax, the term,
     *                                  its position and what was expected there)
     */
    static SearchFilter check(CatalystMailConfiguration config, boolean pop3) {
        SearchFilter filter = SearchFilter.fromOptions(config.getSearch(), config.getSearchFrom(), config.getSearchTo(),
                config.getSearchSubject(), config.getSearchBody(), config.getSince(), config.getBefore());
        ExchangeRouting.requireFolderName(config.getFolder(), "option folder");
        ExchangeRouting.requireFolderName(config.getMoveTo(), "option moveTo");
        ExchangeRouting.requireFolderName(config.getCopyTo(), "option copyTo");
        ExchangeRouting.requireFolderName(config.getMoveFailedTo(), "option moveFailedTo");
        if (pop3) {
            rejectImapOnlyOptions(config);
            Pop3MailboxSession.checkFilter(filter);
        }
        checkIdempotency(config, pop3);
        return filter;
    }

    private static void rejectImapOnlyOptions(CatalystMailConfiguration config) {
        if (config.isIdle()) {
            throw new IllegalArgumentException("idle=true needs IMAP IDLE; POP3 has no push delivery, so a POP3"
                                               + " consumer polls on the schedule (option delay): remove idle");
        }
        if (config.getMoveTo() != null || config.getCopyTo() != null || config.getMoveFailedTo() != null) {
            throw new IllegalArgumentException("moveTo, copyTo and moveFailedTo need folders, which POP3 does not have");
        }
        if (!"INBOX".equalsIgnoreCase(config.getFolder())) {
            throw new IllegalArgumentException("POP3 reads only INBOX, but folder=" + config.getFolder());
        }
    }

    private static void checkIdempotency(CatalystMailConfiguration config, boolean pop3) {
        // a POP3 consumer with unseen=true remembers UIDLs in a repository of its own (SeenUidls)
        boolean remembers = config.getIdempotentRepository() != null || (pop3 && config.isUnseen());
        if (config.isIdempotentEager()) {
            if (!remembers) {
                throw new IllegalArgumentException("idempotentEager=true needs an idempotentRepository to reserve"
                                                   + " messages in");
            }
            if (config.getIdempotentKey() != IdempotentKey.LOCATION) {
                throw new IllegalArgumentException("idempotentEager=true reserves keys before fetching, so it needs"
                                                   + " idempotentKey=LOCATION (a Message-ID is not known for every"
                                                   + " message before the fetch)");
            }
        } else if (config.isIdempotentRemoveOnCommit()) {
            throw new IllegalArgumentException("idempotentRemoveOnCommit=true removes the keys of reservations, so it"
                                               + " needs idempotentEager=true (the default mode keeps a record of what"
                                               + " was processed, as Camel's idempotent consumer does)");
        }
        if (config.isIdempotentRemoveOnCommit() && pop3) {
            throw new IllegalArgumentException("idempotentRemoveOnCommit=true is for IMAP: identical copies of"
                                               + " a message may share a POP3 UIDL (RFC 1939 §7), an IMAP UID is never"
                                               + " given again");
        }
    }
}
