package io.catalystmail.camel.imap;

import java.io.IOException;

import io.catalystmail.camel.net.ServerText;

/**
 * The server answered a command with NO or BAD, or ended the session with BYE. Names the server, the command (never
 * its arguments, which may hold credentials) and carries the server's text.
 */
public class ImapCommandException extends IOException {

    /** The characters of the server's text the message shows, control characters escaped ({@link ServerText}). */
    private static final int SERVER_TEXT_SHOWN = 500;

    private final String server;
    private final String command;
    private final String status;
    private final String serverText;
    private final ResponseCode code;

    /**
     * @param server  how the server is named in messages, e.g. {@code IMAP server imap.example.com:993}
     * @param command the command's name, or what the client was doing ({@code the greeting})
     * @param code    the response code of the answer, such as TRYCREATE (RFC 3501 §7.1), or null
     */
    public ImapCommandException(String server, String command, String status, String serverText, ResponseCode code) {
        super(server + ("BYE".equals(status) ? " ended the session (BYE) during " + command + ": "
                : " answered " + command + " with " + status + (code == null ? "" : " [" + code.name() + "]") + ": ")
              + shown(serverText));
        this.server = server;
        this.command = command;
        this.status = status;
        this.serverText = serverText;
        this.code = code;
    }

    /**
     * The server's text as a message shows it; a status line without one (RFC 3501 §7.1 requires resp-text, servers
     * still send a bare {@code A1 NO}) says so instead of ending the message in a colon.
     */
    public static String shown(String serverText) {
        return serverText == null || serverText.isBlank() ? "(the server gave no text)"
                : ServerText.shown(serverText, SERVER_TEXT_SHOWN);
    }

    /** The tagged answer {@code answer} of {@code c}'s server to {@code command}, as a failure. */
    static ImapCommandException answered(ImapConnection c, String command, ImapResponse answer) {
        return new ImapCommandException("IMAP server " + c.settings().describe(), command, answer.type(),
                answer.text(), answer.code());
    }

    /** How the server is named, e.g. {@code IMAP server imap.example.com:993}. */
    public String server() {
        return server;
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

    /** The server's text as sent (control characters and all): for matching, not for showing. */
    public String serverText() {
        return serverText;
    }
}
