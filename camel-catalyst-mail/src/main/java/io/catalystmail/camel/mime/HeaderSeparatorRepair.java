package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Puts back the empty line that ends a header section (RFC 5322 section 2.1, RFC 2046 section 5.1.1) where a
 * sender left it out: in a header section, a line that cannot be a header field (no colon, or a space or a control
 * character in the name) ends the header and starts the body, as Python's email package, Thunderbird and MailKit
 * read it. The message header and the header of each part after a delimiter of a multipart declared above are
 * repaired; nothing else is changed, so attachment bytes stay exact. Mime4j has this rule built in
 * (malformedHeaderStartsBody), but it loses the line after the malformed one.
 *
 * <p>Bounded: a header line is held only up to its colon, at most {@value #MAX_NAME} bytes; Content-Type values
 * are kept up to {@value #MAX_CONTENT_TYPE} characters and at most {@value #MAX_BOUNDARIES} boundaries.
 */
final class HeaderSeparatorRepair extends InputStream {

    private static final int MAX_NAME = 998;
    private static final int MAX_LINE_HEAD = 80 + 4 + 2 + 16; // RFC 2046: boundaries are at most 70 characters
    private static final int MAX_CONTENT_TYPE = 16 * 1024;
    private static final int MAX_BOUNDARIES = 1_000;
    private static final byte[] CRLF = { '\r', '\n' };

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The input buffers, one per parsing thread (see {@link #release}). */
    private static final SpareBuffers INPUT_BUFFERS = new SpareBuffers(4096);

    private final InputStream in;
    private byte[] input = INPUT_BUFFERS.take();
    private int position;
    private int limit;
    private boolean eof;

    private boolean header = true;
    private boolean firstLine = true;
    /** At the start of a header line, collecting it up to its colon to decide what it is. */
    private boolean deciding = true;
    private byte[] held = new byte[64];
    private int heldLength;
    private boolean spaceInName;
    private boolean blankLine;
    /** Bytes decided and waiting to be returned: an inserted CRLF and the held line start. */
    private byte[] out = new byte[0];
    private int outPosition;

    private final byte[] lineHead = new byte[MAX_LINE_HEAD];
    private int lineHeadLength;
    private StringBuilder contentType;
    private final List<byte[]> delimiters = new ArrayList<>();
    private final byte[] single = new byte[1];

    HeaderSeparatorRepair(InputStream in) {
        this.in = in;
    }

    /** Gives the input buffer back for the next message on this thread; the stream is not read afterwards. */
    void release() {
        INPUT_BUFFERS.giveBack(input);
        input = null;
    }

    @Override
    public int read() throws IOException {
        int n = read(single, 0, 1);
        return n < 0 ? -1 : single[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (outPosition < out.length) {
                int n = Math.min(len, out.length - outPosition);
                System.arraycopy(out, outPosition, b, off, n);
                outPosition += n;
                return n;
            }
            if (position == limit && !fill()) {
                if (heldLength > 0) {
                    queue(false); // the message ends inside a header line: hand it on as it is
                    continue;
                }
                return -1;
            }
            if (deciding) {
                decide();
                continue;
            }
            return passLine(b, off, len);
        }
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(input, 0, input.length);
        if (n < 0) {
            eof = true;
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    /**
     * Reads the start of a header line until it is known to be a field, a continuation, the end, or not a field, then
     * hands it on. One call of {@link #queue} and of {@link #endField} each: this runs for every header line, and the
     * JIT compiler copies a callee into each call site it inlines, which made this method one of the largest it compiled
     * for a message while the decisions were made at five places.
     */
    private void decide() {
        int decided = scanLineStart();
        if (decided != UNDECIDED) {
            queue(decided == NOT_A_FIELD);
        }
    }

    private static final int UNDECIDED = 0;
    private static final int HAND_ON = 1;
    private static final int NOT_A_FIELD = 2;

    /** Holds the bytes of a header line's start; says what the line is once that is known ({@link #UNDECIDED} yet). */
    private int scanLineStart() {
        while (position < limit) {
            byte c = input[position++];
            if (heldLength == held.length) {
                held = Arrays.copyOf(held, MAX_NAME + 1); // a long field name: rare, so grown on demand
            }
            held[heldLength++] = c;
            if (heldLength == 1) {
                boolean lineBreak = c == '\r' || c == '\n';
                boolean folded = c == ' ' || c == '\t'; // a folded continuation of the field above
                if (lineBreak) {
                    blankLine = true;
                }
                if (!folded) {
                    endField(); // the field above is complete: an empty line, or the next line
                }
                if (lineBreak || folded) {
                    return HAND_ON;
                }
            }
            if (c == ':') {
                if (startsWith(held, heldLength, "content-type")) {
                    contentType = new StringBuilder();
                }
                return HAND_ON;
            }
            if (firstLine && heldLength == 5 && startsWith(held, 5, "from ")) {
                return HAND_ON; // an mbox "From " line, which the parser skips
            }
            boolean space = c == ' ' || c == '\t';
            if (space) {
                spaceInName = true; // allowed only before the colon (RFC 5322 section 4.5.3, obs-optional)
            } else if (c < 0x21 || c > 0x7e || spaceInName || heldLength > MAX_NAME) {
                header = false; // not a field: the body starts here
                return NOT_A_FIELD;
            }
        }
        return UNDECIDED;
    }

    /** Moves the held line start to the output, after a CRLF when the empty line has to be put back. */
    private void queue(boolean separatorFirst) {
        int extra = separatorFirst ? 2 : 0;
        byte[] next = new byte[extra + heldLength];
        if (separatorFirst) {
            System.arraycopy(CRLF, 0, next, 0, 2);
        }
        System.arraycopy(held, 0, next, extra, heldLength);
        out = next;
        outPosition = 0;
        noteLine(held, 0, heldLength);
        boolean lineComplete = heldLength > 0 && held[heldLength - 1] == '\n';
        heldLength = 0;
        spaceInName = false;
        deciding = false;
        if (lineComplete) {
            endLine();
        }
    }

    /**
     * Passes bytes on unchanged up to the start of the next header line (or as many as fit): body lines go through
     * in bulk, each looked at only for a multipart delimiter at its end.
     */
    private int passLine(byte[] b, int off, int len) {
        int start = position;
        int end = Math.min(limit, position + len);
        while (position < end && !deciding) {
            if (!header && lineHeadLength == MAX_LINE_HEAD) {
                // in a body line that is no delimiter: only a line starting with '-' can be one, jump to the next
                int dash = nextLineStartingWithDash(position, end);
                if (dash < 0) {
                    lineHeadLength = input[end - 1] == '\n' ? 0 : MAX_LINE_HEAD;
                    position = end;
                } else {
                    lineHeadLength = 0;
                    position = dash;
                }
                continue;
            }
            int newline = indexOf(input, position, end, '\n');
            int stop = newline >= 0 ? newline + 1 : end;
            noteLine(input, position, stop - position);
            position = stop;
            if (newline >= 0) {
                endLine();
            }
        }
        int n = position - start;
        System.arraycopy(input, start, b, off, n);
        return n;
    }

    /** Where a line starting with '-' begins in {@code input(from, to)}, or -1: after a '\n', never at {@code from}. */
    private int nextLineStartingWithDash(int from, int to) {
        for (int dash = indexOf(input, from + 1, to, '-'); dash >= 0; dash = indexOf(input, dash + 1, to, '-')) {
            if (input[dash - 1] == '\n') {
                return dash;
            }
        }
        return -1;
    }

    /** The first {@code target} in {@code bytes[from, to)}, or -1: eight bytes at a time, as this runs over every attachment. */
    static int indexOf(byte[] bytes, int from, int to, char target) {
        long pattern = 0x0101010101010101L * target;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i) ^ pattern; // a target byte becomes zero
            long zeroes = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (zeroes != 0) {
                return i + (Long.numberOfTrailingZeros(zeroes) >>> 3); // the lowest flagged byte is a true zero
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == target) {
                return i;
            }
        }
        return -1;
    }

    /** Keeps what the end of the line needs: its start, when it may be a delimiter, and a Content-Type value. */
    private void noteLine(byte[] bytes, int from, int length) {
        if (lineHeadLength < MAX_LINE_HEAD && length > 0) {
            if (lineHeadLength == 0 && bytes[from] != '-') {
                lineHeadLength = MAX_LINE_HEAD; // cannot be a delimiter: nothing to keep
            } else {
                int head = Math.min(length, MAX_LINE_HEAD - lineHeadLength);
                System.arraycopy(bytes, from, lineHead, lineHeadLength, head);
                lineHeadLength += head;
            }
        }
        if (contentType != null && contentType.length() < MAX_CONTENT_TYPE) {
            contentType.append(new String(bytes, from, Math.min(length, MAX_CONTENT_TYPE - contentType.length()),
                    StandardCharsets.ISO_8859_1));
        }
    }

    private void endLine() {
        if (header && blankLine) {
            header = false;
        } else if (!header && isDelimiter()) {
            header = true; // a part begins with its header
        }
        firstLine = false;
        blankLine = false;
        lineHeadLength = 0;
        deciding = header;
    }

    /** The field being read is complete: a Content-Type declaring a multipart adds its delimiter. */
    private void endField() {
        if (contentType == null) {
            return;
        }
        String field = contentType.toString();
        contentType = null;
        MimeParameters parameters = MimeParameters.parse(field.substring(field.indexOf(':') + 1));
        String boundary = parameters.get("boundary");
        if (parameters.value().startsWith("multipart/") && boundary != null && !boundary.isEmpty()
                && boundary.length() <= MAX_LINE_HEAD - 8 && delimiters.size() < MAX_BOUNDARIES) {
            delimiters.add(("--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** RFC 2046 section 5.1.1: the line is "--" boundary, then only white space (a closing "--" is not an opening). */
    private boolean isDelimiter() {
        if (lineHeadLength < 3 || lineHead[0] != '-' || lineHead[1] != '-' || lineHeadLength == MAX_LINE_HEAD) {
            return false;
        }
        for (byte[] delimiter : delimiters) {
            if (lineHeadLength >= delimiter.length && startsWith(lineHead, delimiter)) {
                boolean onlySpace = true;
                for (int i = delimiter.length; i < lineHeadLength && onlySpace; i++) {
                    byte c = lineHead[i];
                    onlySpace = c == ' ' || c == '\t' || c == '\r' || c == '\n';
                }
                if (onlySpace) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] bytes, int length, String lowerCasePrefix) {
        if (length < lowerCasePrefix.length()) {
            return false;
        }
        for (int i = 0; i < lowerCasePrefix.length(); i++) {
            if (Character.toLowerCase((char) bytes[i]) != lowerCasePrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
