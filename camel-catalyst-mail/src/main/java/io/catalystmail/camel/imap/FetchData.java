package io.catalystmail.camel.imap;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The items of one FETCH response (RFC 3501 §7.4.2), filled item by item as the reader meets them. A body
 * consumer sees the object as far as it has been read when the body literal arrives.
 */
public final class FetchData {

    private final long sequence;
    private long uid = -1;
    private Set<String> flags;
    private Instant internalDate;
    private long size = -1;
    /** Made at the first other item: the consumer's FETCH responses carry none (its body streams). */
    private Map<String, Object> otherItems;

    FetchData(long sequence) {
        this.sequence = sequence;
    }

    /** The message sequence number the response is about. */
    public long sequence() {
        return sequence;
    }

    /** The UID, -1 when the response has not carried one (yet): unsolicited FLAGS updates often don't. */
    public long uid() {
        return uid;
    }

    /** The flags, or null when the response carried no FLAGS item. */
    public Set<String> flags() {
        return flags;
    }

    public Instant internalDate() {
        return internalDate;
    }

    /** RFC822.SIZE, -1 when absent. */
    public long size() {
        return size;
    }

    /**
     * Any other item by its upper-case name (e.g. {@code ENVELOPE}, {@code BODY[HEADER]}, {@code MODSEQ}),
     * in the reader's value model; body sections read into memory appear here as byte[], those streamed to a body
     * consumer not at all.
     */
    public Map<String, Object> otherItems() {
        return otherItems == null ? Map.of() : Collections.unmodifiableMap(otherItems);
    }

    void uid(long value) {
        uid = value;
    }

    void flags(Set<String> value) {
        flags = value;
    }

    void internalDate(Instant value) {
        internalDate = value;
    }

    void size(long value) {
        size = value;
    }

    void otherItem(String name, Object value) {
        if (otherItems == null) {
            otherItems = new LinkedHashMap<>();
        }
        otherItems.put(name, value);
    }

    @Override
    public String toString() {
        return "FetchData[seq=" + sequence + ", uid=" + uid + ", flags=" + flags + ", internalDate=" + internalDate
                + ", size=" + size + ", other=" + otherItems().keySet() + "]";
    }
}
