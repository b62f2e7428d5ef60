package io.catalystmail.camel.operations;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.imap.FetchData;
import io.catalystmail.camel.imap.ImapResponseReader;
import io.catalystmail.camel.mailbox.MessageTooLargeException;
import io.catalystmail.camel.mime.MessageMapper;
import io.catalystmail.camel.mime.MessageParseException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.DefaultAttachmentMessage;
import org.apache.camel.support.DefaultMessage;

/**
 * The fetch operation's UID FETCH of whole messages (BODY.PEEK[]: nothing changes, \Seen included), each mapped like
 * the consumer maps it while it streams from the socket. maxMessageSize applies as in the consumer: a message above
 * it is found by its size before the fetch and not downloaded, and one whose literal turns out longer than the
 * server announced is skipped unread, or, when its literal is far longer (more than 1 MiB above the limit), costs the
 * connection and fails the fetch ({@link FetchDroppedForSizeException}) rather than being read to its end.
 */
final class MessageFetcher {

    private final MessageMapper mapper;
    private final long maxMessageSize;

    MessageFetcher(MessageMapper mapper, long maxMessageSize) {
        this.mapper = mapper;
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Those of {@code uids} above maxMessageSize, by UID: one UID SEARCH ... LARGER (usually answered with none),
     * then their sizes, for the error.
     */
    Map<Long, MessageTooLargeException> oversized(ImapOperationSession s, List<Long> uids) throws IOException {
        if (uids.isEmpty()) {
            return Map.of();
        }
        List<Long> larger = s.messages().larger(uids, maxMessageSize).uids();
        if (larger.isEmpty()) {
            return Map.of();
        }
        Map<Long, Long> sizes = new TreeMap<>();
        s.messages().fetch(larger, "(UID RFC822.SIZE)", d -> sizes.put(d.uid(), d.size()), null);
        Map<Long, MessageTooLargeException> tooLarge = new LinkedHashMap<>();
        for (Long uid : larger) {
            tooLarge.put(uid, tooLarge(s, uid, sizes.getOrDefault(uid, -1L)));
        }
        return tooLarge;
    }

    private MessageTooLargeException tooLarge(ImapOperationSession s, long uid, long size) {
        return new TooLargeToFetchException(ImapOperationRunner.server(s), uid, size, maxMessageSize);
    }

    /**
     * Fetches and maps {@code uids}, in UID order. A message whose literal is longer than maxMessageSize goes to
     * {@code tooLarge} unread; one that cannot be mapped fails the call once the whole answer was read (the connection
     * stays in step). A literal more than 1 MiB above maxMessageSize fails the call at once with a
     * {@link FetchDroppedForSizeException}, the connection out of step (the caller drops it).
     *
     * @param context the exchange the messages are created for
     */
    SortedMap<Long, Message> fetch(ImapOperationSession s, List<Long> uids, String folder, long uidValidity,
            Exchange context, Map<Long, MessageTooLargeException> tooLarge) throws IOException {
        Map<Long, AttachmentMessage> bySequence = new LinkedHashMap<>();
        SortedMap<Long, Message> byUid = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        if (uids.isEmpty()) {
            return byUid;
        }
        s.messages().fetch(uids, "(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])", data -> {
            AttachmentMessage m = bySequence.remove(data.sequence());
            if (m != null) {
                headers(m, data, folder, uidValidity);
                byUid.put(data.uid(), m);
            }
        }, (soFar, item, origin, length, content) -> {
            if (!item.equals("BODY[]") || origin > 0) {
                return;
            }
            if (length > maxMessageSize) {
                String which = soFar.uid() > 0 ? "UID " + soFar.uid() : "message " + soFar.sequence();
                IOException dropped = ImapResponseReader.BodyConsumer.abandonIfFarAbove(content, length,
                        maxMessageSize, margin -> new FetchDroppedForSizeException(ImapOperationRunner.server(s),
                                folder, which, uids.size() - 1, length, maxMessageSize, margin));
                if (dropped != null) {
                    throw dropped;
                }
                // the server announced less than it sends, by little: the reader skips the literal, nothing is stored
                if (soFar.uid() > 0) {
                    tooLarge.put(soFar.uid(), tooLarge(s, soFar.uid(), length));
                }
                return;
            }
            AttachmentMessage m = new DefaultAttachmentMessage(new DefaultMessage(context));
            try {
                mapper.map(content, m);
                bySequence.put(soFar.sequence(), m);
            } catch (MessageParseException e) {
                // the rest of the answer is still read: the connection stays in step
                failures.add("message " + soFar.sequence() + ": " + e.getMessage());
            }
        });
        if (!failures.isEmpty()) {
            throw new UnmappableMessagesException(folder, failures);
        }
        return byUid;
    }

    private static void headers(Message m, FetchData data, String folder, long uidValidity) {
        m.setHeader(CatalystMailConstants.FOLDER, folder);
        m.setHeader(CatalystMailConstants.UID, data.uid());
        m.setHeader(CatalystMailConstants.UID_VALIDITY, uidValidity);
        m.setHeader(CatalystMailConstants.FLAGS, data.flags());
        if (data.internalDate() != null) {
            m.setHeader(CatalystMailConstants.INTERNAL_DATE, data.internalDate());
        }
        if (data.size() >= 0) {
            m.setHeader(CatalystMailConstants.SIZE, data.size());
        }
    }
}
