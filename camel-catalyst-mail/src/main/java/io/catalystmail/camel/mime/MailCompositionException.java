package io.catalystmail.camel.mime;

/**
 * The exchange cannot be turned into a mail: a missing recipient, an invalid address, a header value with a
 * line break. Raised before any connection is opened. Messages name the offending header or option, never its
 * value.
 */
public class MailCompositionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public MailCompositionException(String message) {
        super(message);
    }

    public MailCompositionException(String message, Throwable cause) {
        super(message, cause);
    }
}
