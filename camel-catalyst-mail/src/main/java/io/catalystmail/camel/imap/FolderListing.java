package io.catalystmail.camel.imap;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

import io.catalystmail.camel.mailbox.HeaderAnswerTooLargeException;
import io.catalystmail.camel.mailbox.HeaderAnswersTooLarge;
import io.catalystmail.camel.mailbox.MailboxLimits;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.mailbox.SentDate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's list of candidates in the selected folder: UID SEARCH for the filter (UNSEEN and UNDELETED added),
 * bounded by maxListedMessages, ordered by UID, or by sent date through a FETCH of INTERNALDATE, RFC822.SIZE and
 * the Date header (INTERNALDATE alone for a message whose Date answer cost a connection before); messages above
 * maxMessageSize are found with a second SEARCH ... LARGER and a FETCH of their sizes, so they are refused before a
 * byte of them is fetched. One instance per listing.
 */
final class FolderListing {

    private static final Logger LOG = LoggerFactory.getLogger(FolderListing.class);

    private final ImapConnection connection;
    private final ImapMessageOperations messages;
    private final MailboxLimits limits;
    private final Instant now;
    private final String server;
    private final LongFunction<String> identity;
    private final HeaderAnswersTooLarge longDates;

    /**
     * @param now       the "now" that relative search dates count from
     * @param server    names the server in log lines
     * @param identity  the identity of a ref by UID
     * @param longDates the messages whose Date answer cost a connection before, kept across listings
     */
    FolderListing(ImapConnection c, MailboxLimits limits, Instant now, String server, LongFunction<String> identity,
            HeaderAnswersTooLarge longDates) {
        this.connection = c;
        this.messages = new ImapMessageOperations(c);
        this.limits = limits;
        this.now = now;
        this.server = server;
        this.identity = identity;
        this.longDates = longDates;
    }

    List<MessageRef> list(SearchFilter filter, boolean onlyUnseen, MessageOrder order, int limit)
            throws IOException {
        UidRanges found = search(filter, onlyUnseen, 0);
        int max = limits.maxListedMessages();
        long total = found.size();
        if (found.invalid() > 0) {
            List<String> examples = found.invalidExamples();
            LOG.warn("{} answered UID SEARCH with {} entries that are not UIDs (a UID is a number from 1 to"
                    + " 4294967295, RFC 3501 §9){}; they are skipped, the valid ones listed", server, found.invalid(),
                    examples.isEmpty() ? "" : ", such as " + String.join(", ", examples));
        }
        if (found.truncated() || total > max) {
            LOG.warn("{} listed {}{} messages for UID SEARCH, more than this poll takes"
                    + " (maxListedMessages={}, at most {} separate UID ranges): the first {} in sortOrder are"
                    + " taken, the rest in later polls", server, found.truncated() ? "over " : "",
                    total, max, found.maxRanges(), max);
        }
        boolean byDate = order == MessageOrder.DATE_ASCENDING || order == MessageOrder.DATE_DESCENDING;
        int take = !byDate && limit > 0 ? Math.min(limit, max) : max;
        List<Long> uids = found.first(take, order == MessageOrder.UID_DESCENDING);
        if (uids.isEmpty()) {
            return new ArrayList<>();
        }
        Map<Long, FetchData> meta = byDate ? dated(uids) : oversized(filter, onlyUnseen, uids);
        List<MessageRef> refs = new ArrayList<>(uids.size());
        for (long uid : uids) {
            FetchData d = meta.get(uid);
            if (!byDate) {
                // size and date arrive with each message's FETCH; only those over maxMessageSize are known now
                refs.add(new MessageRef(Long.toString(uid), 0, d == null ? -1 : d.size(), null, identity.apply(uid)));
            } else if (d != null) { // gone between SEARCH and FETCH: skipped
                refs.add(new MessageRef(Long.toString(uid), 0, d.size(), sentDate(d), identity.apply(uid)));
            }
        }
        if (byDate) {
            refs.sort(order == MessageOrder.DATE_DESCENDING ? SentDate.ORDER.reversed() : SentDate.ORDER);
            if (limit > 0 && refs.size() > limit) {
                refs = new ArrayList<>(refs.subList(0, limit));
            }
        }
        return refs;
    }

    /**
     * The listed messages above maxMessageSize, with their RFC822.SIZE: a second UID SEARCH with LARGER (RFC 3501
     * §6.4.4), which usually answers nothing, so they are refused before a byte of them is fetched.
     */
    private Map<Long, FetchData> oversized(SearchFilter filter, boolean onlyUnseen, List<Long> uids)
            throws IOException {
        UidRanges larger = search(filter, onlyUnseen, limits.maxMessageSize());
        if (larger.size() == 0) {
            return Map.of();
        }
        Set<Long> listed = new java.util.HashSet<>(uids);
        List<Long> both = larger.first(limits.maxListedMessages(), false).stream().filter(listed::contains).toList();
        // only sizes: a Date answer of megabytes here would fail every listing for a message never routed anyway
        return messages.sizes(both);
    }

    /** @param largerThan when positive, only messages larger than this many octets (SEARCH LARGER) */
    private UidRanges search(SearchFilter filter, boolean onlyUnseen, long largerThan)
            throws IOException {
        List<String> extra = new ArrayList<>();
        if (onlyUnseen) {
            extra.add("UNSEEN");
        }
        if (largerThan > 0) {
            extra.add("LARGER " + largerThan);
        }
        // flagged for deletion, by us before an expunge that never came or by another client: not to be routed
        extra.add("UNDELETED");
        // the answer may name no more than the folder holds, plus mail arriving meanwhile (AnswerSize#ofFolder)
        return messages.search(filter.key(), now, ImapMessageOperations.AnswerSize.ofFolder(connection, limits),
                extra.toArray(String[]::new));
    }

    /**
     * The listing data by UID with each message's Date, but for those whose Date answer cost a connection before
     * ({@link HeaderAnswersTooLarge}): their INTERNALDATE stands for it, so such a message fails one poll, not all.
     */
    private Map<Long, FetchData> dated(List<Long> uids) throws IOException {
        boolean datesAsked = longDates.headersAsked();
        List<Long> withDate = new ArrayList<>(uids.size());
        List<Long> arrivalOnly = new ArrayList<>();
        for (long uid : uids) {
            boolean dateAsked = datesAsked && (longDates.isEmpty() || !longDates.knows(identity.apply(uid)));
            (dateAsked ? withDate : arrivalOnly).add(uid);
        }
        Map<Long, FetchData> meta = new HashMap<>(messages.arrivalData(arrivalOnly));
        try {
            meta.putAll(messages.listingData(withDate, identity));
        } catch (HeaderAnswerTooLargeException e) {
            longDates.remember(e);
            throw e;
        }
        return meta;
    }

    /** The Date header of a listing FETCH, or INTERNALDATE when it has none (RFC 5256 §2.2). */
    private static Instant sentDate(FetchData d) {
        for (Map.Entry<String, Object> item : d.otherItems().entrySet()) {
            if (item.getKey().startsWith("BODY[HEADER.FIELDS") && item.getValue() instanceof byte[] block) {
                return SentDate.fromHeaderBlock(block, d.internalDate());
            }
        }
        return d.internalDate();
    }
}
