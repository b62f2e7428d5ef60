package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.catalystmail.camel.bytes.ByteSearch;

/**
 * A message's bytes as a series of regions, each ending at a delimiter line of one of the open multiparts or at
 * the end of the input (RFC 2046 section 5.1.1): a region is the header and body of a part, a preamble or an
 * epilogue. As an {@link InputStream} it gives the current region's bytes; the line break before a delimiter
 * belongs to the delimiter, not to the content. A line break is CRLF or, leniently, a bare LF.
 *
 * <p>A line is a delimiter when it starts with "--" and an open boundary, followed by white space, "--" (a close
 * delimiter) or the end of the input; the rest of the line (transport padding) is skipped. The outermost open
 * boundary is tried first: a nested multipart that ends without its close delimiter ends at its parent's. Bytes are
 * handed on in bulk: only a line break before a line starting with '-' is looked at more closely.
 *
 * <p>Bounded: one buffer of {@value #BUFFER_SIZE} bytes, and boundaries of at most {@value #MAX_BOUNDARY}
 * characters, so the look-ahead at a line start always fits.
 */
final class DelimitedInput extends InputStream {

    /** Longest boundary read as one; RFC 2046 allows 70, a longer one still fits the buffer with room to spare. */
    static final int MAX_BOUNDARY = 998;

    private static final int BUFFER_SIZE = 16 * 1024;

    /** The buffers, one per parsing thread (see {@link #release}). */
    private static final SpareBuffers BUFFERS = new SpareBuffers(BUFFER_SIZE);

    private final InputStream in;
    /** This thread's slot of {@link #BUFFERS}, where the buffer goes back to. */
    private final SpareBuffers.Slot spare = BUFFERS.slot();
    private byte[] buffer = spare.take();
    private int position;
    private int limit;
    private boolean inputEnded;

    /** The bytes before this index are content of the current region. */
    private int decided;
    /** At the first byte of a region, a line start that no line break before it claims. */
    private boolean regionStart = true;
    private boolean regionEnded;
    private int endingLevel = -1;
    private boolean endingIsClose;
    private boolean endingIsLastInput;

    /** "--" and the boundary of each open multipart, outermost first. */
    private final List<byte[]> delimiters = new ArrayList<>();
    private int longestDelimiter;

    DelimitedInput(InputStream in) {
        this.in = in;
    }

    /** Gives the buffer back for the next message on this thread; the input is not read afterwards. */
    void release() {
        spare.giveBack(buffer);
        buffer = null;
    }

    /** A multipart opens: from now on its delimiter ends regions too. */
    void open(String boundary) {
        // "--" + boundary as bytes, without a string concatenation whose method handles the JIT compiler inlines
        byte[] name = boundary.getBytes(StandardCharsets.ISO_8859_1);
        byte[] delimiter = new byte[name.length + 2];
        delimiter[0] = '-';
        delimiter[1] = '-';
        System.arraycopy(name, 0, delimiter, 2, name.length);
        delimiters.add(delimiter);
        longestDelimiter = Math.max(longestDelimiter, delimiter.length);
    }

    /** The multiparts opened beyond the first {@code depth} are closed. */
    void closeTo(int depth) {
        while (delimiters.size() > depth) {
            delimiters.remove(delimiters.size() - 1);
        }
        longestDelimiter = 0;
        for (byte[] delimiter : delimiters) {
            longestDelimiter = Math.max(longestDelimiter, delimiter.length);
        }
    }

    int openMultiparts() {
        return delimiters.size();
    }

    /**
     * The bytes from here on start a new region: the header after a delimiter, or a body after its header. What was
     * decided ahead is decided again, as the set of open delimiters may have changed.
     */
    void startRegion() {
        decided = position;
        regionStart = true;
        regionEnded = false;
        endingLevel = -1;
        endingIsClose = false;
        endingIsLastInput = false;
    }

    /** True when a delimiter or the end of the input has ended the current region (nothing is read to know it). */
    boolean hasRegionEnded() {
        return regionEnded;
    }

