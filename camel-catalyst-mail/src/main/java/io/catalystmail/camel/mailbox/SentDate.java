package io.catalystmail.camel.mailbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.Locale;

/**
 * The "sent date" that date orders sort by, as IMAP SORT defines it (RFC 5256 §2.2): the moment the Date header
 * names, compared in UTC; when the header is missing or cannot be read, the arrival date (INTERNALDATE) instead.
 */
public final class SentDate {

    /** By sent date, unknown first, then by the server's id (UID or message number) so the order is total. */
    public static final Comparator<MessageRef> ORDER = Comparator
            .comparing(MessageRef::date, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
            .thenComparingLong(r -> r.number() > 0 ? r.number() : r.uid());

    private SentDate() {
    }

    /** The sent date from a Date header value, or {@code arrival} when there is none that can be read. */
    public static Instant of(String dateHeader, Instant arrival) {
        OffsetDateTime parsed = DateHeader.parse(dateHeader);
        return parsed != null ? parsed.toInstant() : arrival;
    }

    /**
     * The sent date from a header block such as an IMAP {@code BODY[HEADER.FIELDS (DATE)]} answer: the first
     * Date field, unfolded (RFC 5322 §2.2.3).
     */
    public static Instant fromHeaderBlock(byte[] block, Instant arrival) {
        if (block == null) {
            return arrival;
        }
        String text = new String(block, StandardCharsets.ISO_8859_1).replace("\r\n ", " ").replace("\r\n\t", " ")
                .replace("\n ", " ").replace("\n\t", " ");
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("date")) {
                return of(line.substring(colon + 1).trim(), arrival);
            }
        }
        return arrival;
    }
}
