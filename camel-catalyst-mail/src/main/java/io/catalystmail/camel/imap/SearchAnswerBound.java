package io.catalystmail.camel.imap;

/**
 * How many entries the answer to one SEARCH command may name, all its {@code * SEARCH} lines together: one more is
 * a protocol violation, thrown at once instead of reading on, as an answer without end would otherwise be read until
 * the operation's deadline. It belongs to the command it was made for ({@link ImapCommand#boundSearchAnswer}) and
 * counts only while that command is in flight; untagged SEARCH lines carry no tag (RFC 3501 §7.2.5), so they count
 * against the SEARCH command in flight.
 */
final class SearchAnswerBound {

    private final String why;
    private long entriesLeft;

    /** @param why where the bound comes from, for the error: "the 3 the folder holds (EXISTS) plus ..." */
    SearchAnswerBound(long entries, String why) {
        this.entriesLeft = entries;
        this.why = why;
    }

    /** One more entry (a UID or anything else) of the answer. */
    void count() throws ImapProtocolException {
        if (--entriesLeft < 0) {
            throw new ImapProtocolException("its SEARCH answer names more messages than " + why
                    + "; the answer was abandoned there");
        }
    }
}
