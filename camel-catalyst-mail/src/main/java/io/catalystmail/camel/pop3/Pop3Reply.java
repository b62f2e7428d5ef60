package io.catalystmail.camel.pop3;

import io.catalystmail.camel.net.ServerText;

/**
 * A POP3 status line: "+OK text", "-ERR text" (RFC 1939 §3), or a SASL continuation "+ base64" (RFC 5034).
 *
 * @param status what kind of line it is
 * @param text   the rest of the line after the status indicator, possibly with an RFC 2449 response code
 *               such as "[IN-USE]"
 */
record Pop3Reply(Status status, String text) {

    enum Status { OK, ERR, CONTINUATION }

    /**
     * The status line in the first {@code length} octets of {@code line} (without its CRLF), its text decoded as
     * {@link ServerText#decoded} decodes status lines; null when it is no status line. Parsed from the
     * octets, so a reply costs the text's String and nothing more (two replies per message retrieved).
     */
    static Pop3Reply parse(byte[] line, int length) {
        if (startsWith(line, length, "+OK")) {
            return new Pop3Reply(Status.OK, trimmedText(line, 3, length));
        }
        if (startsWith(line, length, "-ERR")) {
            return new Pop3Reply(Status.ERR, trimmedText(line, 4, length));
        }
        if (length == 1 && line[0] == '+' || startsWith(line, length, "+ ")) {
            return new Pop3Reply(Status.CONTINUATION, trimmedText(line, 1, length));
        }
        return null;
    }

    private static boolean startsWith(byte[] line, int length, String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The text from {@code from}, without leading and trailing octets up to ' ', as {@link String#trim()} would
     * leave it: no multi-octet UTF-8 sequence and no Latin-1 character decodes to a char up to ' '.
     */
    private static String trimmedText(byte[] line, int from, int length) {
        int start = from;
        int end = length;
        while (start < end && (line[start] & 0xff) <= ' ') {
            start++;
        }
        while (end > start && (line[end - 1] & 0xff) <= ' ') {
            end--;
        }
        return ServerText.decoded(line, start, end - start);
    }

    boolean ok() {
        return status == Status.OK;
    }

    /**
     * The line as the server sent it, for error messages and logs: its control characters written as {@code \\xNN}
     * (a terminal escape or a lone CR from the server would otherwise rewrite the log), at most 100 characters.
     */
    @Override
    public String toString() {
        String shown = ServerText.shown(text, Pop3Connection.LINE_SHOWN);
        return switch (status) {
            case OK -> "+OK " + shown;
            case ERR -> "-ERR " + shown;
            case CONTINUATION -> "+ " + shown;
        };
    }
}
