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

    public MailboxLimits {
        if (maxListedMessages < 1 || maxMessageSize < 1) {
            throw new IllegalArgumentException("maxListedMessages and maxMessageSize must be positive: "
                    + maxListedMessages + ", " + maxMessageSize);
        }
    }
}
