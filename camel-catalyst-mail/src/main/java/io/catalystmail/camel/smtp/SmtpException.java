package io.catalystmail.camel.smtp;

import java.io.IOException;

/**
 * An SMTP operation failed. Carries the command that failed (its name only, never its arguments when they
 * could be secret) and the server's reply when there was one.
 */
public class SmtpException extends IOException {

    private final String command;
    private final transient SmtpReply reply;

    public SmtpException(String message, String command, SmtpReply reply) {
        this(message, command, reply, null);
    }

    public SmtpException(String message, String command, SmtpReply reply, Throwable cause) {
        super(message, cause);
        this.command = command;
        this.reply = reply;
    }

    /** The command that failed, e.g. {@code MAIL FROM}, {@code RCPT TO}, {@code DATA}, {@code AUTH}; may be null. */
    public String command() {
        return command;
    }

    /** The server's reply, or null when the failure was local or the connection failed. */
    public SmtpReply reply() {
        return reply;
    }
}
