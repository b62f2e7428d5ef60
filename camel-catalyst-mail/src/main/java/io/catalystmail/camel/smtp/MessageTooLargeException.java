package io.catalystmail.camel.smtp;

/** The message is larger than the limit the server announced with SIZE (RFC 1870); refused before MAIL FROM. */
public class MessageTooLargeException extends SmtpRejectedException {

    private final long size;
    private final long limit;

    public MessageTooLargeException(long size, long limit, String server) {
        super("message of " + size + " octets exceeds the SIZE limit of " + limit + " octets announced by " + server,
                "MAIL FROM", null);
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
