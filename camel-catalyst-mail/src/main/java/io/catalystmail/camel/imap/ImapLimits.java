package io.catalystmail.camel.imap;

/**
 * Bounds that keep a hostile or broken server from exhausting memory or the stack of the response reader.
 * Message bodies streamed to a {@link ImapResponseReader.BodyConsumer} are not held in memory and so are
 * not bounded here.
 *
 * @param maxTokenLength   longest atom, quoted string, response text or FETCH section name
 * @param maxLiteralSize   largest literal read into memory
 * @param maxResponseBytes most bytes of one response held in memory (its tokens and in-memory literals
 *                         together), each token, list and literal also charged {@link #VALUE_OVERHEAD} octets
 *                         for the object it becomes: a line of a million one-octet words counts as the ~50 MB
 *                         of objects it would make, not as 2 MB. SEARCH answers are not held as tokens
 *                         (see {@code maxSearchResults}).
 * @param maxNestingDepth  deepest parenthesised list (BODYSTRUCTURE of nested multiparts is the deepest
 *                         legitimate one)
 * @param maxSearchResults most separate UID ranges kept from one SEARCH or ESEARCH answer (8 octets each,
 *                         however many UIDs a range spans); further ones are dropped and taken by a later poll
 */
public record ImapLimits(int maxTokenLength, int maxLiteralSize, long maxResponseBytes, int maxNestingDepth,
        int maxSearchResults) {

    /** 1 MiB tokens and literals, 8 MiB per response, lists 64 deep, 100,000 UID ranges (800 KB). */
    public static final ImapLimits DEFAULT = new ImapLimits(1 << 20, 8 << 20, 8L << 20, 64, 100_000);

    /** What a token, list or literal costs in the heap beyond its octets (object and array headers, reference). */
    public static final int VALUE_OVERHEAD = 48;

    public ImapLimits {
        if (maxTokenLength < 64 || maxLiteralSize < 0 || maxResponseBytes < maxTokenLength || maxNestingDepth < 1
                || maxSearchResults < 1) {
            throw new IllegalArgumentException("unreasonable IMAP limits");
        }
    }
}
