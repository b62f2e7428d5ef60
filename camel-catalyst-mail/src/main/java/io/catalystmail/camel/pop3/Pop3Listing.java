package io.catalystmail.camel.pop3;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

import io.catalystmail.camel.mailbox.MailboxLimits;
import io.catalystmail.camel.mailbox.MessageIdValues;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.mailbox.SentDate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists a maildrop for the consumer: UIDL and LIST pipelined, at most {@code maxListedMessages} kept, filters
 * evaluated on the client from the headers of {@code TOP n 0} (POP3 has no search), date orders from the Date
 * header.
 */
final class Pop3Listing {

    /** Separates the fields of STAT's answer. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private static final Logger LOG = LoggerFactory.getLogger(Pop3MailboxSession.class);

    private final Pop3Conversation conversation;
    private final Pop3Connection connection;
    private final MailboxLimits limits;
    private final int maxListed;
    private boolean whole;
    /**
     * The Message-IDs ({@link MessageIdValues#first}, null for one not learned) of the messages the last {@link #list}
     * read the header of (TOP n 0, for a filter or a date order) and kept, by identity: {@link #messageIds} answers
     * for them without a second TOP of the same header in the same poll.
     */
    private Map<String, String> headerMessageIds = Map.of();

    Pop3Listing(Pop3Conversation conversation, MailboxLimits limits) {
        this.conversation = conversation;
        this.connection = conversation.connection();
        this.limits = limits;
        this.maxListed = limits.maxListedMessages();
    }

    /**
     * The messages that match {@code filter}, in {@code order}, at most {@code limit} (0: all), leaving out those
     * {@code deleted} in this session (their numbers stay taken until QUIT, RFC 1939 §6).
     */
    List<MessageRef> list(SearchFilter filter, MessageOrder order, int limit, BitSet deleted, String username)
            throws IOException {
        whole = false;
        headerMessageIds = Map.of();
        MaildropSize[] maildrop = new MaildropSize[1];
        ListedUidls listed = new ListedUidls();
        long[] skipped = new long[1];
        String server = "POP3 server " + connection.describe();
        // STAT goes in the same write as UIDL and LIST: its answer comes first, so the count that bounds their
        // answers is known before their first line is read, and the listing costs one round trip, not two
        conversation.guarded("STAT, UIDL and LIST", () -> conversation.pipelined(List.of("STAT", "UIDL", "LIST"),
                (index, reply) -> {
            if (index == 0) {
                maildrop[0] = MaildropSize.of(messageCount(reply), deleted.cardinality(), limits);
                return;
            }
            if (!reply.ok()) {
                throw index == 1
                        ? new Pop3RefusedException(server + " does not support UIDL (" + reply + "); the consumer"
                                + " needs UIDL to tell new messages from ones already taken")
                        : new Pop3RefusedException(server + " refused LIST: " + reply);
            }
            if (index == 1) {
                readUidls(new ListingLines(server, "UIDL", maildrop[0]), listed, skipped);
            } else {
                listed.uidlsComplete();
                readSizes(new ListingLines(server, "LIST", maildrop[0]), listed);
            }
        }));
        if (skipped[0] > 0) {
            LOG.warn("POP3 server {} listed {} more messages than maxListedMessages={}; the first {} are taken in"
                    + " this poll, the rest in later ones", connection.describe(), skipped[0], maxListed, maxListed);
        }
        List<MessageRef> refs = refs(listed, deleted, username);
        boolean byDate = order == MessageOrder.DATE_ASCENDING || order == MessageOrder.DATE_DESCENDING;
        if (!filter.isAll() || byDate) {
            refs = matching(refs, filter, byDate);
        }
        if (byDate) {
            refs.sort(order == MessageOrder.DATE_DESCENDING ? SentDate.ORDER.reversed() : SentDate.ORDER);
        } else if (order == MessageOrder.UID_DESCENDING) {
            Collections.reverse(refs);
        }
        boolean cut = limit > 0 && refs.size() > limit;
        whole = skipped[0] == 0 && filter.isAll() && !cut && deleted.isEmpty();
        return cut ? new ArrayList<>(refs.subList(0, limit)) : refs;
    }

    /**
     * Reads UIDL's answer, keeping at most maxListedMessages UIDLs (the rest is read and dropped, counted in
     * {@code skipped}): a listing of millions of lines must not become millions of objects. One visitor per answer,
     * each small: every line of a poll runs through it, so it is compiled early and cheaply.
     */
    private void readUidls(ListingLines check, ListedUidls listed, long[] skipped) throws IOException {
        IntConsumer repeated = listed::drop;
        connection.readListing(line -> {
            int number = check.number(line, true, repeated);
            if (number < 0) {
                return;
            }
            if (listed.kept() < maxListed) {
                listed.add(number, line.value());
            } else {
                skipped[0]++;
            }
        });
    }

