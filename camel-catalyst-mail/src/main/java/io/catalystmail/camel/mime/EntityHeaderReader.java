package io.catalystmail.camel.mime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the header fields of one entity, the message's or a body part's, up to the empty line that ends them or
 * the end of the region (RFC 5322 section 2.2, RFC 2046 section 5.1.1). A line starting with white space continues
 * the field before it (folding).
 *
 * <p>A header missing its empty line ends before the first line that cannot be a field (no colon, or a control
 * character, a non-ASCII byte or a space followed by more name in the name), as Python's email package, Thunderbird
 * and MailKit read it: that line is left unread, the first of the body. It is looked at before it is read, so the
 * region's delimiter logic sees it as the body's first line (it may be the first delimiter of the multipart this very
 * header declares). After a line starting with a bare CR the rest of the header is read as fields. An mbox "From "
 * line at the top is read and skipped, like any field without a colon or with a bad name. Bounded by
 * {@link MimeLimits}: line and field length, fields per entity; a line is looked at for at most {@value #MAX_NAME} +
 * 1 bytes.
 */
final class EntityHeaderReader {

    /**
     * The buffers fields are read into, one per parsing thread: a field's lines are read straight into it, so a
     * message's header costs no buffer of its own (see {@link #release}). Longer fields grow a new array.
     */
    private static final SpareBuffers BUFFERS = new SpareBuffers(1024);

    private final MimeLimits limits;
    /** The field being read, and after it the line just read, which may start the next field. */
    /** This thread's slot of {@link #BUFFERS}, where the field buffer goes back to. */
    private final SpareBuffers.Slot spare = BUFFERS.slot();
    private final LineBuffer field = new LineBuffer(spare.take());

    EntityHeaderReader(MimeLimits limits) {
        this.limits = limits;
    }

    /** Gives the buffer back for the next message on this thread; the reader is not used afterwards. */
    void release() {
        spare.giveBack(field.array());
    }

    /**
     * The fields of the entity whose header starts at the input's position; the input is left after the header's
     * empty line, or at the first line of the body when the header had none.
     *
     * @param top true for a message's own header, whose first line may be an mbox "From " line
     */
    List<RawHeaderField> read(DelimitedInput input, boolean top) throws IOException, MessageParseException {
        List<RawHeaderField> fields = new ArrayList<>();
        int maxLength = limits.maxHeaderLineLength();
        int count = 0;
        boolean looking = true;
        boolean firstLine = top;
        field.clear();
        while (true) {
            if (looking) {
                int kind = lineKind(input, firstLine);
                if (kind == NOT_A_FIELD) {
                    break; // the body starts at this line
                }
                looking = kind != STARTS_WITH_LINE_BREAK;
            }
            firstLine = false;
            int lineStart = field.length();
            int length = input.readLine(field, maxLength);
            if (length < 0) {
                break;
            }
            if (length > maxLength) {
                throw malformed("a header line is longer than " + maxLength + " bytes (maxHeaderLineLength)");
            }
            if (field.isLineBreakFrom(lineStart)) {
                field.truncate(lineStart);
                break; // the empty line
            }
            byte first = field.byteAt(lineStart);
            if ((first == ' ' || first == '\t') && lineStart > 0) {
                if (field.length() > maxLength) {
                    throw malformed("a header field is longer than " + maxLength + " bytes (maxHeaderLineLength)");
                }
            } else {
                addField(fields, lineStart); // the line starts the next field
                if (++count > limits.maxHeaderCount()) {
                    throw malformed("more than " + limits.maxHeaderCount()
                                    + " header fields in one part (maxHeaderCount)");
                }
            }
        }
        addField(fields, field.length());
        return fields;
    }

    /** RFC 5322 allows 998 bytes a line; a longer name without its colon is taken for body text. */
    private static final int MAX_NAME = 998;

    private static final int FIELD = 0;
    private static final int NOT_A_FIELD = 1;
    private static final int STARTS_WITH_LINE_BREAK = 2;

    /**
     * What the next line is, from its first bytes, before it is read: a field or a continuation (or the region
     * ends), an empty line or one starting with a bare CR, or not a field.
     */
    private static int lineKind(DelimitedInput input, boolean firstLine) throws IOException {
        int available = input.peekLine(MAX_NAME + 2);
        boolean spaceInName = false;
        for (int i = 0; i < available; i++) {
            byte c = input.peek(i);
            if (i == 0 && (c == '\r' || c == '\n')) {
                return STARTS_WITH_LINE_BREAK;
            }
            if (i == 0 && (c == ' ' || c == '\t') || c == ':') {
                return FIELD; // a continuation, or a name up to its colon
            }
            if (firstLine && i == 4 && isMboxFrom(input)) {
                return FIELD;
            }
            if (c == ' ' || c == '\t') {
                spaceInName = true; // allowed only before the colon (RFC 5322 section 4.5.3, obs-optional)
            } else if (c < 0x21 || c > 0x7e || spaceInName || i >= MAX_NAME) {
                return NOT_A_FIELD;
            }
        }
        return FIELD; // the input ends within the name: read as it is
    }

    private static boolean isMboxFrom(DelimitedInput input) {
        String from = "from ";
        for (int i = 0; i < from.length(); i++) {
            if (Character.toLowerCase((char) input.peek(i)) != from.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Adds the field in the buffer's first {@code end} bytes, if it is one, and drops those bytes. */
    private void addField(List<RawHeaderField> fields, int end) {
        if (end == 0) {
            return;
        }
        int colon = field.indexOf((byte) ':', end);
        int nameEnd = colon;
        while (nameEnd > 0 && (field.byteAt(nameEnd - 1) == ' ' || field.byteAt(nameEnd - 1) == '\t')) {
            nameEnd--; // "Subject :" is obsolete syntax, still read (RFC 5322 section 4.5)
        }
        int nameStart = 0;
        while (nameStart < nameEnd && field.byteAt(nameStart) == '\r') {
            nameStart++; // a bare CR at the line start is no line break (RFC 5322 section 2.2): passed over
        }
        if (colon >= 0 && isFieldName(nameStart, nameEnd)) {
            byte[] raw = field.toBytes(end);
            fields.add(new RawHeaderField(FieldNames.name(raw, nameStart, nameEnd), raw, colon));
        }
        field.removeFirst(end);
    }

    /** RFC 5322 section 3.6.8: printable US-ASCII but the colon. */
    private boolean isFieldName(int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = field.byteAt(i);
            if (c < 33 || c > 126) {
                return false;
            }
        }
        return true;
    }

    private static MessageParseException malformed(String what) {
        return new MessageParseException("Malformed message: " + what, true, null);
    }
}
