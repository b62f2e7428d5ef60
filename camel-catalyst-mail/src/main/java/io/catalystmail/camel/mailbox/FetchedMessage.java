package io.catalystmail.camel.mailbox;

import java.io.InputStream;
import java.time.Instant;
import java.util.Set;

/**
 * A message as it streams in from the server. {@link #content()} is only valid inside the
 * {@link MailboxSession.MessageHandler} call that received it: it reads the message straight from the socket.
 *
 * @param ref          which message
 * @param flags        IMAP flags at fetch time (empty over POP3)
 * @param internalDate IMAP INTERNALDATE, null over POP3
 * @param size         exact size of the content in octets, -1 when not known in advance
 * @param content      the RFC 822 bytes, exactly as stored on the server
 */
public record FetchedMessage(MessageRef ref, Set<String> flags, Instant internalDate, long size, InputStream content) {

    /** Whether the server's FETCH answer showed the message \Seen (its FLAGS, RFC 3501 §7.4.2); never over POP3. */
    public boolean seen() {
        return has("\\Seen");
    }

    /** Whether the server's FETCH answer showed the message flagged \Deleted (another session flagged it). */
    public boolean deleted() {
        return has("\\Deleted");
    }

    /** System flags are case-insensitive (RFC 3501 §9, flag-keyword and atom rules). */
    private boolean has(String flag) {
        for (String f : flags) {
            if (f.equalsIgnoreCase(flag)) {
                return true;
            }
        }
        return false;
    }
}
