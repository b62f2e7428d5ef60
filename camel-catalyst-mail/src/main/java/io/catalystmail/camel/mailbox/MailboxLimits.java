package io.catalystmail.camel.mailbox;

/**
 * Bounds on what a mailbox session builds from a server's answers, whatever the server sends.
 *
 * @param maxListedMessages most messages one listing returns (IMAP SEARCH results, POP3 UIDL and LIST lines); a
 *                          bigger mailbox is listed in the requested order up to this count, the rest in later polls
 * @param maxMessageSize    largest message fetched, in octets: a bigger one is refused from its announced size
 *                          (IMAP RFC822.SIZE, POP3 LIST) before it is downloaded, and while it streams when the
 *                          announcement was false
 */
public record MailboxLimits(int maxListedMessages, long maxMessageSize) {

    /** The defaults of the endpoint options maxListedMessages and maxMessageSize. */
    public static final MailboxLimits DEFAULT = new MailboxLimits(50_000, 256L * 1024 * 1024);

    /** A server's own count is believed up to this many times maxListedMessages ... */
    public static final int LISTINGS_BELIEVED = 20;
    /** ... and at least up to this many messages (20 x the default maxListedMessages). */
    public static final long MESSAGES_ALWAYS_BELIEVED = 1_000_000;
    /** How {@link #mostMessagesBelieved} is named in errors. */
    public static final String BELIEVED = "believed up to " + LISTINGS_BELIEVED + " x maxListedMessages, at least "
            + MESSAGES_ALWAYS_BELIEVED;

    public MailboxLimits {
        if (maxListedMessages < 1 || maxMessageSize < 1) {
            throw new IllegalArgumentException("maxListedMessages and maxMessageSize must be positive: "
                    + maxListedMessages + ", " + maxMessageSize);
        }
    }

    /**
     * The most messages a server's own count of a mailbox (IMAP EXISTS, POP3 STAT) is believed for where it bounds a
     * listing: the count is the server's word too, and a forged {@code 4294967295} would let an answer without end
     * run to fetchTimeout. {@value #LISTINGS_BELIEVED} polls' worth of maxListedMessages, never less than
     * {@value #MESSAGES_ALWAYS_BELIEVED}: more than any mailbox a poll is meant to work through.
     */
    public long mostMessagesBelieved() {
        return Math.max(MESSAGES_ALWAYS_BELIEVED, (long) LISTINGS_BELIEVED * maxListedMessages);
    }
}
