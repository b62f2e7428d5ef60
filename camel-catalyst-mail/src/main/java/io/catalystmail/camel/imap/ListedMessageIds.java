package io.catalystmail.camel.imap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.mailbox.MessageIdValues;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mime.ReceivedFieldValues;

/**
 * The Message-IDs of listed messages, learned before their bodies are fetched: one UID FETCH of
 * {@code BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]} (RFC 3501 §6.4.5; PEEK leaves \Seen alone) per piece of the UID set,
 * as the listing's DATE fetch. An answer longer than {@link HeaderFieldAnswers#MAX_OCTETS} (a sender's field of
 * megabytes) is passed over: its message is fetched in full and checked as before; one far longer costs the
 * connection ({@link io.catalystmail.camel.mailbox.HeaderAnswerTooLargeException}, naming the message).
 */
final class ListedMessageIds {

    private static final String ITEMS = "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])";

    private ListedMessageIds() {
    }

    /** By identity, as {@link io.catalystmail.camel.mailbox.MailboxSession#messageIds} describes. */
    static Map<String, String> of(ImapConnection connection, List<MessageRef> refs) throws IOException {
        Map<Long, String> identities = new HashMap<>();
        refs.forEach(ref -> identities.put(ref.uid(), ref.identity()));
        Map<String, String> ids = new HashMap<>();
        new ImapMessageOperations(connection).fetch(identities.keySet(), ITEMS, data -> {
            for (Map.Entry<String, Object> item : data.otherItems().entrySet()) {
                // NIL (no such section) and a passed-over answer are none: fetched in full and checked as before
                if (item.getKey().startsWith(HeaderFieldAnswers.ITEM) && item.getValue() instanceof byte[] block) {
                    String id = messageId(block);
                    if (id != null) {
                        ids.put(identities.get(data.uid()), id);
                    }
                }
            }
        }, HeaderFieldAnswers.bounded(connection, "UID FETCH " + ITEMS, identities::get));
        return ids;
    }

    /** Read by the exchange's own header reader, so the value is the key the exchange would carry. */
    private static String messageId(byte[] block) {
        List<Map.Entry<String, String>> fields;
        try {
            fields = ReceivedFieldValues.header(new ByteArrayInputStream(block), block.length);
        } catch (IOException inMemory) {
            throw new UncheckedIOException("reading bytes in memory failed", inMemory); // a byte array never fails
        }
        return MessageIdValues.first(fields.stream().filter(field -> field.getKey().equalsIgnoreCase("Message-ID"))
                .map(Map.Entry::getValue).toList());
    }
}
