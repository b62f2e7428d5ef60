package io.catalystmail.camel.pop3;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.MailboxLimits;
import io.catalystmail.camel.net.ConnectionSettings;

/**
 * The maildrop listing commands of POP3 (RFC 1939 §5): STAT (count and size), LIST (sizes by message number) and
 * UIDL (unique ids by message number), on a logged-in {@link Pop3MailboxSession}. Listings are bounded by
 * {@code maxLines}; message numbers only hold for one session. Retrieval and deletion stay with the consumer.
 */
public final class Pop3Maildrop implements AutoCloseable {

    private static final Pattern FIELDS = Pattern.compile(" +");

    private final Pop3MailboxSession session;
    private final int maxLines;

    private Pop3Maildrop(Pop3MailboxSession session, int maxLines) {
        this.session = session;
        this.maxLines = maxLines;
    }

    /** Connects and logs in. */
    public static Pop3Maildrop open(ConnectionSettings settings, Credentials credentials, MailboxLimits limits)
            throws IOException {
        Pop3MailboxSession session = new Pop3MailboxSession(settings, credentials, limits);
        session.open();
        return new Pop3Maildrop(session, limits.maxListedMessages());
    }

    /** Count and total size in octets, from {@code +OK nn mm}. */
    public record Stat(long messages, long size) {
    }

    public Stat stat() throws IOException {
        Pop3Connection c = session.connection();
        c.send("STAT");
        Pop3Reply reply = c.readReply();
        if (!reply.ok()) {
            throw new IOException("POP3 server " + c.describe() + " refused STAT: " + reply);
        }
        String[] fields = FIELDS.split(reply.text().strip());
        try {
            return new Stat(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IOException("POP3 server " + c.describe() + " answered STAT with '" + reply
                    + "', not a count and a size (RFC 1939 §5)");
        }
    }

    /** LIST: each message's size by message number. */
    public Map<Integer, Long> list() throws IOException {
        Map<Integer, Long> sizes = new LinkedHashMap<>();
        listing("LIST", (number, value) -> sizes.put(number, Long.parseLong(value)));
        return sizes;
    }

    /** UIDL (RFC 1939 §7): each message's unique id by message number. */
    public Map<Integer, String> uidl() throws IOException {
        Map<Integer, String> ids = new LinkedHashMap<>();
        listing("UIDL", ids::put);
        return ids;
    }

    @FunctionalInterface
    private interface Entry {
        void accept(int number, String value);
    }

    private void listing(String command, Entry entry) throws IOException {
        Pop3Connection c = session.connection();
        c.send(command);
        Pop3Reply reply = c.readReply();
        if (!reply.ok()) {
            throw new IOException("POP3 server " + c.describe() + " refused " + command + ": " + reply);
        }
        int[] count = { 0 };
        c.readLines(line -> {
            if (count[0]++ >= maxLines) {
                return; // read to the end so the connection stays in step, keep no more
            }
            String[] fields = FIELDS.split(line, 2);
            try {
                entry.accept(Integer.parseInt(fields[0]), fields[1].strip());
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IOException("POP3 server " + c.describe() + " sent a " + command + " line that is not"
                        + " 'number value': " + (line.length() > 80 ? line.substring(0, 80) + "..." : line));
            }
        });
    }

    /** QUIT, which deletes nothing here: this class marks nothing for deletion. */
    @Override
    public void close() {
        session.close();
    }
}
