package io.catalystmail.camel.mime;

import java.io.IOException;

/**
 * Gathers a base64 body's characters, line breaks left out, into blocks straight from the parser's buffer, without
 * the search for a delimiter that {@link DelimitedInput} would make over every byte of them: one pass over the
 * body instead of two. Encoders write lines of one length (RFC 2045 section 6.8: at most 76 characters), so the line
 * break is looked for only where the first line's length puts it.
 *
 * <p>Why no delimiter can be missed: a delimiter line starts after a line break, and its first character is '-'
 * (RFC 2046 section 5.1.1). A gathered block holds every byte it spans except the line breaks, each checked to be
 * one where the line length expects it (a longer line ends the gathering: nothing but a break is left out),
 * and after each of those comes a character of the block. The caller passes over the block's bytes ({@link
 * #passGathered}) only after the strict base64 decoder (RFC 4648 alphabet) took the block, which refuses '-', CR
 * and LF: so no line break other than the expected ones and no '-' after any of them lies in what is passed over.
 * A block it refuses is not passed over, and its bytes are read again the ordinary way.
 */
final class LineBlocks {

    /** Input bytes a block of characters spans at most: lines of one character, each with a CR LF, and one more. */
    private static final int MAX_SPAN_FACTOR = 3;
    /** A first line longer than this is not looked at as a line: the body is read the ordinary way. */
    private static final int MAX_LINE = 998;

    private final DelimitedInput input;
    /** Characters per line, learned from the first; -1 before it, 0 when the body has no such lines. */
    private int lineLength = -1;
    /** 2 for CR LF, 1 for a bare LF. */
    private int breakLength;
    /** Characters of the current line passed over. */
    private int column;
    /** What the last gathered block spans: input bytes, and where in its line it ends. */
    private int gatheredSpan;
    private int gatheredColumn;

    LineBlocks(DelimitedInput input) {
        this.input = input;
    }

    /**
     * Fills {@code block} with the next characters of the body's lines, nothing passed over yet; false when lines of
     * the first line's length do not carry a whole block (the body's last lines, or lines of another shape), and the
     * input stays where it was.
     */
    boolean gather(byte[] block) throws IOException {
        int available = input.peekLine(MAX_SPAN_FACTOR * block.length);
        if (available <= 0) {
            return false;
        }
        if (lineLength < 0) {
            learnLineLength(available);
        }
        if (lineLength == 0) {
            return false;
        }
        int at = 0;
        int col = column;
        int filled = 0;
        while (filled < block.length) {
            if (col == lineLength) {
                // the line break must be where the line length puts it, and a character after it in sight: a line
                // longer than the first would otherwise lose the characters where its break was expected (no
                // decoder sees them), so such a body is read the ordinary way
                if (at + breakLength >= available || !isBreakAt(at)) {
                    return false;
                }
                at += breakLength;
                col = 0;
            }
            int n = Math.min(Math.min(lineLength - col, block.length - filled), available - at);
            if (n == 0) {
                return false; // the input ends within the block
            }
            input.copyAhead(at, block, filled, n);
            at += n;
            col += n;
            filled += n;
        }
        // the line the block ends in (or at) must end where the others do, or it is the part's last (a shorter one,
        // then its delimiter), which the strict decoder would refuse with an exception
        int lineEnd = at + lineLength - col;
        if (lineEnd + breakLength > available || !isBreakAt(lineEnd)) {
            return false;
        }
        gatheredSpan = at;
        gatheredColumn = col;
        return true;
    }

    /** Passes over the input the last gathered block spans: only once the strict base64 decoder took the block. */
    void passGathered() {
        input.passChecked(gatheredSpan);
        column = gatheredColumn;
    }

    private boolean isBreakAt(int at) {
        return breakLength == 2 ? input.peek(at) == '\r' && input.peek(at + 1) == '\n' : input.peek(at) == '\n';
    }

    /** The first line's length and line break, from the body's start; 0 when there is no such line in sight. */
    private void learnLineLength(int available) {
        lineLength = 0;
        for (int i = 0; i < Math.min(available, MAX_LINE + 2); i++) {
            if (input.peek(i) == '\n') {
                boolean crlf = i > 0 && input.peek(i - 1) == '\r';
                breakLength = crlf ? 2 : 1;
                lineLength = crlf ? i - 1 : i;
                return;
            }
        }
    }
}
