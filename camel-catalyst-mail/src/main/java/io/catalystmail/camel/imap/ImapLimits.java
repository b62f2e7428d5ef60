package io.catalystmail.camel.imap;

/**
 * Bounds that keep a hostile or broken server from exhausting memory or the stack of the response reader.
 * Message bodies streamed to a {@link ImapResponseReader.BodyConsumer} are not held in memory and so are
 * not bounded here.
 *
 * @param maxTokenLength   longest atom, quoted string, response text or FETCH section name
 * @param maxLiteralSize   largest literal read into memory
 * @param maxResponseBytes most bytes of one response held in memory (its tokens and in-memory literals
 *                         together); a SEARCH answer for a large mailbox is the biggest legitimate one
 * @param maxNestingDepth  deepest parenthesised list (BODYSTRUCTURE of nested multiparts is the deepest
 *                         legitimate one)
 * @param maxSearchResults most UIDs a SEARCH or ESEARCH answer may expand to
 */
public record ImapLimits(int maxTokenLength, int maxLiteralSize, long maxResponseBytes, int maxNestingDepth,
        int maxSearchResults) {

    public static final ImapLimits DEFAULT = new ImapLimits(1 << 20, 16 << 20, 64L << 20, 64, 2_000_000);

    public ImapLimits {
        if (maxTokenLength < 64 || maxLiteralSize < 0 || maxResponseBytes < maxTokenLength || maxNestingDepth < 1
                || maxSearchResults < 1) {
            throw new IllegalArgumentException("unreasonable IMAP limits");
        }
    }
}
