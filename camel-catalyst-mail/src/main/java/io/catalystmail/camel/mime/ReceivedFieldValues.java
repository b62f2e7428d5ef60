package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The value of a received header field as the route sees it, for readers of headers outside this package: the
 * POP3 client-side filter, which reads the header from {@code TOP n 0}, must match on the same text the exchange
 * carries, over IMAP and POP3 alike. Unfolded (RFC 5322 section 2.2.3), UTF-8 where valid (RFC 6532) else
 * ISO-8859-1, RFC 2047 encoded-words decoded (an address field's display names quoted where they need it), on one
 * line.
 */
public final class ReceivedFieldValues {

    private ReceivedFieldValues() {
    }

    /**
     * @param name  the field's name as sent
     * @param field the field's bytes from its name to the end of its last line (line breaks of folding may be in it)
     * @param colon the index of the colon after the name in {@code field}
     */
    public static String decoded(String name, byte[] field, int colon) {
        return new RawHeaderField(name, field, colon).decodedValue();
    }

    /**
     * The header fields at the start of {@code in} as the exchange carries them, name as sent and value as
     * {@link #decoded}: split and unfolded by the exchange's own reader, so the header ends where the exchange's
     * ends (a header without its empty line at the first line that cannot be a field), and an mbox "From " line or a
     * name that is no field name is passed over. At most {@code maxOctets} are read: a longer header is cut there.
     */
    public static List<Map.Entry<String, String>> header(InputStream in, int maxOctets) throws IOException {
        byte[] bounded = in.readNBytes(maxOctets);
        // limits above what was read: no line, field or count in it can pass them, so the reader refuses nothing
        MimeLimits withinTheInput = new MimeLimits(bounded.length + 1, bounded.length + 1, 0, 0);
        try {
            return new PartReader(withinTheInput).readHeader(new ByteArrayInputStream(bounded)).stream()
                    .map(field -> Map.entry(field.name(), field.value())).toList();
        } catch (MessageParseException e) {
            throw new IllegalStateException("a header within the reader's limits was refused", e);
        }
    }
}
