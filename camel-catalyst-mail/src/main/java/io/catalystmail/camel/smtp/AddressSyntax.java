package io.catalystmail.camel.smtp;

/**
 * Guards the text that goes between {@code <} and {@code >} of MAIL FROM and RCPT TO. Full RFC 5321 syntax is
 * the server's business; this refuses only what would change the command itself: line breaks and other controls
 * (command injection, "SMTP smuggling"), angle brackets and unquoted spaces (they would end the path early and
 * let data add ESMTP parameters of its own).
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
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException(role + " address contains CR, LF or NUL, which could inject SMTP "
                        + "commands: " + printable(address));
            }
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(role + " address contains a control character: "
                        + printable(address));
            }
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '<' || c == '>' || c == ' ')) {
                throw new IllegalArgumentException(role + " address contains '" + c + "' outside a quoted local part: "
                        + printable(address));
            }
        }
        if (quoted) {
            // the '>' and spaces it let through would end the path and add parameters for a server that reads to '>'
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
