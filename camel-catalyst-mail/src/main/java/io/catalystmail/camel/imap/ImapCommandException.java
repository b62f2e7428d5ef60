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

    public ImapCommandException(String command, String status, String serverText) {
        super(command + " failed: " + status + " " + serverText);
        this.command = command;
        this.status = status;
        this.serverText = serverText;
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
