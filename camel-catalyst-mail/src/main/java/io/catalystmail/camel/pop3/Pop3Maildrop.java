package io.catalystmail.camel.pop3;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.MailboxLimits;
import io.catalystmail.camel.net.ConnectionSettings;

/**
 * The maildrop listing commands of POP3 (RFC 1939 §5): STAT (count and size), LIST (sizes by message number) and
 * UIDL (unique ids by message number), on a logged-in {@link Pop3MailboxSession}, each under fetchTimeout. A listing
 * is checked line by line against the count STAT gives ({@link ListingLines}, as the consumer's): a line beyond it
 * fails the listing at once, a bad or repeated line is skipped and named; at most maxListedMessages entries are kept.
 * Message numbers only hold for one session. Retrieval and deletion stay with the consumer.
 */
public final class Pop3Maildrop implements AutoCloseable {

    private static final Pattern FIELDS = Pattern.compile("\\s+");

    private final Pop3MailboxSession session;
    private final MailboxLimits limits;

    private Pop3Maildrop(Pop3MailboxSession session, MailboxLimits limits) {
        this.session = session;
        this.limits = limits;
    }

    /** Connects and logs in. */
    public static Pop3Maildrop open(ConnectionSettings settings, Credentials credentials, MailboxLimits limits)
            throws IOException {
        Pop3MailboxSession session = new Pop3MailboxSession(settings, credentials, limits);
        session.open();
        return new Pop3Maildrop(session, limits);
    }

    /** Count and total size in octets, from {@code +OK nn mm}. */
    public record Stat(long messages, long size) {
    }

    public Stat stat() throws IOException {
        Stat[] stat = { null };
        session.guarded("STAT", c -> {
            Pop3Reply reply = statReply(c);
            if (!reply.ok()) {
                throw new Pop3RefusedException("POP3 server " + c.describe() + " refused STAT: " + reply);
            }
            stat[0] = stat(reply);
            if (stat[0] == null) {
                throw new IOException("POP3 server " + c.describe() + " answered STAT with '" + reply
                        + "', not a count and a size (RFC 1939 §5)");
            }
        });
        return stat[0];
    }

    private static Pop3Reply statReply(Pop3Connection c) throws IOException {
        c.send("STAT");
        return c.readReply();
    }

    /** {@code +OK count size}; null for any other answer. */
    private static Stat stat(Pop3Reply reply) {
        String[] fields = reply.ok() ? FIELDS.split(reply.text().strip()) : new String[0];
        long messages = fields.length < 2 ? -1 : ListingLines.parseNumberOrInvalid(fields[0]);
        long size = fields.length < 2 ? -1 : ListingLines.parseNumberOrInvalid(fields[1]);
        return messages < 0 || size < 0 ? null : new Stat(messages, size);
    }

    /** LIST: each message's size by message number. */
    public Map<Integer, Long> list() throws IOException {
        Map<Integer, Long> sizes = new TreeMap<>();
        listing("LIST", sizes, line -> {
            long size = line.valueAsNumber();
            return size < 0 ? null : size;
        });
        return sizes;
    }

    /** UIDL (RFC 1939 §7): each message's unique id by message number. */
    public Map<Integer, String> uidl() throws IOException {
        Map<Integer, String> ids = new TreeMap<>();
        listing("UIDL", ids, ListingLine::value);
        return ids;
    }

    /**
     * STAT, then {@code command}, its lines checked against STAT's count; {@code value} reads a line's value, null
     * when it is unusable (the line is skipped and named then).
     */
    private <V> void listing(String command, Map<Integer, V> kept, Function<ListingLine, V> value) throws IOException {
        session.guarded(command, c -> {
            // the maildrop does not change during the session (RFC 1939 §8): STAT's count bounds the listing
            Stat counted = stat(statReply(c));
            ListingLines check = new ListingLines("POP3 server " + c.describe(), command,
                    MaildropSize.of(counted == null ? -1 : counted.messages(), 0, limits));
            c.send(command);
            Pop3Reply reply = c.readReply();
            if (!reply.ok()) {
                throw new Pop3RefusedException("POP3 server " + c.describe() + " refused " + command + ": " + reply);
            }
            c.readListing(line -> {
                V read = line.number() < 0 ? null : value.apply(line);
                int number = check.number(line, read != null, kept::remove);
                // read to the end so the connection stays in step; kept are the first maxListedMessages
                if (number > 0 && kept.size() < limits.maxListedMessages()) {
                    kept.put(number, read);
                }
            });
        });
    }

    /** QUIT, which deletes nothing here: this class marks nothing for deletion. */
    @Override
    public void close() {
        session.close();
    }
}