    /** True when the current region has no more bytes. */
    boolean atRegionEnd() throws IOException {
        return position == decided && !decide();
    }

    /** Which open multipart's delimiter ended the region (0 is the outermost), or -1 for the end of the input. */
    int endingLevel() {
        return endingLevel;
    }

    /** True when the region was ended by a close delimiter ("--" boundary "--"). */
    boolean endingIsClose() {
        return endingIsClose;
    }

    /** True when the delimiter line that ended the region is the last line of the input. */
    boolean endingIsLastInput() {
        return endingIsLastInput;
    }

    @Override
    public int read() throws IOException {
        if (position == decided && !decide()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position == decided && !decide()) {
            return -1;
        }
        int n = Math.min(len, decided - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    /** Passes over the rest of the region (an epilogue). */
    void skipRegion() throws IOException {
        while (!atRegionEnd()) {
            position = decided;
        }
    }

    /**
     * Appends the region's next line, up to and including its LF, to {@code line}, but no more than
     * {@code maxLength} + 1 bytes. Returns the bytes appended, or -1 at the end of the region.
     */
    int readLine(LineBuffer line, int maxLength) throws IOException {
        int total = 0;
        while (total <= maxLength) {
            if (atRegionEnd()) {
                return total == 0 ? -1 : total;
            }
            int newline = ByteSearch.indexOf(buffer, position, decided, '\n');
            int end = newline < 0 ? decided : newline + 1;
            int n = Math.min(end - position, maxLength + 1 - total);
            line.append(buffer, position, n);
            position += n;
            total += n;
            if (newline >= 0 && position == end) {
                break;
            }
        }
        return total;
    }

    /**
     * Makes the start of the region's next line available to {@link #peek} without reading it: at least
     * {@code count} bytes unless the input ends first. Returns how many bytes can be looked at, or -1 when the region
     * has ended. Nothing is decided: the line may be a delimiter, and the bytes from its first line break on may
     * belong to the next one: look no further than that line break and read the line (or start a region at it) to
     * know, or, looking further, make sure no line in what is passed over starts a delimiter before passing over it
     * ({@link #passChecked}, as {@link LineBlocks} does). Deciding is left out so that this stays small where it is
     * inlined.
     */
    int peekLine(int count) throws IOException {
        if (regionEnded) {
            return -1;
        }
        more(count);
        return limit - position;
    }

    /** A byte of the line made available by {@link #peekLine}, {@code index} bytes after its start. */
    byte peek(int index) {
        return buffer[position + index];
    }

    /** Copies {@code length} of the bytes made available by {@link #peekLine}, from {@code offset} after its start. */
    void copyAhead(int offset, byte[] target, int targetOffset, int length) {
        System.arraycopy(buffer, position + offset, target, targetOffset, length);
    }

    /**
     * Passes over {@code count} bytes made available by {@link #peekLine} as content of the region, without looking
     * for a delimiter in them: for a caller that has made sure no line starts with '-' in them, such as
     * {@link LineBlocks} for base64 lines (whose alphabet has neither '-' nor a line break).
     */
    void passChecked(int count) {
        if (count > 0) {
            position += count;
            decided = Math.max(decided, position);
            regionStart = false;
        }
    }

    /**
     * Decides more bytes of content ({@code decided > position}); false when the region ends here. A delimiter is
     * looked for at one call site, at the region's start or after a line break before a '-': the JIT compiler
     * inlines this method into every reader of the input, and each call site of {@link #isDelimiterAt} brings its
     * refills and the input stream's read chain along.
     */
    private boolean decide() throws IOException {
        while (!regionEnded) {
            if (position == limit && !more(1)) {
                end(-1, false);
                return false;
            }
            if (delimiters.isEmpty()) {
                regionStart = false;
                decided = limit;
                return true;
            }
            int offset; // where a delimiter line may start, in bytes after the position
            if (regionStart) {
                regionStart = false;
                offset = 0;
            } else {
                int newline = lineBreakBeforeDash();
                if (newline < 0) {
                    // a CR at the end may be the first half of the line break before a delimiter
                    int end = buffer[limit - 1] == '\r' ? limit - 1 : limit;
                    if (end > position) {
                        decided = end;
                        return true;
                    }
                    if (!more(2)) {
                        decided = limit;
                        return true;
                    }
                    continue;
                }
                int breakStart = newline > position && buffer[newline - 1] == '\r' ? newline - 1 : newline;
                if (breakStart > position) {
                    decided = breakStart;
                    return true;
                }
                offset = newline + 1 - position;
            }
            if (isDelimiterAt(offset)) {
                return false;
            }
            if (offset > 0) {
                decided = position + offset; // the '-' after the break is content too: the next search starts past it
                return true;
            }
            // no delimiter at the region's start: look for a line break before a '-' in it
        }
        return false;
    }

    /**
     * The first LF after {@code position} that a '-' follows, or one at the end of the buffer (what follows it is
     * not known yet); -1 when there is none. Only such a line break can come before a delimiter.
     */
    private int lineBreakBeforeDash() {
        int dash = position;
        while ((dash = ByteSearch.indexOf(buffer, dash + 1, limit, '-')) >= 0) {
            if (buffer[dash - 1] == '\n') {
                return dash - 1;
            }
        }
        // computed, not tested: a test here, rarely true while header lines are read, C2 compiled as a trap that
        // recompiled readLine, where this is inlined, once per JVM (JFR: unstable_if at this line)
        int lfAtEnd = (((buffer[limit - 1] & 0xff) ^ '\n') - 1) >>> 31; // 1 when the last byte is an LF, else 0
        return limit * lfAtEnd - 1;
    }

    /** True, and the delimiter line consumed, when a delimiter starts {@code offset} bytes after the position. */
    private boolean isDelimiterAt(int offset) throws IOException {
        more(offset + longestDelimiter + 2);
        int start = position + offset;
        if (limit - start < 2 || buffer[start] != '-' || buffer[start + 1] != '-') {
            return false;
        }
        for (int level = 0; level < delimiters.size(); level++) {
            byte[] delimiter = delimiters.get(level);
            if (matches(delimiter, start)) {
                consumeDelimiter(start + delimiter.length, level);
                return true;
            }
        }
        return false;
    }

    private boolean matches(byte[] delimiter, int start) {
        int end = start + delimiter.length;
        if (end > limit || !Arrays.equals(buffer, start, end, delimiter, 0, delimiter.length)) {
            return false;
        }
        if (end == limit) {
            return true; // the input ends right after it
        }
        byte next = buffer[end];
        return next == ' ' || next == '\t' || next == '\r' || next == '\n'
                || next == '-' && end + 1 < limit && buffer[end + 1] == '-';
    }

    /** Moves past the delimiter line: a close delimiter's "--" and the rest of the line up to its LF. */
    private void consumeDelimiter(int afterBoundary, int level) throws IOException {
        boolean close = afterBoundary + 1 < limit && buffer[afterBoundary] == '-' && buffer[afterBoundary + 1] == '-';
        position = close ? afterBoundary + 2 : afterBoundary;
        // the rest of the line, refilling at one call site (see decide)
        while (true) {
            int newline = ByteSearch.indexOf(buffer, position, limit, '\n');
            position = newline >= 0 ? newline + 1 : limit;
            boolean available = more(1);
            if (newline >= 0 || !available) {
                endingIsLastInput = !available;
                break;
            }
        }
        decided = position;
        end(level, close);
    }

    private void end(int level, boolean close) {
        regionEnded = true;
        endingLevel = level;
        endingIsClose = close;
    }

    /** Makes {@code count} bytes available from the position, unless the input ends first; true when they are. */
    private boolean more(int count) throws IOException {
        if (limit - position >= count) {
            return true;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            decided -= position;
            position = 0;
        }
        while (limit < count && !inputEnded) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                inputEnded = true;
            } else {
                limit += n;
            }
        }
        return limit >= count;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
