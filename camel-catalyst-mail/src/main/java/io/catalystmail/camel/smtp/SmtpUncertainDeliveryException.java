package io.catalystmail.camel.smtp;

/**
 * The connection failed or timed out after the end of the message data was written but before the server's
 * reply arrived. The server MAY have accepted the message (RFC 5321 §4.1.1.4 makes it responsible from the
 * final dot on), so retrying may deliver it twice (the "duplicate delivery" problem of RFC 1047).
 */
public class SmtpUncertainDeliveryException extends SmtpException {

    public SmtpUncertainDeliveryException(String message, String command, Throwable cause) {
        super(message, command, null, cause);
    }
}