    /** Reads LIST's answer: the sizes of the messages UIDL listed (a message listed twice gets none). */
    private void readSizes(ListingLines check, ListedUidls listed) throws IOException {
        IntConsumer repeated = number -> listed.recordSize(number, -1);
        connection.readListing(line -> {
            int number = check.number(line, true, repeated);
            if (number >= 0) {
                listed.recordSize(number, line.valueAsNumber());
            }
        });
    }

    /**
     * The number of messages in the maildrop from STAT's {@code reply} (RFC 1939 §5), -1 when the server refused STAT
     * or answered it otherwise than the RFC says. The maildrop does not change during the session, so it bounds the
     * UIDL and LIST answers ({@link MaildropSize}): a listing without end is cut there, not read until fetchTimeout.
     */
    private static long messageCount(Pop3Reply reply) {
        String[] parts = reply.ok() ? WHITESPACE.split(reply.text(), 3) : new String[0];
        return parts.length < 2 ? -1 : ListingLines.parseNumberOrInvalid(parts[0]);
    }

    /** The messages listed, in ascending message number, less those {@code deleted} in this session. */
    private List<MessageRef> refs(ListedUidls listed, BitSet deleted, String username) {
        List<MessageRef> refs = new ArrayList<>(listed.kept());
        var settings = conversation.settings();
        String identityPrefix = PopUrl.prefix(username, settings.host(), settings.port());
        for (int i = 0; i < listed.count(); i++) {
            String uidl = listed.uidl(i);
            if (uidl != null && (deleted.isEmpty() || !deleted.get(listed.number(i)))) {
                refs.add(new MessageRef(uidl, listed.number(i), listed.size(i), null,
                        PopUrl.identity(identityPrefix, uidl)));
            }
        }
        return refs;
    }

    /** True when the last {@link #list} returned every message in the maildrop: no cap, filter or limit cut it. */
    boolean whole() {
        return whole;
    }

    /**
     * The Message-ID of each of {@code refs} by identity, from the header of {@code TOP n 0} (RFC 1939 §7), read by
     * the exchange's own header reader ({@link HeaderFacts}) so it is the key the exchange would carry. A refused TOP
     * (the message was deleted by another session, or the server lacks TOP) leaves the message out: it is retrieved
     * and checked as before. A header the listing read already (a filter, a date order) is not read again.
     */
    Map<String, String> messageIds(List<MessageRef> refs) throws IOException {
        Map<String, String> ids = new HashMap<>();
        List<MessageRef> unread = new ArrayList<>(headerMessageIds.isEmpty() ? refs.size() : 0);
        for (MessageRef ref : refs) {
            if (!headerMessageIds.containsKey(ref.identity())) {
                unread.add(ref);
            } else if (headerMessageIds.get(ref.identity()) != null) {
                ids.put(ref.identity(), headerMessageIds.get(ref.identity()));
            }
        }
        if (unread.isEmpty()) {
            return ids;
        }
        List<String> tops = unread.stream().map(r -> "TOP " + r.number() + " 0").toList();
        conversation.guarded("TOP (for the Message-IDs)", () -> conversation.pipelined(tops, (index, reply) -> {
            if (reply.ok()) {
                MessageRef ref = unread.get(index);
                DotTerminatedInputStream body = connection.body();
                String id = MessageIdValues.first(HeaderFacts.read(body, ref.size()).headerValues("Message-ID"));
                body.drain();
                if (id != null) {
                    ids.put(ref.identity(), id);
                }
            }
        }));
        return ids;
    }

    /** The refs whose headers (TOP n 0) match; with {@code withDates} each carries its sent date (the Date header). */
    private List<MessageRef> matching(List<MessageRef> refs, SearchFilter filter, boolean withDates)
            throws IOException {
        Instant now = Instant.now();
        List<MessageRef> matching = new ArrayList<>();
        Map<String, String> messageIds = new HashMap<>();
        List<String> tops = refs.stream().map(r -> "TOP " + r.number() + " 0").toList();
        conversation.guarded("TOP (for the search filter)", () -> conversation.pipelined(tops, (index, reply) -> {
            MessageRef ref = refs.get(index);
            if (!reply.ok()) {
                throw new Pop3RefusedException("POP3 server " + connection.describe() + " refused TOP for message "
                        + ref.number() + " (" + reply + "); filters on headers need TOP over POP3");
            }
            DotTerminatedInputStream body = connection.body();
            // no buffer in between: the header is read in bulk (InputStream.readNBytes), which the body stream serves
            HeaderFacts facts = HeaderFacts.read(body, ref.size());
            body.drain();
            if (filter.matches(facts, now)) {
                List<String> date = facts.headerValues("Date");
                matching.add(!withDates ? ref : new MessageRef(ref.id(), ref.number(), ref.size(),
                        SentDate.of(date.isEmpty() ? null : date.get(0), null), ref.identity()));
                // kept for messageIds (idempotentKey=MESSAGE_ID): this header is not TOPped twice in one poll
                messageIds.put(ref.identity(), MessageIdValues.first(facts.headerValues("Message-ID")));
            }
        }));
        headerMessageIds = messageIds;
        return matching;
    }

}
