package io.catalystmail.camel.imap;

import java.io.IOException;
import java.util.function.LongFunction;

import io.catalystmail.camel.mailbox.HeaderAnswerTooLargeException;

/**
 * Reads the answers to a UID FETCH of {@code BODY.PEEK[HEADER.FIELDS (...)]} (RFC 3501 §6.4.5) into memory only up to
 * a bound, as {@code byte[]} items of the response: a sender may write a header field of megabytes, which the reader
 * would refuse past {@link ImapLimits#maxLiteralSize()} and so fail every listing that asks for it. A longer answer is
 * streamed past by the reader and is missing from the response, as if the server had sent NIL; one announced more
 * than {@link MessageDelivery#MOST_SKIPPED} above the bound is not read at all (gigabytes would be read until
 * fetchTimeout): the connection is dropped and the fetch fails ({@link HeaderAnswerTooLargeException}).
 */
final class HeaderFieldAnswers {

    /** The item the answers come under, with the section's field list after it. */
    static final String ITEM = "BODY[HEADER.FIELDS";
    /** Most octets of an answer read: a few fields of a line each (998 characters, RFC 5322 §2.1.1). */
    static final int MAX_OCTETS = 8 * 1024;

    private HeaderFieldAnswers() {
    }

    /**
     * The consumer of the FETCH's body literals; a literal left unread is skipped by the reader.
     *
     * @param connection the connection that sent {@code command}, to name its server
     * @param command    what was asked, as errors name it
     * @param identityOf the identity of the message with a UID asked about, null for any other
     */
    static ImapResponseReader.BodyConsumer bounded(ImapConnection connection, String command,
            LongFunction<String> identityOf) {
        return (soFar, item, origin, length, content) -> {
            if (!item.startsWith(ITEM)) {
                return;
            }
            if (length <= MAX_OCTETS) {
                soFar.otherItem(item, content.readNBytes((int) length));
                return;
            }
            IOException dropped = ImapResponseReader.BodyConsumer.abandonIfFarAbove(content, length, MAX_OCTETS,
                    margin -> tooLarge(connection, command, soFar, length, margin, identityOf));
            if (dropped != null) {
                throw dropped;
            }
        };
    }

    private static HeaderAnswerTooLargeException tooLarge(ImapConnection connection, String command, FetchData soFar,
            long length, long margin, LongFunction<String> identityOf) {
        long uid = soFar.uid();
        return new HeaderAnswerTooLargeException(connection.serverName() + " answered " + command + " for "
                + (uid < 0 ? "a message whose UID came after it" : "UID " + uid) + " with " + length
                + " octets, more than the " + (MAX_OCTETS + margin) + " octets a header-field answer is read or"
                + " passed over for: the connection was dropped instead", uid < 0 ? null : identityOf.apply(uid));
    }
}
