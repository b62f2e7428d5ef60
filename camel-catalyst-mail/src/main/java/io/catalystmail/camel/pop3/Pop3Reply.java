package io.catalystmail.camel.pop3;

/**
 * A POP3 status line: "+OK text", "-ERR text" (RFC 1939 §3), or a SASL continuation "+ base64" (RFC 5034).
 *
 * @param status what kind of line it is
 * @param text   the rest of the line after the status indicator, possibly with an RFC 2449 response code
 *               such as "[IN-USE]"
 */
record Pop3Reply(Status status, String text) {

    enum Status { OK, ERR, CONTINUATION }

    static Pop3Reply parse(String line) {
        if (line.startsWith("+OK")) {
            return new Pop3Reply(Status.OK, line.substring(3).trim());
        }
        if (line.startsWith("-ERR")) {
            return new Pop3Reply(Status.ERR, line.substring(4).trim());
        }
        if (line.equals("+") || line.startsWith("+ ")) {
            return new Pop3Reply(Status.CONTINUATION, line.substring(1).trim());
        }
        return null;
    }

    boolean ok() {
        return status == Status.OK;
    }

    /** The line as the server sent it, for error messages. */
    @Override
    public String toString() {
        return switch (status) {
            case OK -> "+OK " + text;
            case ERR -> "-ERR " + text;
            case CONTINUATION -> "+ " + text;
        };
    }
}
