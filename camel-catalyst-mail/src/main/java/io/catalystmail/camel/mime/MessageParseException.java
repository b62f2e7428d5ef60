package io.catalystmail.camel.mime;

/**
 * A message could not be mapped to an exchange. {@link #isInputMalformed()} tells a message that will never parse
 * (the same bytes fail again) from a failure of the surroundings, such as a broken connection or a full disk,
 * after which a retry may succeed.
 */
public class MessageParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean inputMalformed;

    public MessageParseException(String message, boolean inputMalformed, Throwable cause) {
        super(message, cause);
        this.inputMalformed = inputMalformed;
    }

    /** True when the message itself is at fault; false when reading it or storing its parts failed. */
    public boolean isInputMalformed() {
        return inputMalformed;
    }
}
