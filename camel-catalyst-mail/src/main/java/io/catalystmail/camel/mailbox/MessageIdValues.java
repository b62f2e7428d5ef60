package io.catalystmail.camel.mailbox;

import java.util.List;

/**
 * A message's Message-ID as the consumer keys its idempotent repository with it, learned from the header alone
 * before the message is fetched: the first non-empty Message-ID value, as the exchange's own header reader gives it
 * (unfolded, decoded), so the key is the one the exchange would carry.
 */
public final class MessageIdValues {

    /** What a session answers for a message whose header has no Message-ID: it is keyed by its location. */
    public static final String NONE = "";
    /**
     * Longest value kept: a header line may hold at most 998 characters (RFC 5322 §2.1.1); a longer one (folded, or a
     * hostile server's) is not learned, and its message is fetched in full and checked as before.
     */
    static final int MAX_CHARS = 998;

    private MessageIdValues() {
    }

    /**
     * The first non-empty of the Message-ID {@code values} in header order; {@link #NONE} when there is none; null
     * when it is longer than {@link #MAX_CHARS} (not learned).
     */
    public static String first(List<String> values) {
        for (String value : values) {
            if (!value.isEmpty()) {
                return value.length() > MAX_CHARS ? null : value;
            }
        }
        return NONE;
    }
}
