package io.catalystmail.camel.mailbox;

/**
 * A search filter that does not parse. The message names the option it came from, the 1-based position in
 * the text and what was expected there, e.g. {@code search: expected a date after SINCE at position 12,
 * found "yesterday"}.
 */
public class SearchSyntaxException extends IllegalArgumentException {

    private final int position;

    public SearchSyntaxException(String message, int position) {
        super(message);
        this.position = position;
    }

    /** 1-based character position of the problem in the filter text. */
    public int position() {
        return position;
    }
}
