package io.catalystmail.camel.smtp;

/**
 * Guards the text that goes between {@code <} and {@code >} of MAIL FROM and RCPT TO. Full RFC 5321 syntax is
 * the server's business; this refuses only what would change the command itself: line breaks and other controls
 * (command injection, "SMTP smuggling"), angle brackets and spaces, quoted or not, and quotes in the domain (they
 * would end the path early and let data add ESMTP parameters of its own).
 */
final class AddressSyntax {

    private AddressSyntax() {
    }

    /** Throws IllegalArgumentException naming {@code role} when {@code address} could alter the command line. */
    static void check(String role, String address) {
        if (address == null) {
            throw new IllegalArgumentException(role + " address is missing");
        }
        boolean quoted = false;
        boolean escaped = false;
        boolean inDomain = false;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            // every character is checked, an escaped one too: "\" followed by LF or '>' must not hide it
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException(role + " address contains CR, LF or NUL, which could inject SMTP "
                        + "commands: " + printable(address));
            }
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(role + " address contains a control character: "
                        + printable(address));
            }
            if (c == '<' || c == '>') {
                // quoted or not: a server that reads the path to its first '>' ends it there, and what follows becomes
                // ESMTP parameters ("b> NOTIFY=SUCCESS <b"@x). RFC 5321 §4.1.2's qtextSMTP allows them in a quoted
                // local part; no mailbox one sends to needs them
                throw new IllegalArgumentException(role + " address contains '" + c + "': " + printable(address));
            }
            if (c == ' ') {
                // quoted or escaped too: RFC 5321 §4.1.2's qtextSMTP allows it, but a server that reads the path to its
                // first space ends it there and takes the rest as ESMTP parameters ("x ORCPT=rfc822;a"@b); no mailbox
                // one sends to needs one
                throw new IllegalArgumentException(role + " address contains a space: " + printable(address));
            }
            if (escaped) {
                escaped = false;
            } else if (c == '\\' && quoted) {
                escaped = true;
            } else if (c == '"') {
                if (inDomain) {
                    // RFC 5321 §4.1.2: only the local part may be a quoted string
                    throw new IllegalArgumentException(role + " address has a quote after its '@': "
                            + printable(address));
                }
                quoted = !quoted;
            } else if (!quoted && c == '@') {
                inDomain = true;
            }
        }
        if (quoted) {
            // what it would quote reaches the server as part of the path
            throw new IllegalArgumentException(role + " address has a quote that is not closed: " + printable(address));
        }
    }

    static boolean isAscii(String s) {
        if (s == null) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** The value with controls shown as \r, \n, \0 or \xNN, so an exception message stays on one line. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case 0 -> sb.append("\\0");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
