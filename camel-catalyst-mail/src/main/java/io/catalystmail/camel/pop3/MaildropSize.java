package io.catalystmail.camel.pop3;

import io.catalystmail.camel.mailbox.MailboxLimits;

/**
 * What bounds a listing of the maildrop: the messages STAT counted (RFC 1939 §5; the maildrop does not change during
 * the session), as far as that count is believed, and the highest message number a line may name, which is higher
 * by the messages deleted in this session (their numbers stay taken until QUIT, §6, and STAT no longer counts them).
 * STAT is the server's word: a count above what a poll would ever work through
 * ({@link MailboxLimits#mostMessagesBelieved}) is believed only that far, and without a STAT answer that far too, so
 * a listing without end is cut there, not read until fetchTimeout.
 *
 * @param count         the most valid lines a listing may have
 * @param highestNumber the highest message number a line may name
 * @param what          the count, named for an error
 */
record MaildropSize(long count, long highestNumber, String what) {

    /**
     * @param stat      STAT's count, -1 when the server refused STAT or answered it otherwise than the RFC says
     * @param deleted   messages deleted in this session
     */
    static MaildropSize of(long stat, int deleted, MailboxLimits limits) {
        long believable = limits.mostMessagesBelieved();
        long count = stat < 0 ? believable : Math.min(stat, believable);
        String why = MailboxLimits.BELIEVED;
        String what = stat < 0 ? "the " + count + " message(s) a maildrop is believed to hold (no count from STAT; "
                + why + ")"
                : count < stat ? "the " + count + " message(s) the maildrop is believed to hold (STAT said " + stat
                + "; " + why + ")"
                : "the " + count + " message(s) STAT counted in the maildrop";
        return new MaildropSize(count, Math.min(Integer.MAX_VALUE, count + deleted), what);
    }
}
