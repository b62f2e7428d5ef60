package io.catalystmail.camel.imap;

import java.io.IOException;

/**
 * The server answered a command with NO or BAD, or ended the session with BYE. Names the command (never its
 * arguments, which may hold credentials) and carries the server's text.
 */
public class ImapCommandException extends IOException {

    private final String command;
    private final String status;
    private final String serverText;
    private final ResponseCode code;

    public ImapCommandException(String command, String status, String serverText) {
        this(command, status, serverText, null);
    }

    /** @param code the response code of the answer, such as TRYCREATE (RFC 3501 §7.1), or null */
    public ImapCommandException(String command, String status, String serverText, ResponseCode code) {
        super(command + " failed: " + status + (code == null ? "" : " [" + code.name() + "]") + " " + serverText);
        this.command = command;
        this.status = status;
        this.serverText = serverText;
        this.code = code;
    }

    /** The response code of the refusal, null when the server gave none. */
    public ResponseCode code() {
        return code;
    }

    /** The command name, e.g. {@code UID MOVE}. */
    public String command() {
        return command;
    }

    /** NO, BAD or BYE. */
    public String status() {
        return status;
    }

    public String serverText() {
        return serverText;
    }
}
