package io.catalystmail.camel.pop3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.catalystmail.camel.bytes.ByteSearch;
import io.catalystmail.camel.mailbox.MessageFacts;
import io.catalystmail.camel.mime.ReceivedFieldValues;
import io.catalystmail.camel.net.ServerText;

/**
 * The header of a message as read from {@code TOP n 0}, for evaluating a filter on the client. Fields are
 * split and unfolded on bytes (RFC 5322 §2.2.3); each value is decoded by {@link ReceivedFieldValues}, as the
 * exchange's headers are, so a filter matches the text the route gets (IMAP or POP3). POP3 has no arrival date
 * and no flags.
 */
final class HeaderFacts implements MessageFacts {

    /** A header beyond this many octets is cut off there: enough for any real message, bounded for a hostile one. */
    static final int MAX_HEADER_OCTETS = 256 * 1024;

    private record Field(String name, String value) {
    }

    private final List<Field> fields;
    private final long size;

    private HeaderFacts(List<Field> fields, long size) {
        this.fields = fields;
        this.size = size;
    }

    /** Reads the header block from {@code in} up to the first empty line (or the end of the stream). */
    static HeaderFacts read(InputStream in, long size) throws IOException {
        List<Field> fields = new ArrayList<>();
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        int c;
        while ((c = in.read()) >= 0 && total++ < MAX_HEADER_OCTETS) {
            if (c != '\n') {
                line.write(c);
                continue;
            }
            byte[] l = line.toByteArray();
            line.reset();
            int len = l.length > 0 && l[l.length - 1] == '\r' ? l.length - 1 : l.length;
            if (len == 0) {
                break;
            }
            if ((l[0] == ' ' || l[0] == '\t') && field.size() > 0) {
                field.write(l, 0, len); // unfolding: the line break goes, the white space stays
            } else {
                add(fields, field);
                field.write(l, 0, len);
            }
        }
        add(fields, field);
        return new HeaderFacts(fields, size);
    }

    private static void add(List<Field> fields, ByteArrayOutputStream raw) {
        if (raw.size() == 0) {
            return;
        }
        byte[] field = raw.toByteArray();
        raw.reset();
        int colon = ByteSearch.indexOf(field, 0, field.length, ':');
        if (colon <= 0) {
            return; // not a field (RFC 5322 §3.6.8 needs a name); nothing to match on
        }
        String name = ServerText.decoded(field, 0, colon).strip();
        fields.add(new Field(name, ReceivedFieldValues.decoded(name, field, colon)));
    }

    @Override
    public List<String> headerValues(String name) {
        return fields.stream().filter(f -> f.name.equalsIgnoreCase(name)).map(Field::value).toList();
    }

    @Override
    public List<String> headerLines() {
        return fields.stream().map(f -> f.name + ": " + f.value).toList();
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
