package io.catalystmail.camel.imap;

/**
 * How many entries the answer to one SEARCH command may name, all its {@code * SEARCH} lines together: one more is
 * a protocol violation, thrown at once instead of reading on, as an answer without end would otherwise be read until
 * the operation's deadline. It is made for one sending of a command that asked for it
 * ({@link ImapCommand#boundSearchAnswer}) and counts only while that command is in flight; untagged SEARCH lines
 * carry no tag (RFC 3501 §7.2.5), so they count against the SEARCH command in flight.
 */
final class SearchAnswerBound {

    private final String why;
    private long entriesLeft;

    /** @param size its why names where the bound comes from, for the error: "the 3 the folder holds (EXISTS) ..." */
    SearchAnswerBound(ImapMessageOperations.AnswerSize size) {
        this.entriesLeft = size.entries();
        this.why = size.why();
    }

    /** One more entry (a UID or anything else) of the answer. */
    void count() throws ImapProtocolException {
        if (--entriesLeft < 0) {
            throw new ImapProtocolException("its SEARCH answer names more messages than " + why
                    + "; the answer was abandoned there");
        }
    }
}
