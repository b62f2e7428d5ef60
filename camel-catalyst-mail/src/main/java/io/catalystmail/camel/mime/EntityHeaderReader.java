package io.catalystmail.camel.mime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the header fields of one entity, the message's or a body part's, up to the empty line that ends them or
 * the end of the region (RFC 5322 section 2.2, RFC 2046 section 5.1.1). A line starting with white space continues
 * the field before it (folding). A field without a colon, or whose name holds other than printable US-ASCII, is
 * skipped: {@link HeaderSeparatorRepair} has already ended the header at such lines, so what is left is an mbox
 * "From " line at the top. Bounded by {@link MimeLimits}: line and field length, fields per entity.
 */
final class EntityHeaderReader {

    private final MimeLimits limits;
    private final LineBuffer line = new LineBuffer();
    private final LineBuffer field = new LineBuffer();

    EntityHeaderReader(MimeLimits limits) {
        this.limits = limits;
    }

    /** The fields of the entity whose header starts at the input's position; the input is left after the header. */
    List<RawHeaderField> read(DelimitedInput input) throws IOException, MessageParseException {
        List<RawHeaderField> fields = new ArrayList<>();
        int maxLength = limits.maxHeaderLineLength();
        int count = 0;
        field.clear();
        while (true) {
            line.clear();
            int length = input.readLine(line, maxLength);
            if (length < 0) {
                break;
            }
            if (length > maxLength) {
                throw malformed("a header line is longer than " + maxLength + " bytes (maxHeaderLineLength)");
            }
            if (line.lengthWithoutLineBreak() == 0 && line.length() > 0) {
                break; // the empty line
            }
            byte first = line.byteAt(0);
            if ((first == ' ' || first == '\t') && field.length() > 0) {
                if (field.length() + length > maxLength) {
                    throw malformed("a header field is longer than " + maxLength + " bytes (maxHeaderLineLength)");
                }
            } else {
                addField(fields);
                if (++count > limits.maxHeaderCount()) {
                    throw malformed("more than " + limits.maxHeaderCount() + " header fields in one part (maxHeaderCount)");
                }
            }
            field.append(line);
        }
        addField(fields);
        return fields;
    }

    private void addField(List<RawHeaderField> fields) {
        if (field.length() == 0) {
            return;
        }
        int colon = field.indexOf((byte) ':');
        int nameEnd = colon;
        while (nameEnd > 0 && (field.byteAt(nameEnd - 1) == ' ' || field.byteAt(nameEnd - 1) == '\t')) {
            nameEnd--; // "Subject :" is obsolete syntax, still read (RFC 5322 section 4.5)
        }
        int nameStart = 0;
        while (nameStart < nameEnd && field.byteAt(nameStart) == '\r') {
            nameStart++; // a bare CR at the line start is no line break (RFC 5322 section 2.2): passed over
        }
        if (colon >= 0 && isFieldName(nameStart, nameEnd)) {
            byte[] raw = field.toBytes();
            fields.add(new RawHeaderField(new String(raw, nameStart, nameEnd - nameStart, StandardCharsets.US_ASCII),
                    raw, colon));
        }
        field.clear();
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
