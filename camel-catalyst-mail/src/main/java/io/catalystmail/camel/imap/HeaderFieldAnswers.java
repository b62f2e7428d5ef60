package io.catalystmail.camel.imap;

/**
 * Reads the answers to a UID FETCH of {@code BODY.PEEK[HEADER.FIELDS (...)]} (RFC 3501 §6.4.5) into memory only up to
 * a bound, as {@code byte[]} items of the response: a sender may write a header field of megabytes, which the reader
 * would refuse past {@link ImapLimits#maxLiteralSize()} and so fail every listing that asks for it. A longer answer is
 * streamed past by the reader and is missing from the response, as if the server had sent NIL.
 */
final class HeaderFieldAnswers {

    /** The item the answers come under, with the section's field list after it. */
    static final String ITEM = "BODY[HEADER.FIELDS";
    /** Most octets of an answer read: a few fields of a line each (998 characters, RFC 5322 §2.1.1). */
    static final int MAX_OCTETS = 8 * 1024;

    private HeaderFieldAnswers() {
    }

    /** The consumer of the FETCH's body literals; a literal left unread is skipped by the reader. */
    static ImapResponseReader.BodyConsumer bounded() {
        return (soFar, item, origin, length, content) -> {
            if (item.startsWith(ITEM) && length <= MAX_OCTETS) {
                soFar.otherItem(item, content.readNBytes((int) length));
            }
        };
    }
}
