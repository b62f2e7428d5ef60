package io.catalystmail.camel.mime;

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
}
