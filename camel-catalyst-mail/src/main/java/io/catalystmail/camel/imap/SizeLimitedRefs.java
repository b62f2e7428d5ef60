package io.catalystmail.camel.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.MessageTooLargeException;
import io.catalystmail.camel.net.ConnectionSettings;

/** The refs a fetch may ask for: those within maxMessageSize as far as the listing told their size. */
final class SizeLimitedRefs {

    private SizeLimitedRefs() {
    }

    /** The refs within {@code max}; the others go to {@code tooLarge}, each with its error naming the server. */
    static List<MessageRef> within(List<MessageRef> refs, long max, ConnectionSettings server,
            Map<MessageRef, Exception> tooLarge) {
        List<MessageRef> within = new ArrayList<>(refs.size());
        for (MessageRef ref : refs) {
            if (ref.size() > max) {
                tooLarge.put(ref, tooLarge(ref, max, server));
            } else {
                within.add(ref);
            }
        }
        return within.size() == refs.size() ? refs : within;
    }

    // out of the loop: the string building of this rare branch made the loop's first compile 17 kB
    private static MessageTooLargeException tooLarge(MessageRef ref, long max, ConnectionSettings server) {
        return new MessageTooLargeException("IMAP server " + server.describe(), "UID " + ref.id(), ref.size(), max,
                true);
    }
}
