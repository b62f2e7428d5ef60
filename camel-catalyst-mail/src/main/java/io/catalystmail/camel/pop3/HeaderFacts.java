package io.catalystmail.camel.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.catalystmail.camel.mailbox.MessageFacts;
import io.catalystmail.camel.mime.ReceivedFieldValues;

/**
 * The header of a message as read from {@code TOP n 0}, for evaluating a filter on the client. Fields are split,
 * unfolded (RFC 5322 §2.2.3) and decoded by {@link ReceivedFieldValues#header}, the exchange's own reader, so a
 * filter matches the fields and the text the route gets (IMAP or POP3). POP3 has no arrival date and no flags.
 */
final class HeaderFacts implements MessageFacts {

    /** A header beyond this many octets is cut off there: enough for any real message, bounded for a hostile one. */
    static final int MAX_HEADER_OCTETS = 256 * 1024;

    /** Name as sent and decoded value, in the order of the header. */
    private final List<Map.Entry<String, String>> fields;
    private final long size;

    private HeaderFacts(List<Map.Entry<String, String>> fields, long size) {
        this.fields = fields;
        this.size = size;
    }

    /** Reads the header block from {@code in} up to its end (or the end of the stream, or the octets allowed). */
    static HeaderFacts read(InputStream in, long size) throws IOException {
        return new HeaderFacts(ReceivedFieldValues.header(in, MAX_HEADER_OCTETS), size);
    }

    @Override
    public List<String> headerValues(String name) {
        return fields.stream().filter(f -> f.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    @Override
    public List<String> headerLines() {
        return fields.stream().map(f -> f.getKey() + ": " + f.getValue()).toList();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String bodyText() {
        return null;
    }

    @Override
    public Instant arrivalDate() {
        return null;
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }
}
